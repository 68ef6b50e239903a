#include "user_mode/files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "user_mode/linux_abi.h"

namespace dusim {

using namespace linux_abi;

FileTable::HostFd::~HostFd() {
  if (owned && fd >= 0) ::close(fd);
}

FileTable::FileTable(const std::string& root) {
  for (int n = 0; n < 3; ++n) {
    auto h = std::make_shared<HostFd>();
    h->fd = n;
    files_[n] = File{h, uint64_t(n == 0 ? 0 : 1), false, false, ""};
  }
  if (root.empty()) return;
  root_fd_ = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) throw std::runtime_error("--root " + root + ": " + std::strerror(errno));
  char* real = ::realpath(root.c_str(), nullptr);
  root_real_ = real ? real : root;
  std::free(real);
  int64_t probe = resolve("/", O_PATH, true);
  if (probe == -kENOSYS)
    throw std::runtime_error("--root needs the host's openat2 system call (Linux 5.6 or later)");
  if (probe >= 0) ::close(int(probe));
}

FileTable::File* FileTable::get(int64_t fd) {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : &it->second;
}

int64_t FileTable::lowest_free(int64_t from) const {
  for (int64_t n = from; n < kMaxFds; ++n)
    if (!files_.count(n)) return n;
  return -kEMFILE;
}

int64_t FileTable::join(int64_t dirfd, const std::string& path, std::string& out) const {
  if (path.empty()) return -kENOENT;
  if (path[0] == '/') {
    out = path;
    return 0;
  }
  std::string base;
  if (dirfd == kAT_FDCWD) {
    base = cwd_;
  } else {
    auto it = files_.find(dirfd);
    if (it == files_.end()) return -kEBADF;
    if (!it->second.directory) return -kENOTDIR;
    base = it->second.path;
  }
  out = base == "/" ? "/" + path : base + "/" + path;
  return 0;
}

int64_t FileTable::resolve(const std::string& guest_path, uint64_t host_flags, bool follow) const {
  if (root_fd_ < 0) return -kENOENT;
  struct open_how how {};
  how.flags = host_flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
  // The root is "/" for every lookup: absolute paths, `..` and symbolic
  // links all stay below it. No /proc magic links.
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root_fd_, guest_path.c_str(), &how, sizeof how);
  return fd < 0 ? -int64_t(errno) : fd;
}

std::string FileTable::guest_path_of(int host_fd) const {
  char link[64], buf[PATH_MAX];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", host_fd);
  ssize_t n = ::readlink(link, buf, sizeof buf - 1);
  if (n <= 0) return "/";
  std::string p(buf, size_t(n));
  if (root_real_ == "/") return p;
  if (p.compare(0, root_real_.size(), root_real_) != 0) return "/";
  std::string rest = p.substr(root_real_.size());
  return rest.empty() ? "/" : rest;
}

int64_t FileTable::lookup(int64_t dirfd, const std::string& path, bool follow) {
  std::string joined;
  if (int64_t e = join(dirfd, path, joined); e < 0) return e;
  return resolve(joined, O_PATH, follow);
}

int64_t FileTable::open(int64_t dirfd, const std::string& path, uint64_t flags) {
  if (root_fd_ < 0) return -kENOENT;
  std::string joined;
  if (int64_t e = join(dirfd, path, joined); e < 0) return e;
  bool follow = !(flags & kO_NOFOLLOW);
  bool writing = (flags & kO_ACCMODE) != 0 || (flags & kO_TRUNC) || (flags & kO_TMPFILE) == kO_TMPFILE;
  // The root is read-only: creating, truncating or writing fails as on a
  // read-only file system, once the path is known to name something.
  int64_t probe = resolve(joined, O_PATH, follow);
  if (probe < 0) return probe == -kENOENT && (flags & kO_CREAT) ? -kEROFS : probe;
  struct stat st {};
  ::fstat(int(probe), &st);
  ::close(int(probe));
  if ((flags & kO_CREAT) && (flags & kO_EXCL)) return -kEEXIST;
  if (writing) return S_ISDIR(st.st_mode) ? -kEISDIR : -kEROFS;

  uint64_t host_flags = O_RDONLY;
  if (flags & kO_DIRECTORY) host_flags |= O_DIRECTORY;
  if (flags & kO_NONBLOCK) host_flags |= O_NONBLOCK;
  if (flags & kO_PATH) host_flags = O_PATH | (host_flags & O_DIRECTORY);
  int64_t hfd = resolve(joined, host_flags, follow);
  if (hfd < 0) return hfd;
  int64_t fd = lowest_free(0);
  if (fd < 0) {
    ::close(int(hfd));
    return fd;
  }
  ::fstat(int(hfd), &st);
  auto h = std::make_shared<HostFd>();
  h->fd = int(hfd);
  h->owned = true;
  bool dir = S_ISDIR(st.st_mode);
  files_[fd] = File{h, flags & ~kO_CLOEXEC, (flags & kO_CLOEXEC) != 0, dir, dir ? guest_path_of(int(hfd)) : joined};
  return fd;
}

int64_t FileTable::close(int64_t fd) { return files_.erase(fd) ? 0 : -kEBADF; }

int64_t FileTable::dup(int64_t fd, int64_t lowest, bool cloexec) {
  File* f = get(fd);
  if (!f) return -kEBADF;
  if (lowest < 0 || lowest >= kMaxFds) return -kEINVAL;
  int64_t n = lowest_free(lowest);
  if (n < 0) return n;
  File copy = *f;
  copy.cloexec = cloexec;
  files_[n] = std::move(copy);
  return n;
}

int64_t FileTable::dup_to(int64_t fd, int64_t to, bool cloexec) {
  File* f = get(fd);
  if (!f || to < 0 || to >= kMaxFds) return -kEBADF;
  if (fd == to) return to;
  File copy = *f;
  copy.cloexec = cloexec;
  files_[to] = std::move(copy);
  return to;
}

int64_t FileTable::chdir(const std::string& path) {
  int64_t h = lookup(kAT_FDCWD, path, true);
  if (h < 0) return h;
  struct stat st {};
  ::fstat(int(h), &st);
  if (S_ISDIR(st.st_mode)) cwd_ = guest_path_of(int(h));
  ::close(int(h));
  return S_ISDIR(st.st_mode) ? 0 : -kENOTDIR;
}

int64_t FileTable::fchdir(int64_t fd) {
  File* f = get(fd);
  if (!f) return -kEBADF;
  if (!f->directory) return -kENOTDIR;
  cwd_ = f->path;
  return 0;
}

}  // namespace dusim
