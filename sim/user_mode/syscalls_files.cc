// System calls on file descriptors and paths: the standard streams, and
// read-only host files below --root (files.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <vector>

#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"
#include "user_mode/syscall_table.h"

namespace dusim {

using namespace linux_abi;

namespace {
constexpr uint64_t kMaxIo = 1ull << 24;  // a larger read or write transfers this much (a short count)
constexpr size_t kPathMax = 4096;
constexpr uint64_t kIovMax = 1024;

int64_t get_path(SysCall& s, uint64_t addr, std::string& out) {
  bool too_long = false;
  std::optional<std::string> p = s.proc.get_string(addr, kPathMax, &too_long);
  if (!p) return too_long ? -kENAMETOOLONG : -kEFAULT;
  out = std::move(*p);
  return 0;
}

bool readable(const FileTable::File& f) { return (f.flags & kO_ACCMODE) != 1 && !(f.flags & kO_PATH); }
bool writable(const FileTable::File& f) { return (f.flags & kO_ACCMODE) != 0 && !(f.flags & kO_PATH); }

// Host read/write of a whole buffer (retrying short writes to the standard streams).
int64_t host_write(int fd, const uint8_t* p, uint64_t len, int64_t off) {
  uint64_t done = 0;
  while (done < len) {
    ssize_t n = off < 0 ? ::write(fd, p + done, len - done) : ::pwrite(fd, p + done, len - done, off + int64_t(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return done ? int64_t(done) : -int64_t(errno);
    }
    if (n == 0) break;
    done += uint64_t(n);
  }
  return int64_t(done);
}

int64_t do_read(SysCall& s, int64_t fd, uint64_t buf, uint64_t len, int64_t off) {
  FileTable::File* f = s.proc.files().get(fd);
  if (!f || !readable(*f)) return -kEBADF;
  if (f->directory) return -kEISDIR;
  len = std::min(len, kMaxIo);
  if (!s.proc.memory().allows(buf, len, AddressSpace::kWrite)) return -kEFAULT;
  std::vector<uint8_t> tmp(len);
  ssize_t n;
  do {
    n = off < 0 ? ::read(f->host->fd, tmp.data(), len) : ::pread(f->host->fd, tmp.data(), len, off);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -int64_t(errno);
  s.proc.copy_out(buf, tmp.data(), uint64_t(n));
  return n;
}

int64_t do_write(SysCall& s, int64_t fd, uint64_t buf, uint64_t len, int64_t off) {
  FileTable::File* f = s.proc.files().get(fd);
  if (!f || !writable(*f)) return -kEBADF;
  len = std::min(len, kMaxIo);
  std::vector<uint8_t> tmp(len);
  if (!s.proc.copy_in(buf, tmp.data(), len)) return -kEFAULT;
  return host_write(f->host->fd, tmp.data(), len, off);
}

// The guest's struct stat (asm/stat.h) from the host's.
void encode_stat(const struct stat& st, uint8_t* b) {
  std::memset(b, 0, stat::kBytes);
  ppc::to_be<uint64_t>(b + stat::kDev, st.st_dev);
  ppc::to_be<uint64_t>(b + stat::kIno, st.st_ino);
  ppc::to_be<uint64_t>(b + stat::kNlink, st.st_nlink);
  ppc::to_be<uint32_t>(b + stat::kMode, st.st_mode);
  ppc::to_be<uint32_t>(b + stat::kUid, st.st_uid);
  ppc::to_be<uint32_t>(b + stat::kGid, st.st_gid);
  ppc::to_be<uint64_t>(b + stat::kRdev, st.st_rdev);
  ppc::to_be<uint64_t>(b + stat::kSize, uint64_t(st.st_size));
  ppc::to_be<uint64_t>(b + stat::kBlksize, uint64_t(st.st_blksize));
  ppc::to_be<uint64_t>(b + stat::kBlocks, uint64_t(st.st_blocks));
  ppc::to_be<uint64_t>(b + stat::kAtime, uint64_t(st.st_atim.tv_sec));
  ppc::to_be<uint64_t>(b + stat::kAtime + 8, uint64_t(st.st_atim.tv_nsec));
  ppc::to_be<uint64_t>(b + stat::kMtime, uint64_t(st.st_mtim.tv_sec));
  ppc::to_be<uint64_t>(b + stat::kMtime + 8, uint64_t(st.st_mtim.tv_nsec));
  ppc::to_be<uint64_t>(b + stat::kCtime, uint64_t(st.st_ctim.tv_sec));
  ppc::to_be<uint64_t>(b + stat::kCtime + 8, uint64_t(st.st_ctim.tv_nsec));
}

int64_t stat_host_fd(SysCall& s, int host_fd, uint64_t buf) {
  struct stat st {};
  if (::fstat(host_fd, &st) < 0) return -int64_t(errno);
  uint8_t b[stat::kBytes];
  encode_stat(st, b);
  return s.proc.copy_out(buf, b, sizeof b) ? 0 : -kEFAULT;
}

int64_t do_fstatat(SysCall& s, int64_t dirfd, uint64_t path_addr, uint64_t buf, uint64_t flags) {
  if (flags & ~(kAT_SYMLINK_NOFOLLOW | kAT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */)) return -kEINVAL;
  std::string path;
  if (int64_t e = get_path(s, path_addr, path); e < 0) return e;
  if (path.empty() && (flags & kAT_EMPTY_PATH)) {
    if (dirfd == kAT_FDCWD) path = s.proc.files().cwd();
    else if (FileTable::File* f = s.proc.files().get(dirfd)) return stat_host_fd(s, f->host->fd, buf);
    else return -kEBADF;
  }
  int64_t h = s.proc.files().lookup(dirfd, path, !(flags & kAT_SYMLINK_NOFOLLOW));
  if (h < 0) return h;
  int64_t r = stat_host_fd(s, int(h), buf);
  ::close(int(h));
  return r;
}

int64_t do_readlinkat(SysCall& s, int64_t dirfd, uint64_t path_addr, uint64_t buf, int64_t size) {
  std::string path;
  if (int64_t e = get_path(s, path_addr, path); e < 0) return e;
  if (size <= 0) return -kEINVAL;
  std::string target;
  if (path == "/proc/self/exe") {
    // The program's own path, as qemu-ppc64 answers (glibc asks at start-up).
    char* real = ::realpath(s.proc.image().path().c_str(), nullptr);
    target = real ? real : s.proc.image().path();
    std::free(real);
  } else {
    int64_t h = s.proc.files().lookup(dirfd, path, false);
    if (h < 0) return h;
    char tmp[PATH_MAX];
    ssize_t n = ::readlinkat(int(h), "", tmp, sizeof tmp);
    int err = errno;
    ::close(int(h));
    if (n < 0) return -int64_t(err == ENOENT ? EINVAL : err);  // the path is no symbolic link
    target.assign(tmp, size_t(n));
  }
  uint64_t n = std::min<uint64_t>(target.size(), uint64_t(size));
  return s.proc.copy_out(buf, target.data(), n) ? int64_t(n) : -kEFAULT;
}

int64_t do_faccessat(SysCall& s, int64_t dirfd, uint64_t path_addr, uint64_t mode, uint64_t flags) {
  if (mode & ~uint64_t(7)) return -kEINVAL;
  if (flags & ~(kAT_SYMLINK_NOFOLLOW | 0x200 /* AT_EACCESS */ | kAT_EMPTY_PATH)) return -kEINVAL;
  std::string path;
  if (int64_t e = get_path(s, path_addr, path); e < 0) return e;
  int64_t h = s.proc.files().lookup(dirfd, path, !(flags & kAT_SYMLINK_NOFOLLOW));
  if (h < 0) return h;
  long r = ::syscall(SYS_faccessat2, int(h), "", int(mode & 5), AT_EMPTY_PATH);
  int err = errno;
  ::close(int(h));
  if (r < 0) return -int64_t(err);
  return (mode & 2) ? -kEROFS : 0;  // W_OK: the root is read-only
}
}  // namespace

int64_t sys_read(SysCall& s) { return do_read(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], -1); }
int64_t sys_write(SysCall& s) { return do_write(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], -1); }

int64_t sys_pread64(SysCall& s) {
  if (int64_t(s.arg[3]) < 0) return -kEINVAL;
  return do_read(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], int64_t(s.arg[3]));
}
int64_t sys_pwrite64(SysCall& s) {
  if (int64_t(s.arg[3]) < 0) return -kEINVAL;
  return do_write(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], int64_t(s.arg[3]));
}

