// The lazy class update (update_class with ClassUpdate::kLazy; K42 applied
// some changes lazily): after the version check and the factory swap, no
// instance is swapped at once. Instead
//
//   arm       (phase LAZY_ARM) every instance not of the new class is marked
//             kUpdLazy on its list and its local entries are cleared, so that
//             its next call on any CPU misses;
//   the call  the miss (object_table.cc, slow_enter) sees kUpdLazy, marks the
//             instance kUpdSwapping (a destroy from now on is queued for the
//             converter, as during a class update's swaps) and queues it; the
//             call itself goes on to the old object, it does not wait;
//   convert   the update's converter thread (uncounted, so it holds no
//             generation up) swaps each queued instance for one the new
//             factory makes, exactly as the eager class update does
//             (swap_instance), and emits LAZY_CONVERTED with the running count;
//   done      when no instance is left marked, LAZY_DONE: the previous class's
//             module, pinned while any instance could still run its code, is
//             released, and unloaded if a commit already let it go
//             (lifecycle.h): the old class unloads only after the last.
//
// One lazy update converts at a time. A class update while one is still
// converting first finishes it (phase LAZY_FINISH, finish_lazy): the
// converter takes every instance still marked as a call would and converts
// it at once, so an instance nobody calls again does not keep later class
// updates out; only when that does not end within the update's timeout is
// the class update refused (kReasonLazy). A lazy update cannot be reverted
// until it is done.
//
// Locking and synchronization: the queue has its own spinlock (interrupts
// off); an instance's `updating` changes from kUpdLazy only under its
// instance list's lock (factory.h), so the call path and a destroy agree on
// who owns it. g_lazy (the converting update) is written by the update's
// thread before arming and by the converter when it is done, and read by
// the call path; its memory is never freed.
#pragma once

#include "update/dynamic_update.h"

namespace upd {

// Arms `nf`'s lazy conversion of every instance of another version and
// starts the converter (update_class's thread, after the factory swap).
// Returns the number armed, or fails (kErrBusy while another converts,
// kErrNoMemory) with nothing armed.
SysStatus arm_lazy(UpdateContext& ctx, u32 factory_ref, obj::Factory* nf, u64* armed);
// Is a lazy update converting now? Any thread.
bool lazy_busy();
// Finishes the converting lazy update, if any, now: every instance it has
// not converted yet is converted without waiting for its call. The calling
// update's thread waits (out of its generation) up to ctx.timeout_cycles;
// kErrBusy if it did not end by then.
SysStatus finish_lazy(UpdateContext& ctx);
// Is update `seq` a lazy one still converting? Any thread.
bool lazy_converting(u64 seq);
// Counts of the lazy update `seq` so far (tests); false if it is not one.
bool lazy_counts(u64 seq, u64* armed, u64* converted, bool* done);

}  // namespace upd
