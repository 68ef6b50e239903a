// Factories (seed: "Each factory object provides an interface for creating
// and updating/destroying objects of one particular class, and maintains the
// set of objects that it has created").
//
// A factory is itself an object in the translation table, reached through a
// factory reference (the ObjRef a class keeps as its default factory, K42's
// DREF_FACTORY_DEFAULT), so the factory can be hot-swapped like any object.
// It tracks its instances on per-CPU lists (the CPU that created each one)
// in an InstanceRegistry; the registry is the factory's back end and moves to
// a successor factory by re-pointing (kXferSharedBackEnd), never by copying.
//
// Locking and synchronization: each per-CPU list has its own spinlock
// (interrupts off while held); an instance's `updating` state is set and
// cleared under its list's lock by the class update. An instance is never
// destroyed while it is being swapped: destroy_instance on such an instance
// does not wait (the caller is inside a call and in a generation the swap
// is waiting for: waiting would deadlock) but marks it `destroy_pending`
// and returns; the class update's swapper destroys it once its swap is
// over (whichever object the entry then names, old or new).
#pragma once

#include "kernel/spinlock.h"
#include "objects/object_table.h"

namespace obj {

// ObjectRoot::updating (kUpdLazy: a lazy class update converts it at its
// next call, lazy_update.h)
enum : u64 { kUpdIdle = 0, kUpdSwapping = 1, kUpdDestroying = 2, kUpdSkip = 3, kUpdLazy = 4 };

// Destroys queued on an instance under swap and completed after it (since boot).
extern volatile u64 g_deferred_destroys;

struct InstanceRegistry {
  struct alignas(KERNEL_CACHE_LINE) List {
    SpinLock lock;
    ObjectRoot* head;
    u64 count;
  };
  List* lists;  // ncpus() of them
  static InstanceRegistry* Create();
  void destroy();
  void add(ObjectRoot* r, unsigned cpu);
  void remove(ObjectRoot* r);
  void replace(ObjectRoot* old_root, ObjectRoot* new_root);  // same list, same place
  u64 count() const;
};

class Factory : public ObjectRoot {
 public:
  // Virtual: clients read them through the factory's ObjRef (object_table.h).
  virtual u64 version() const { return version_; }
  // The version-evolution requirement: by default a strictly linear
  // successor (the seed's "immediately succeeding version number").
  virtual bool accepts_predecessor(u64 running_version) const { return version_ == running_version + 1; }
  // A new instance of this factory's class that will take `old`'s place in
  // a class update: not installed in the table, not tracked; the hot swap
  // transfers old's state into it.
  virtual ObjectRoot* create_replacement(ObjectRoot* old) = 0;
  virtual InstanceRegistry* registry() const { return registry_; }
  virtual u64 instances() const { return registry_ ? registry_->count() : 0; }

  // Tracking: a new instance (installed in the table) joins this CPU's list.
  SysStatus track(ObjectRoot* inst);
  // A factory's create(): installs `inst` (a new instance of its class) in
  // the translation table and tracks it; kErrNoMemory, with `inst`
  // destroyed, when the table is full (or `inst` is null).
  SysStatus adopt(ObjectRoot* inst, u32& idx);
  // Removes an instance from the table and the lists and destroys it; if a
  // class update is swapping it, queues that for the end of its swap.
  // Never sleeps. Returns true if destroyed now, false if queued.
  bool destroy_instance(u32 ref);
  // The class update's side of a queued destroy (under no lock): removes
  // `r` (the root the entry names after its swap) and destroys it.
  static void finish_pending_destroy(InstanceRegistry* reg, ObjectRoot* r);
  // A class's default factory, made by `make` at first use, given its own
  // registry and installed in the table under ref_idx (idempotent; the
  // first callers on several CPUs make one): kOk, or kErrNoMemory with
  // nothing left behind. Each class's CreateDefault().
  static SysStatus install_default(u32& ref_idx, Factory* (*make)());

  // ObjectRoot: a factory is a single-representative object whose state is
  // its registry, transferred by re-pointing.
  void* rep_for(unsigned) override { return this; }
  u64 export_formats() override { return kXferShared; }
  u64 import_formats() override { return kXferShared; }
  SysStatus export_state(u64 format, StateBuffer& out) override;
  SysStatus import_state(u64 format, StateBuffer& in) override;
  void destroy(bool keep_back_end) override;

 protected:
  explicit Factory(u64 version);
  virtual ~Factory() = default;
  // Initializes a fresh factory's own registry (base factories at boot);
  // a factory that comes in an update gets its predecessor's instead.
  SysStatus make_registry();

  static constexpr u64 kXferShared = 1ull << 16;  // == kXferSharedBackEnd
  u64 version_;
  InstanceRegistry* registry_ = nullptr;
};

}  // namespace obj
