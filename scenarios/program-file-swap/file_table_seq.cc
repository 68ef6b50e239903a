// Descriptor lookups without the table's lock: a new class of file table
// (objects/file_table.h) and a factory behind the FileTable reference that
// makes it. FileTableShared takes its one spinlock on every call, so the
// threads of a program reading on every CPU pass its lock's cache line
// round on each read (the lookup) and again for the new position. Here:
//
//   - the table's shape (which descriptor names which description, the
//     close-on-exec flags, the descriptions themselves) changes under the
//     table's lock, inside a sequence count made odd while it changes;
//   - a lookup (get) reads the shape with no store at all and retries if
//     the count moved, so readers share the lines they read;
//   - a description's position, which every read writes, has a lock of
//     its own on the description's own cache line: taken, the count
//     checked again (a close or a reuse of that description since would
//     have changed it, and it takes the same lock to free or fill one),
//     the position stored.
//
// The class update swaps the factory (new programs get this class at
// once), then every program's table, whose whole state arrives by
// kXferCopyV0 (FileTableState, which both classes export and import).
#include "kernel/atomic.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/string.h"
#include "objects/file_table.h"
#include "update/dynamic_update.h"

namespace {
enum : s64 { kEBADF = 9, kEINVAL = 22, kEMFILE = 24 };
}

class FileTableSeq final : public obj::SingleRep<FileTable> {
 public:
  // Its descriptions in a block of their own (a large allocation: whole
  // pages, so each description starts a cache line).
  FileTableSeq() : desc_(static_cast<Desc*>(kzalloc(sizeof(Desc) * kMaxOpenDescs))) {}
  bool made() const { return desc_ != nullptr; }
  s64 install(const user::FileDesc& d, u32 min_fd, bool cloexec) override {
    if (min_fd >= kMaxFds) return -kEINVAL;
    Shape w(this);
    s64 fd = lowest_free(min_fd);
    if (fd < 0) return fd;
    u32 i = 0;
    while (desc_[i].refs) ++i;  // (fewer descriptions than descriptors are in use: one is free)
    fill(i, d, 1);
    fd_[fd] = FileTableState::Slot{u16(i + 1), u8(cloexec)};
    return fd;
  }

  s64 get(u32 fd, user::FileDesc* out) override {
    if (fd >= kMaxFds) return -kEBADF;
    for (;;) {
      const u64 s = stable();
      const u16 i = load_once(fd_[fd].desc);
      if (i) *out = desc_[i - 1].d;
      mach::lwsync();
      if (load_once(seq_) == s) return i ? 0 : -kEBADF;
    }
  }

  s64 close(u32 fd, u64* drop) override {
    Shape w(this);
    return close_shaped(fd, drop);
  }

  s64 dup(u32 fd, u32 to, u32 how, u64* drop) override {
    *drop = 0;
    Shape w(this);
    if (fd >= kMaxFds || !fd_[fd].desc) return -kEBADF;
    s64 nfd;
    if (how & kDupExact) {
      if (to >= kMaxFds) return -kEBADF;
      if (to == fd) return fd;
      close_shaped(to, drop);
      nfd = to;
    } else {
      if (to >= kMaxFds) return -kEINVAL;
      nfd = lowest_free(to);
      if (nfd < 0) return nfd;
    }
    const u16 i = fd_[fd].desc;
    ++desc_[i - 1].refs;
    fd_[nfd] = FileTableState::Slot{i, u8((how & kDupCloexec) != 0)};
    return nfd;
  }

  s64 fdFlags(u32 fd, s64 set) override {
    if (set < 0) {
      for (;;) {
        const u64 s = stable();
        const bool open = fd < kMaxFds && load_once(fd_[fd].desc);
        const s64 flags = open ? s64(load_once(fd_[fd].cloexec)) : -kEBADF;
        mach::lwsync();
        if (load_once(seq_) == s) return flags;
      }
    }
    Shape w(this);
    if (fd >= kMaxFds || !fd_[fd].desc) return -kEBADF;
    fd_[fd].cloexec = u8(set & 1);
    return fd_[fd].cloexec;
  }

