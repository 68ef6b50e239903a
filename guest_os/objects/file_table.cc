#include "objects/file_table.h"

#include "kernel/heap.h"
#include "kernel/string.h"

obj::ObjRef<FileTableFactory> FileTableFactory::factoryRef;

namespace {
enum : s64 { kEBADF = 9, kEINVAL = 22, kEMFILE = 24 };
}  // namespace

FileTableState::Desc* FileTableShared::desc_of(u32 fd) {
  if (fd >= kMaxFds || !t_.fd[fd].desc) return nullptr;
  return &t_.desc[t_.fd[fd].desc - 1];
}

s64 FileTableShared::lowest_free_locked(u32 from) {
  for (u32 fd = from; fd < kMaxFds; ++fd)
    if (!t_.fd[fd].desc) return fd;
  return -kEMFILE;
}

s64 FileTableShared::install(const user::FileDesc& d, u32 min_fd, bool cloexec) {
  if (min_fd >= kMaxFds) return -kEINVAL;
  SpinGuard g(lock_);
  s64 fd = lowest_free_locked(min_fd);
  if (fd < 0) return fd;
  u32 i = 0;
  while (t_.desc[i].refs) ++i;  // (fewer descriptions than descriptors are in use: one is free)
  t_.desc[i] = FileTableState::Desc{d, 1};
  t_.fd[fd] = FileTableState::Slot{u16(i + 1), u8(cloexec)};
  return fd;
}

s64 FileTableShared::get(u32 fd, user::FileDesc* out) {
  SpinGuard g(lock_);
  FileTableState::Desc* d = desc_of(fd);
  if (!d) return -kEBADF;
  *out = d->d;
  return 0;
}

s64 FileTableShared::close_locked(u32 fd, u64* drop) {
  *drop = 0;
  FileTableState::Desc* d = desc_of(fd);
  if (!d) return -kEBADF;
  t_.fd[fd] = FileTableState::Slot{0, 0};
  if (--d->refs == 0) *drop = d->d.obj;
  return 0;
}

s64 FileTableShared::close(u32 fd, u64* drop) {
  SpinGuard g(lock_);
  return close_locked(fd, drop);
}

s64 FileTableShared::dup(u32 fd, u32 to, u32 how, u64* drop) {
  *drop = 0;
  SpinGuard g(lock_);
  if (!desc_of(fd)) return -kEBADF;
  s64 nfd;
  if (how & kDupExact) {
    if (to >= kMaxFds) return -kEBADF;
    if (to == fd) return fd;  // (dup2 onto itself; dup3 refused it before)
    close_locked(to, drop);
    nfd = to;
  } else {
    if (to >= kMaxFds) return -kEINVAL;
    nfd = lowest_free_locked(to);
    if (nfd < 0) return nfd;
  }
  const u16 desc = t_.fd[fd].desc;
  ++t_.desc[desc - 1].refs;
  t_.fd[nfd] = FileTableState::Slot{desc, u8((how & kDupCloexec) != 0)};
  return nfd;
}

s64 FileTableShared::fdFlags(u32 fd, s64 set) {
  SpinGuard g(lock_);
  if (!desc_of(fd)) return -kEBADF;
  if (set >= 0) t_.fd[fd].cloexec = u8(set & 1);
  return t_.fd[fd].cloexec;
}

s64 FileTableShared::update(u32 fd, u64 pos, s64 status) {
  SpinGuard g(lock_);
  FileTableState::Desc* d = desc_of(fd);
  if (!d) return -kEBADF;
  d->d.pos = pos;
  if (status >= 0) d->d.status = u32(status);
  return 0;
}

s64 FileTableShared::nextOpen(u32 from) {
  SpinGuard g(lock_);
  for (u32 fd = from; fd < kMaxFds; ++fd)
    if (t_.fd[fd].desc) return fd;
  return -1;
}

SysStatus FileTableShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<FileTableState*>(out.alloc(sizeof(FileTableState)));
  if (!s) return kErrNoMemory;
  SpinGuard g(lock_);
  memcpy(s, &t_, sizeof t_);
  return kOk;
}

SysStatus FileTableShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  SpinGuard g(lock_);
  memcpy(&t_, in.data, sizeof t_);
  return kOk;
}

SysStatus FileTableFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new FileTableFactory(0); });
}

SysStatus FileTableFactory::create(obj::ObjRef<FileTable>& out) { return adopt(new FileTableShared(), out.idx); }
