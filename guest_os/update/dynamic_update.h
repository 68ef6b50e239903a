// The dynamic update procedure (seed FIG. 3; claims 1, 11-13, 17-20), as the
// calls a module's init makes. Each call is a whole update step and emits
// its events with the update's sequence number (the mailbox SEQ value of the
// module's delivery, UpdateContext::seq):
//
//   update_class   load (done: the module is running) -> version check
//                  (abort with nothing changed unless accepted) -> swap the
//                  factory reference (a hot swap of the factory: calls to
//                  the factory are tracked, blocked, released to the new one;
//                  the instance registry is re-pointed) -> swap every old
//                  instance for one made by the new factory, each separately,
//                  in parallel on all CPUs (one uncounted thread per CPU walks
//                  that CPU's instance list) -> destroy the old factory.
//                  Instances created meanwhile come from the new factory and
//                  are skipped; an instance destroyed while it is being
//                  swapped is destroyed by its swapper after the swap. The
//                  old factory is kept, unreachable, so that the update can
//                  be reverted; 326 (destroy it) is done by the commit
//                  (lifecycle.h).
//                  With ClassUpdate::kLazy, instead of the parallel swaps
//                  every old instance is converted after its next call
//                  (lazy_update.h); UPDATE_APPLIED comes once they are armed.
//   update_object  a single-instance object replaced by hot swap, without a
//                  factory (the seed's allocator fix); the old object is
//                  kept for a revert until the commit.
//   add_class      a new class (and its factory) made callable by name; no
//                  existing object is touched, so nothing blocks.
//   update_interface  an object's interface changes (a method added,
//                  removed, or with a new signature): the new object, of the
//                  new interface, installed by the caller at `new_ref` (no
//                  client knows it yet), is named `name` in the class
//                  registry for clients loaded later; `adapter`, of the old
//                  interface and forwarding to new_ref, takes
//                  the old object's entry by hot swap (its import_state
//                  hands the state to neu), so clients compiled against the
//                  old interface keep calling the same reference. It cannot
//                  be reverted (clients of the new interface hold neu's
//                  reference).
//   revert         undoes update `seq` (the latest on its object): the
//                  previous class back, by hot swap (lifecycle.h).
//   commit         makes update `seq` permanent: what it replaced is freed,
//                  and the code nothing uses any more unloaded (lifecycle.h).
//
// The first terminal event (UPDATE_APPLIED or UPDATE_ABORTED) of an update
// is emitted once: by these calls, or by the module service when init
// returns without one.
//
// Who may call: a kernel thread, normally the module's init (run by the
// module service in an uncounted thread), one update at a time.
#pragma once

#include "kernel/sync.h"
#include "update/class_registry.h"
#include "update/factory.h"
#include "update/hot_swap.h"

namespace upd {

struct LoadedModule;  // lifecycle.h

struct UpdateContext {
  u64 seq = 0;                 // mailbox SEQ of the module's delivery
  u64 timeout_cycles = 0;      // per-swap quiescence timeout; 0: default
  u64 objects_swapped = 0;
  u64 factories_swapped = 0;
  u64 swap_failures = 0;
  u64 deferred_destroys = 0;   // instances destroyed while being swapped (finished after the swap)
  bool finished = false;       // a terminal event was emitted
  LoadedModule* module = nullptr;  // the module whose init runs this update (none: the kernel's own)
  bool discard_module = false;     // the module holds no class (a revert, a commit): unloaded after init
  const char* reason = "";
};

enum Reason : u64 {  // UPDATE_ABORTED reason codes
  kReasonVersion = 1, kReasonTransfer = 2, kReasonQuiescence = 3, kReasonNoMemory = 4, kReasonInit = 5,
  kReasonInstances = 6, kReasonRevert = 7, kReasonCommit = 8, kReasonLazy = 9,
};

// How update_class converts the existing instances: all at once (each hot-
// swapped, in parallel on every CPU, before it returns), or each on its next
// call, by the update's converter thread (lazy_update.h).
enum class ClassUpdate : u8 { kEager, kLazy };

SysStatus update_class(UpdateContext& ctx, u32 factory_ref, obj::Factory* new_factory,
                       ClassUpdate mode = ClassUpdate::kEager);
SysStatus update_object(UpdateContext& ctx, u32 ref, obj::ObjectRoot* replacement);
// Installs the factory and registers `name` (class_registry.h).
SysStatus add_class(UpdateContext& ctx, const char* name, obj::Factory* factory, u32* ref_out);
// On failure the new object is uninstalled and destroyed, and the adapter too.
SysStatus update_interface(UpdateContext& ctx, u32 ref, u32 new_ref, obj::ObjectRoot* adapter, const char* name);
SysStatus revert(UpdateContext& ctx, u64 seq);
SysStatus commit(UpdateContext& ctx, u64 seq);

// Emits the update's terminal event (UPDATE_APPLIED when st is kOk, else
// UPDATE_ABORTED with reason_code) unless one was emitted already. The
// update's thread: the calls above and the module service.
void finish(UpdateContext& ctx, SysStatus st, u64 reason_code, const char* reason);

// Two steps of update_class that a revert runs too (lifecycle.cc), in the
// update's thread: the factory reference's hot swap to `nf` (the old factory
// is kept; own_nf false: a failure keeps nf too), and the parallel swaps of
// every instance not of nf's version for one nf makes.
obj::SwapResult swap_factory(UpdateContext& ctx, u32 factory_ref, obj::Factory* nf, bool own_nf = true);
void swap_instances(UpdateContext& ctx, u32 factory_ref, obj::Factory* nf);
// One of them: `old` (marked kUpdSwapping on its list) swapped for one f
// makes; a destroy queued meanwhile is finished. Any kernel thread that is
// not inside `old`.
struct InstanceSwapCounts {
  u64 swapped, failed, destroyed;
};
void swap_instance(UpdateContext& ctx, obj::Factory* f, obj::ObjectRoot* old, InstanceSwapCounts& n);
// The same for k <= obj::kMaxBatch instances at once (obj::hot_swap_batch).
void swap_instance_batch(UpdateContext& ctx, obj::Factory* f, obj::ObjectRoot* const* olds, unsigned k,
                         InstanceSwapCounts& n);

// Waits on a latch without holding the caller's generation open (a thread
// that waits for swappers must not hold up their quiescence). Any kernel
// thread.
void wait_uncounted(Latch& l);
// The same, for at most timeout_cycles (0: no limit); false if it timed out.
bool wait_uncounted_for(Latch& l, u64 timeout_cycles);

}  // namespace upd
