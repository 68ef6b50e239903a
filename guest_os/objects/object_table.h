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
//                  always the address of something callable: the
//                  representative (the fast path), or one of the entry's two
//                  slow objects, "miss" (no representative on this CPU yet)
//                  and "mediated" (a hot swap owns the object).
//
// A call is what K42's DREF is: `ref->method(...)` loads the CPU's local
// entry and makes the virtual call on whatever it names, with no test at
// the call site. A slow object is a word whose vtable is the runtime's
// (object_call.S): its slot n is a trampoline that saves the call's
// arguments, asks slow_enter which object serves the call (a miss installs
// this CPU's representative, ObjectRoot::rep_for, a clustered object
// creating it now; a mediated entry goes to the mediator, update/
// hot_swap.h, which forwards, tracks or blocks it), makes the call through
// that object's slot n, and on return tells the mediator the call has left
// the object. So the mediator, not every call site, pays for mediation.
//
// What this asks of an interface called through an ObjRef<T>: only its
// virtual methods may be used through operator-> (a slow object has no
// fields and no non-virtual methods), at most 7 arguments besides `this`,
// all passed in registers, and a scalar or void result (an aggregate result
// would move `this` out of r3). tools/check/objref_calls.sh checks every
// call site against these rules with clang's AST; the suite runs it.
//
// Locking and synchronization: global entries change only under the
// table lock (allocation) or by the one hot swap that owns the entry (the
// mediator field is claimed with a compare-and-swap). A local entry is
// written by the swapping CPU with plain stores ("mediated" at interpose;
// "miss" when an entry is freed or a lazy update flushes it) and by its own
// CPU only under a reservation: "miss" -> "mediated" while a swap owns the
// object, and "miss" or a "mediated" left by a swap that has ended -> the
// representative, with the global mediator re-read inside the reservation
// (slow_enter). An interposer stores the global mediator, syncs, then the
// local entries, so a representative can never overwrite a live
// "mediated": its store kills the reservation, or the re-read sees the
// mediator. Switch and restore leave the entries alone: each CPU's next
// call repairs its own. A caller that read an old entry just before it
// changed is still inside its thread's generation: the hot swap waits for
// that generation to end before it trusts its tracking (and no swap can
// begin and end while a caller is inside slow_enter).
#pragma once

#include "kernel/percpu.h"
#include "kernel/thread.h"
#include "kernel/types.h"

namespace obj {

constexpr u32 kMaxObjects = 8192;  // entries per table; entry 0 is the null reference

struct StateBuffer;
class Mediator;

// One call that went through a slow object. Lives on the caller's stack, in
// the trampoline's frame (object_call.S: its layout is fixed there, 40
// bytes), for as long as the call runs.
struct CallRecord {
  Mediator* med;        // nullptr: the call did not go through a mediator
  struct Thread* thread;
  CallRecord* next;
  CallRecord* prev;
  u32 cpu;
};
static_assert(sizeof(CallRecord) == 40, "object_call.S reserves 40 bytes for it");

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

// The slow objects (object_call.S): two words per entry, each holding the
// runtime's trampoline vtable. Set up by init().
extern u64* g_slow_objects;
inline u64 miss_entry(u32 idx) { return reinterpret_cast<u64>(&g_slow_objects[2 * u64(idx)]); }
inline u64 mediated_entry(u32 idx) { return reinterpret_cast<u64>(&g_slow_objects[2 * u64(idx) + 1]); }

// The slow path of a call (object_call.S calls these). slow_enter returns
// the object to call (it may install a representative, or sleep in a
// mediator that holds the call); slow_exit runs after a call that a
// mediator tracked (rec->med set).
void* slow_enter(u32 idx, CallRecord* rec);
void slow_exit(CallRecord* rec);

// The object reference clients hold (K42's DREF). Copyable; 0 is null.
// `ref->m(...)` calls virtual method m of whatever this CPU's local entry
// names; see the top of this file for what T's methods must be.
template <typename T>
struct ObjRef {
  static_assert(__is_polymorphic(T), "an ObjRef names an interface with virtual methods");
  u32 idx = 0;
  T* operator->() const { return reinterpret_cast<T*>(local_table()[idx]); }
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
