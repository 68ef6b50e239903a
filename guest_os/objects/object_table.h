// The object translation table of the clustered-object runtime (seed: "object
// translation table"; K42: the COS tables) and the object reference (DREF).
//
// Every object call goes through an ObjRef<T>, a small index into the table,
// never through a raw pointer:
//
//   obj::ObjRef<FCM> f = ...;
//   f->unmapPage(7);      // local table -> representative -> virtual call
//
// Two levels, as in K42:
//   global table   one GlobalEntry per object: its root (ObjectRoot, which
//                  knows the object's per-CPU representatives) and, while the
//                  object is being hot-swapped, its mediator.
//   local table    one per CPU, reached through the per-CPU area (r13,
//                  PerCpu::local_translation_table): a word per object that is
//                  0 (miss), the representative's address (the fast path), or
//                  a mediator's address with bit 0 set.
//
// A call: CallGuard reads the CPU's local entry; a representative is called
// directly. 0 is a miss: the root installs this CPU's representative
// (ObjectRoot::rep_for; a clustered object creates it now). A tagged entry
// sends the call to the mediator (update/hot_swap.h), which forwards, tracks
// or blocks it; the guard's destructor at the end of the call's full
// expression tells the mediator the call has left the object.
//
// Locking and synchronization: global entries change only under the
// table lock (allocation) or by the one hot swap that owns the entry (the
// mediator field is claimed with a compare-and-swap). A local entry is
// written by its own CPU only with a compare-and-swap from 0 (miss
// handling) and by the swapping CPU with plain stores (interpose, switch,
// restore); a store kills a racing miss handler's reservation, so a
// representative can never overwrite a mediator. A caller that read an old
// entry just before it changed is still inside its thread's generation: the
// hot swap waits for that generation to end before it trusts its tracking.
#pragma once

#include "kernel/percpu.h"
#include "kernel/thread.h"
#include "kernel/types.h"

namespace obj {

constexpr u32 kMaxObjects = 8192;  // entries per table; entry 0 is the null reference

struct StateBuffer;
class Mediator;

// One call that went through a mediator. Lives on the caller's stack, inside
// its CallGuard, for as long as the call runs.
struct CallRecord {
  Mediator* med;        // nullptr: the call did not go through a mediator
  struct Thread* thread;
  CallRecord* next;
  CallRecord* prev;
  u32 cpu;
};

// The root of a clustered object: what the global table points at.
// Implementations derive from their interface and from ObjectRoot; a
// single-representative object returns itself from rep_for.
class ObjectRoot {
 public:
  // Miss handling: this CPU's representative, as a pointer to the object's
  // interface type (the T of the ObjRef<T> that names it). May allocate.
  virtual void* rep_for(unsigned cpu) = 0;
  // State transfer (update/state_transfer.h): the formats this object can
  // export and import, as bit vectors; the highest common bit wins.
  virtual u64 export_formats() { return 0; }
  virtual u64 import_formats() { return 0; }
  virtual SysStatus export_state(u64 format, StateBuffer& out) { return kErrInvalid; }
  virtual SysStatus import_state(u64 format, StateBuffer& in) { return kErrInvalid; }
  // Frees the object and its representatives. keep_back_end: its state's
  // back end was handed to a successor (shared-back-end transfer) and stays.
  virtual void destroy(bool keep_back_end) = 0;
  virtual const char* class_name() const = 0;

  // ---- bookkeeping (the table and the factories) ----
  u32 ref = 0;                 // its translation-table index
  u32 inst_cpu = 0;            // the factory instance list it is on
  u64 class_version = 0;       // the version of the factory that made it
  ObjectRoot* inst_next = nullptr;
  ObjectRoot* inst_prev = nullptr;
  volatile u64 updating = 0;   // a class update is swapping it (factory.h)
  volatile u64 destroy_pending = 0;  // destroyed while being swapped: the swapper finishes it (factory.h)

 protected:
  ~ObjectRoot() = default;
};

struct GlobalEntry {
  ObjectRoot* volatile root;
  volatile u64 mediator;  // Mediator* while a hot swap owns the entry, else 0
  u32 next_free;
  u32 in_use;
};

extern GlobalEntry* g_global;  // kMaxObjects entries

// Sets up the global table and every CPU's local table. Idempotent; any
// thread may call it (the first use of the runtime does).
void init();
bool initialized();
inline volatile u64* local_table() {
  return static_cast<volatile u64*>(this_cpu()->local_translation_table);
}
volatile u64* local_table_of(unsigned cpu);

// Allocates a table entry for `root` (sets root->ref); 0 when the table is full.
u32 install(ObjectRoot* root);
// Frees entry `idx`; the caller guarantees no call can reach it any more.
void uninstall(u32 idx);
// Clears entry idx on every CPU's local table (the next call misses).
void flush_local_entries(u32 idx);
inline ObjectRoot* root_of(u32 idx) { return g_global[idx].root; }

// A miss on an object whose `updating` is 4 (kUpdLazy, update/factory.h)
// calls this hook first (the lazy class update queues the object for
// conversion; the call goes on to the object as it is). Set once.
void set_lazy_call_hook(void (*hook)(ObjectRoot*));

// Slow path of a call (miss, mediator). Returns the object to call.
void* slow_enter(u32 idx, CallRecord* rec);
void slow_exit(CallRecord* rec);

template <typename T>
class CallGuard {
 public:
  explicit CallGuard(u32 idx) {
    rec_.med = nullptr;
    u64 e = local_table()[idx];
    if (likely(e != 0 && !(e & 1))) {
      obj_ = reinterpret_cast<T*>(e);
      return;
    }
    obj_ = static_cast<T*>(slow_enter(idx, &rec_));
  }
  ~CallGuard() {
    if (unlikely(rec_.med != nullptr)) slow_exit(&rec_);
  }
  CallGuard(const CallGuard&) = delete;
  CallGuard& operator=(const CallGuard&) = delete;
  T* operator->() const { return obj_; }

 private:
  T* obj_;
  CallRecord rec_;
};

// The object reference clients hold (K42's DREF). Copyable; 0 is null.
template <typename T>
struct ObjRef {
  u32 idx = 0;
  CallGuard<T> operator->() const { return CallGuard<T>(idx); }
  bool valid() const { return idx != 0; }
  bool operator==(const ObjRef& o) const { return idx == o.idx; }
};

// A single-representative object: root and representative are one.
template <typename Iface>
class SingleRep : public Iface, public ObjectRoot {
 public:
  void* rep_for(unsigned) override { return static_cast<Iface*>(this); }
};

}  // namespace obj
