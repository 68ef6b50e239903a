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
//                  swapped is destroyed by its swapper after the swap.
//   update_object  a single-instance object replaced by hot swap, without a
//                  factory (the seed's allocator fix).
//   add_class      a new class (and its factory) made callable by name; no
//                  existing object is touched, so nothing blocks.
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

struct UpdateContext {
  u64 seq = 0;                 // mailbox SEQ of the module's delivery
  u64 timeout_cycles = 0;      // per-swap quiescence timeout; 0: default
  u64 objects_swapped = 0;
  u64 factories_swapped = 0;
  u64 swap_failures = 0;
  u64 deferred_destroys = 0;   // instances destroyed while being swapped (finished after the swap)
  bool finished = false;       // a terminal event was emitted
  const char* reason = "";
};

enum Reason : u64 {  // UPDATE_ABORTED reason codes
  kReasonVersion = 1, kReasonTransfer = 2, kReasonQuiescence = 3, kReasonNoMemory = 4, kReasonInit = 5,
  kReasonInstances = 6,
};

SysStatus update_class(UpdateContext& ctx, u32 factory_ref, obj::Factory* new_factory);
SysStatus update_object(UpdateContext& ctx, u32 ref, obj::ObjectRoot* replacement);
// Installs the factory and registers `name` (class_registry.h).
SysStatus add_class(UpdateContext& ctx, const char* name, obj::Factory* factory, u32* ref_out);

// Emits the update's terminal event (UPDATE_APPLIED when st is kOk, else
// UPDATE_ABORTED with reason_code) unless one was emitted already. The
// update's thread: the calls above and the module service.
void finish(UpdateContext& ctx, SysStatus st, u64 reason_code, const char* reason);

// Waits on a latch without holding the caller's generation open (a thread
// that waits for swappers must not hold up their quiescence). Any kernel
// thread.
void wait_uncounted(Latch& l);

}  // namespace upd