namespace {
// struct iovec {base, len} array into pairs; -errno on failure.
int64_t get_iov(SysCall& s, uint64_t iov, uint64_t count, std::vector<std::pair<uint64_t, uint64_t>>& out) {
  if (count > kIovMax) return -kEINVAL;
  uint64_t total = 0;
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t base = 0, len = 0;
    if (!s.proc.get_u64(iov + 16 * k, base) || !s.proc.get_u64(iov + 16 * k + 8, len)) return -kEFAULT;
    if (int64_t(len) < 0 || (total += len) > uint64_t(INT64_MAX)) return -kEINVAL;
    out.emplace_back(base, len);
  }
  return 0;
}
}  // namespace

int64_t sys_writev(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f || !writable(*f)) return -kEBADF;
  std::vector<std::pair<uint64_t, uint64_t>> iov;
  if (int64_t e = get_iov(s, s.arg[1], s.arg[2], iov); e < 0) return e;
  std::vector<uint8_t> all;
  for (auto [base, len] : iov) {
    size_t at = all.size();
    all.resize(at + len);
    if (!s.proc.copy_in(base, all.data() + at, len)) return -kEFAULT;
  }
  return host_write(f->host->fd, all.data(), all.size(), -1);
}

int64_t sys_readv(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f || !readable(*f)) return -kEBADF;
  if (f->directory) return -kEISDIR;
  std::vector<std::pair<uint64_t, uint64_t>> iov;
  if (int64_t e = get_iov(s, s.arg[1], s.arg[2], iov); e < 0) return e;
  uint64_t total = 0;
  for (auto [base, len] : iov) {
    if (!s.proc.memory().allows(base, len, AddressSpace::kWrite)) return -kEFAULT;
    total += len;
  }
  std::vector<uint8_t> tmp(std::min(total, kMaxIo));
  ssize_t n = ::read(f->host->fd, tmp.data(), tmp.size());
  if (n < 0) return -int64_t(errno);
  uint64_t at = 0;
  for (auto [base, len] : iov) {
    uint64_t part = std::min<uint64_t>(len, uint64_t(n) - at);
    s.proc.copy_out(base, tmp.data() + at, part);
    at += part;
  }
  return n;
}