  s64 update(u32 fd, u64 pos, s64 status) override {
    if (fd >= kMaxFds) return -kEBADF;
    if (status >= 0) {  // status flags: rare, under the table's lock
      Shape w(this);
      const u16 i = fd_[fd].desc;
      if (!i) return -kEBADF;
      SpinGuard g(desc_[i - 1].lock);
      desc_[i - 1].d.pos = pos;
      desc_[i - 1].d.status = u32(status);
      return 0;
    }
    for (;;) {
      const u64 s = stable();
      const u16 i = load_once(fd_[fd].desc);
      if (!i) {
        mach::lwsync();
        if (load_once(seq_) == s) return -kEBADF;
        continue;
      }
      Desc& d = desc_[i - 1];
      SpinGuard g(d.lock);
      if (load_once(seq_) != s) continue;  // the shape changed: look again
      d.d.pos = pos;
      return 0;
    }
  }

  s64 nextOpen(u32 from) override {
    SpinGuard g(lock_);
    for (u32 fd = from; fd < kMaxFds; ++fd)
      if (fd_[fd].desc) return fd;
    return -1;
  }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<FileTableState*>(out.alloc(sizeof(FileTableState)));
    if (!s) return kErrNoMemory;
    SpinGuard g(lock_);
    memcpy(s->fd, fd_, sizeof fd_);
    for (u32 i = 0; i < kMaxOpenDescs; ++i) s->desc[i] = FileTableState::Desc{desc_[i].d, desc_[i].refs};
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    if (!made()) return kErrNoMemory;
    const auto* s = static_cast<const FileTableState*>(in.data);
    Shape w(this);
    memcpy(fd_, s->fd, sizeof fd_);
    for (u32 i = 0; i < kMaxOpenDescs; ++i) fill(i, s->desc[i].d, s->desc[i].refs);
    return kOk;
  }
  void destroy(bool) override {
    kfree(desc_);
    delete this;
  }
  const char* class_name() const override { return "FileTableSeq"; }

 private:
  // A description on a cache line of its own, with the lock its position
  // is written under.
  struct Desc {
    user::FileDesc d;
    u32 refs;
    SpinLock lock;
    char pad[KERNEL_CACHE_LINE - sizeof(user::FileDesc) - 8 - sizeof(SpinLock)];
  };
  static_assert(sizeof(Desc) == KERNEL_CACHE_LINE, "one line per description");
  // The table's lock, held and the count odd, for as long as it lives.
  struct Shape {
    FileTableSeq* t;
    u64 irqs;
    explicit Shape(FileTableSeq* table) : t(table), irqs(table->lock_.lock_irqsave()) {
      store_once(t->seq_, t->seq_ + 1);
      mach::lwsync();
    }
    ~Shape() {
      mach::lwsync();
      store_once(t->seq_, t->seq_ + 1);
      t->lock_.unlock_irqrestore(irqs);
    }
  };

  // An even count: no change under way.
  u64 stable() const {
    for (;;) {
      const u64 s = load_once(seq_);
      if (!(s & 1)) {
        mach::lwsync();
        return s;
      }
      mach::cpu_relax();
    }
  }
  s64 lowest_free(u32 from) const {
    for (u32 fd = from; fd < kMaxFds; ++fd)
      if (!fd_[fd].desc) return fd;
    return -kEMFILE;
  }
  // Description i's contents (under Shape), with its lock: an update that
  // found it before the change waits, then sees the count moved.
  void fill(u32 i, const user::FileDesc& d, u32 refs) {
    SpinGuard g(desc_[i].lock);
    desc_[i].d = d;
    desc_[i].refs = refs;
  }
  s64 close_shaped(u32 fd, u64* drop) {
    *drop = 0;
    if (fd >= kMaxFds || !fd_[fd].desc) return -kEBADF;
    Desc& d = desc_[fd_[fd].desc - 1];
    fd_[fd] = FileTableState::Slot{0, 0};
    SpinGuard g(d.lock);
    if (--d.refs == 0) *drop = d.d.obj;
    return 0;
  }

  volatile u64 seq_ = 0;
  SpinLock lock_;
  char pad_[KERNEL_CACHE_LINE];  // the count's line is read on every call: nothing written beside it
  FileTableState::Slot fd_[kMaxFds] = {};
  Desc* desc_;
};

class FileTableFactory_Seq final : public FileTableFactory {
 public:
  FileTableFactory_Seq() : FileTableFactory(1) {}
  SysStatus create(obj::ObjRef<FileTable>& out) override {
    auto* t = new FileTableSeq();
    if (t && !t->made()) {
      t->destroy(false);
      return kErrNoMemory;
    }
    return adopt(t, out.idx);
  }
  // Takes an old table's place; its descriptors arrive by transfer.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FileTableSeq(); }
  const char* class_name() const override { return "FileTableFactory_Seq"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FileTableFactory_Seq();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FileTable).idx, f) == kOk ? 0 : 1;
}
