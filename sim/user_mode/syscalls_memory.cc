// System calls on the address space: brk, mmap, munmap, mprotect, mremap, madvise.
#include <unistd.h>

#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"
#include "user_mode/syscall_table.h"

namespace dusim {

using namespace linux_abi;

int64_t sys_brk(SysCall& s) { return int64_t(s.proc.memory().brk(s.arg[0])); }

int64_t sys_mmap(SysCall& s) {
  uint64_t addr = s.arg[0], len = s.arg[1], prot = s.arg[2], flags = s.arg[3], off = s.arg[5];
  int64_t fd = int32_t(s.arg[4]);
  uint64_t type = flags & 3;  // MAP_SHARED, MAP_PRIVATE or MAP_SHARED_VALIDATE
  if (type == 0 || (prot & ~(kPROT_READ | kPROT_WRITE | kPROT_EXEC)) || (off & (AddressSpace::kPage - 1)))
    return -kEINVAL;
  bool fixed = flags & kMAP_FIXED, noreplace = flags & kMAP_FIXED_NOREPLACE;
  AddressSpace& mm = s.proc.memory();
  if (flags & kMAP_ANONYMOUS) return mm.map(addr, len, uint8_t(prot), fixed, noreplace, "[anon]");

  // A file: private mappings are copies of its bytes; shared ones are not supported.
  FileTable::File* f = s.proc.files().get(fd);
  if (!f || (f->flags & kO_PATH)) return -kEBADF;
  if (f->directory || type != kMAP_PRIVATE) {
    s.proc.note("mmap: only private mappings of files are supported (ENODEV)");
    return -kENODEV;
  }
  int64_t at = mm.map(addr, len, uint8_t(prot), fixed, noreplace, f->path);
  if (at < 0) return at;
  uint8_t* host = mm.host(uint64_t(at), len);
  ssize_t n = ::pread(f->host->fd, host, len, off_t(off));
  if (n < 0) {
    mm.unmap(uint64_t(at), len);
    return -errno;
  }
  s.proc.code().invalidate(uint64_t(at), len);
  return at;
}

int64_t sys_munmap(SysCall& s) { return s.proc.memory().unmap(s.arg[0], s.arg[1]); }

int64_t sys_mprotect(SysCall& s) {
  if (s.arg[2] & ~(kPROT_READ | kPROT_WRITE | kPROT_EXEC)) return -kEINVAL;
  return s.proc.memory().protect(s.arg[0], s.arg[1], uint8_t(s.arg[2]));
}

int64_t sys_mremap(SysCall& s) { return s.proc.memory().remap(s.arg[0], s.arg[1], s.arg[2], s.arg[3], s.arg[4]); }

int64_t sys_madvise(SysCall& s) {
  uint64_t addr = s.arg[0], len = s.arg[1], advice = s.arg[2];
  AddressSpace& mm = s.proc.memory();
  if (advice == kMADV_DONTNEED) return mm.discard(addr, len);
  if (addr & (AddressSpace::kPage - 1)) return -kEINVAL;
  uint64_t end = (addr + len + AddressSpace::kPage - 1) & ~(AddressSpace::kPage - 1);
  return end <= addr || mm.mapped(addr, end - addr) ? 0 : -kENOMEM;
}

}  // namespace dusim