int64_t sys_openat(SysCall& s) {
  std::string path;
  if (int64_t e = get_path(s, s.arg[1], path); e < 0) return e;
  return s.proc.files().open(int32_t(s.arg[0]), path, s.arg[2]);
}

int64_t sys_open(SysCall& s) {
  std::string path;
  if (int64_t e = get_path(s, s.arg[0], path); e < 0) return e;
  return s.proc.files().open(kAT_FDCWD, path, s.arg[1]);
}

int64_t sys_close(SysCall& s) { return s.proc.files().close(int32_t(s.arg[0])); }

int64_t sys_lseek(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f || (f->flags & kO_PATH)) return -kEBADF;
  off_t r = ::lseek(f->host->fd, off_t(s.arg[1]), int(s.arg[2]));
  return r < 0 ? -int64_t(errno) : int64_t(r);
}

// _llseek(fd, offset_high, offset_low, loff_t* result, whence): glibc's
// lseek on ppc64.
int64_t sys_llseek(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f || (f->flags & kO_PATH)) return -kEBADF;
  const off_t offset = off_t((s.arg[1] << 32) | uint32_t(s.arg[2]));
  off_t r = ::lseek(f->host->fd, offset, int(s.arg[4]));
  if (r < 0) return -int64_t(errno);
  return s.proc.put_u64(s.arg[3], uint64_t(r)) ? 0 : -kEFAULT;
}

int64_t sys_fstat(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f) return -kEBADF;
  return stat_host_fd(s, f->host->fd, s.arg[1]);
}

int64_t sys_newfstatat(SysCall& s) { return do_fstatat(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], s.arg[3]); }
int64_t sys_stat(SysCall& s) { return do_fstatat(s, kAT_FDCWD, s.arg[0], s.arg[1], 0); }
int64_t sys_lstat(SysCall& s) { return do_fstatat(s, kAT_FDCWD, s.arg[0], s.arg[1], kAT_SYMLINK_NOFOLLOW); }

