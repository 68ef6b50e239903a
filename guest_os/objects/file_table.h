// A program's file descriptors (kernel/user.cc's read, write, open, close,
// dup, fcntl, lseek... go through it): the table from descriptor numbers to
// open file descriptions (user::FileDesc: what was opened, its position
// and status flags), as Linux's files_struct and struct file. Descriptors
// made by dup share one description, so they share its position; the
// close-on-exec flag is the descriptor's own.
//
//   FileTableShared  one representative for every CPU: the table under one
//                    lock (the calls are a few loads and stores each).
//
// A program's table is made by FileTableFactory (reached through its
// factory reference, DREF_FACTORY_DEFAULT(FileTable)), which tracks every
// table, so a class update reaches the tables of every running program.
// State transfer: kXferCopyV0, the FileTableState below (the whole table),
// so a table can be hot-swapped under a program in the middle of its reads.
//
// Results are Linux's: a descriptor (>= 0) or a negative errno.
//
// Locking: the table's spinlock (interrupts off while held) around every
// call; nothing else is called while it is held.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/user.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

using user::kMaxFds;  // descriptors 0 .. kMaxFds - 1
constexpr u32 kMaxOpenDescs = kMaxFds;  // (every description has a descriptor: one is free when a descriptor is)
using user::kDupCloexec, user::kDupExact, user::kDupLowest;  // dup's `how`

class FileTable {
 public:
  // A new description d under the lowest free descriptor >= min_fd:
  // the descriptor, -EMFILE (none free) or -EINVAL (min_fd beyond the
  // table).
  virtual s64 install(const user::FileDesc& d, u32 min_fd, bool cloexec) = 0;
  // The description fd names, copied to *out: 0 or -EBADF.
  virtual s64 get(u32 fd, user::FileDesc* out) = 0;
  // Closes fd: 0 or -EBADF. *drop: the memory object (FileDesc::obj) of
  // the description if this was its last descriptor, for the caller to
  // let go of; else 0.
  virtual s64 close(u32 fd, u64* drop) = 0;
  // A second descriptor for fd's description (how: kDup*): the new
  // descriptor or -EBADF, -EMFILE, -EINVAL. An exact dup onto an open
  // descriptor closes it first (*drop as close's).
  virtual s64 dup(u32 fd, u32 to, u32 how, u64* drop) = 0;
  // FD_CLOEXEC of fd: read (set < 0) or set to `set`; the flags or -EBADF.
  virtual s64 fdFlags(u32 fd, s64 set) = 0;
  // Sets fd's description's position, and its status flags unless
  // status < 0: 0 or -EBADF.
  virtual s64 update(u32 fd, u64 pos, s64 status) = 0;
  // The first open descriptor >= from, or -1.
  virtual s64 nextOpen(u32 from) = 0;

 protected:
  ~FileTable() = default;
};

struct FileTableState {
  struct Slot {
    u16 desc;  // the description's index + 1 (0: closed)
    u8 cloexec;
  } fd[kMaxFds];
  struct Desc {
    user::FileDesc d;
    u32 refs;  // descriptors naming it (0: free)
  } desc[kMaxOpenDescs];
};

class FileTableShared final : public obj::SingleRep<FileTable> {
 public:
  s64 install(const user::FileDesc& d, u32 min_fd, bool cloexec) override;
  s64 get(u32 fd, user::FileDesc* out) override;
  s64 close(u32 fd, u64* drop) override;
  s64 dup(u32 fd, u32 to, u32 how, u64* drop) override;
  s64 fdFlags(u32 fd, s64 set) override;
  s64 update(u32 fd, u64 pos, s64 status) override;
  s64 nextOpen(u32 from) override;
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "FileTableShared"; }

 private:
  FileTableState::Desc* desc_of(u32 fd);  // (under lock_) nullptr: not open
  s64 close_locked(u32 fd, u64* drop);
  s64 lowest_free_locked(u32 from);
  SpinLock lock_;
  FileTableState t_ = {};
};

// Not final: its reference is ObjRef<FileTableFactory>, and a final class
// would let the compiler call its methods without the translation table.
class FileTableFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<FileTable>& out);
  virtual void destroyTable(obj::ObjRef<FileTable> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FileTableShared(); }
  const char* class_name() const override { return "FileTableFactory"; }
  static obj::ObjRef<FileTableFactory> factoryRef;

 protected:
  explicit FileTableFactory(u64 version) : Factory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