int64_t sys_getdents64(SysCall& s) {
  FileTable::File* f = s.proc.files().get(int32_t(s.arg[0]));
  if (!f || (f->flags & kO_PATH)) return -kEBADF;
  if (!f->directory) return -kENOTDIR;
  uint64_t buf = s.arg[1], count = std::min<uint64_t>(s.arg[2], kMaxIo);
  if (!s.proc.memory().allows(buf, count, AddressSpace::kWrite)) return -kEFAULT;
  std::vector<uint8_t> tmp(count);
  long n = ::syscall(SYS_getdents64, f->host->fd, tmp.data(), tmp.size());
  if (n < 0) return -int64_t(errno);
  // struct linux_dirent64 {u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]}:
  // the same layout, big-endian numbers.
  for (long at = 0; at < n;) {
    uint8_t* d = tmp.data() + at;
    uint64_t ino, off;
    uint16_t reclen;
    std::memcpy(&ino, d, 8);
    std::memcpy(&off, d + 8, 8);
    std::memcpy(&reclen, d + 16, 2);
    ppc::to_be<uint64_t>(d, ino);
    ppc::to_be<uint64_t>(d + 8, off);
    ppc::to_be<uint16_t>(d + 16, reclen);
    at += reclen;
  }
  s.proc.copy_out(buf, tmp.data(), uint64_t(n));
  return n;
}

int64_t sys_readlinkat(SysCall& s) { return do_readlinkat(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], int64_t(s.arg[3])); }
int64_t sys_readlink(SysCall& s) { return do_readlinkat(s, kAT_FDCWD, s.arg[0], s.arg[1], int64_t(s.arg[2])); }

int64_t sys_faccessat(SysCall& s) {
  constexpr uint64_t kNrFaccessat2 = 439;
  uint64_t flags = s.cpu.gpr[0] == kNrFaccessat2 ? s.arg[3] : 0;  // faccessat has no flags argument
  return do_faccessat(s, int32_t(s.arg[0]), s.arg[1], s.arg[2], flags);
}
int64_t sys_access(SysCall& s) { return do_faccessat(s, kAT_FDCWD, s.arg[0], s.arg[1], 0); }

int64_t sys_ioctl(SysCall& s) {
  // No descriptor is a terminal (TCGETS, TIOCGWINSZ...), so isatty() is false everywhere.
  return s.proc.files().get(int32_t(s.arg[0])) ? -kENOTTY : -kEBADF;
}

int64_t sys_fcntl(SysCall& s) {
  int64_t fd = int32_t(s.arg[0]);
  FileTable::File* f = s.proc.files().get(fd);
  if (!f) return -kEBADF;
  switch (int(s.arg[1])) {
    case kF_DUPFD: return s.proc.files().dup(fd, int32_t(s.arg[2]), false);
    case kF_DUPFD_CLOEXEC: return s.proc.files().dup(fd, int32_t(s.arg[2]), true);
    case kF_GETFD: return f->cloexec ? int64_t(kFD_CLOEXEC) : 0;
    case kF_SETFD: f->cloexec = s.arg[2] & kFD_CLOEXEC; return 0;
    case kF_GETFL: return int64_t(f->flags | kO_LARGEFILE);  // 64-bit processes always have O_LARGEFILE
    case kF_SETFL:
      f->flags = (f->flags & ~(kO_APPEND | kO_NONBLOCK)) | (s.arg[2] & (kO_APPEND | kO_NONBLOCK));
      return 0;
    default:
      s.proc.note("fcntl: command " + std::to_string(s.arg[1]) + " is not supported (EINVAL)");
      return -kEINVAL;
  }
}

int64_t sys_dup(SysCall& s) { return s.proc.files().dup(int32_t(s.arg[0]), 0, false); }

int64_t sys_dup2(SysCall& s) { return s.proc.files().dup_to(int32_t(s.arg[0]), int32_t(s.arg[1]), false); }

int64_t sys_dup3(SysCall& s) {
  if ((s.arg[2] & ~kO_CLOEXEC) || int32_t(s.arg[0]) == int32_t(s.arg[1])) return -kEINVAL;
  return s.proc.files().dup_to(int32_t(s.arg[0]), int32_t(s.arg[1]), s.arg[2] & kO_CLOEXEC);
}

int64_t sys_getcwd(SysCall& s) {
  const std::string& cwd = s.proc.files().cwd();
  if (s.arg[1] < cwd.size() + 1) return -kERANGE;
  return s.proc.copy_out(s.arg[0], cwd.c_str(), cwd.size() + 1) ? int64_t(cwd.size() + 1) : -kEFAULT;
}

int64_t sys_chdir(SysCall& s) {
  std::string path;
  if (int64_t e = get_path(s, s.arg[0], path); e < 0) return e;
  return s.proc.files().chdir(path);
}

int64_t sys_fchdir(SysCall& s) { return s.proc.files().fchdir(int32_t(s.arg[0])); }

}  // namespace dusim
