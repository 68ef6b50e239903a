// The mediator of a hot swap (seed: "an indirection virtual entity (termed a
// mediator ...) is disposed in advance of the object in question. Current
// threads are allowed to continue accessing the object, newly invoked
// threads are blocked at the mediator"; claims 11, 12 and 19).
//
// While a swap owns an object's translation-table entries (hot_swap.h), every
// call to the object reaches its mediator (object_table.cc, slow_enter), which
// acts by phase:
//   kForward    forwards the call to the old object and tracks it: the
//               caller's CallRecord goes on its CPU's list until the call ends
//   kBlock      holds a new call until the swap ends; a thread that already
//               has a tracked call on its CPU's list re-enters (an object that
//               calls itself cannot deadlock on its own swap)
//   kSwitched,  the swap is over (the entries name the new object, or the old
//   kRestored   one again): the caller looks the table up again
//
// Locking and synchronization:
//   - CpuCalls::lock, one per CPU on its own cache line, interrupts off while
//     held, guards that CPU's call list and its count of tracked calls. A
//     caller takes the lock of its own CPU in enter() and of the CPU it
//     entered on in exit(); the swapping thread takes none of them.
//   - The count and the phase are a Dekker pair: enter() increments its
//     CPU's count, syncs, then reads phase_ (and takes the increment back if
//     it is not tracked after all); start_blocking() stores kBlock, syncs,
//     and only then are counts read (tracked_calls). So either a caller saw
//     kBlock, or the swapper's count includes it: once start_blocking
//     returns, no call is tracked unseen. exit() decrements, syncs, then
//     reads phase_, so a call that leaves in kBlock wakes the swapper.
//   - held_.lock (the wait queue's lock) guards sleeping on held_ and the
//     change of phase_ to its end value in finish(): a held caller re-reads
//     phase_ under it before it sleeps, so it cannot miss the wake-up.
//   - phase_ is volatile: only the swapping thread writes it (Create,
//     start_blocking, finish).
//   - blocked_ is volatile and only incremented, atomically, by held callers;
//     the swapping thread reads it once finish() has released them.
//   - drained_.lock guards the swapping thread's sleep in wait_drained(): it
//     checks the CPUs one by one (a CPU drained in kBlock stays drained),
//     and for one whose count is not zero stores waiting_cpu_, syncs and
//     re-reads the count under the lock before it sleeps; the call that
//     brings that CPU's count to zero in kBlock (a tracked call leaving, or
//     an untracked one taking its increment back) syncs, reads waiting_cpu_
//     and takes the lock to wake it, so the last exit cannot fall between
//     the swapper's check and its sleep.
//   - A held caller spins (up to kHoldSpinCycles, only while no other thread
//     is ready on its CPU) before it sleeps on held_.
//   - A CPU's call lock, held_.lock and drained_.lock are never held together.
//   - Lifetime: retire() queues the mediator; reclaim_retired() frees it once
//     the generation current at retire() has ended, because a caller that
//     read the "mediated" entry and then the mediator's address just before
//     the switch may still hold it (it is inside that generation).
#pragma once

#include "kernel/sync.h"
#include "objects/object_table.h"

namespace obj {

class Mediator {
 public:
  enum Phase : u64 { kForward = 1, kBlock = 2, kSwitched = 3, kRestored = 4 };

  // A mediator for object `idx`, forwarding to `old_root`; nullptr when out
  // of memory. Called by the swapping thread before it interposes.
  static Mediator* Create(u32 idx, ObjectRoot* old_root, u64 update_seq);
  // Frees it now (keeps it for a later Create, with its per-CPU records
  // as they are). Only when no caller can know it: it was never interposed,
  // or it was retired and its generation has ended (reclaim_retired).
  void destroy();

  // ---- the call path: any thread calling the object (object_table.cc) ----
  // The object to call, or nullptr when the caller must look the table up
  // again (the call was held and the swap is over, or it is over already).
  // May sleep (kBlock): never from an interrupt handler.
  void* enter(u32 idx, CallRecord* rec);
  // The tracked call `rec` has left the object. Never sleeps.
  void exit(CallRecord* rec);

  // ---- the swapping thread's side (hot_swap.cc) ----
  void start_blocking();            // kForward -> kBlock
  u64 tracked_calls() const;        // tracked calls still inside the object
  // kBlock: sleeps until no tracked call is left (the last one to leave
  // wakes it), or `timeout_cycles` have passed since `t0`; false on timeout.
  bool wait_drained(u64 t0, u64 timeout_cycles);
  void finish(Phase end);           // kSwitched or kRestored: releases held calls
  u64 blocked_calls() const { return blocked_; }
  u64 update_seq() const { return seq_; }
  u32 object() const { return idx_; }
  // Has thread t a tracked call, i.e. is it inside the object? Called on t's
  // CPU with interrupts off (as sched::for_each_thread runs its callback),
  // so that CPU's list cannot change meanwhile (holder_report.cc).
  bool tracks(Thread* t) const;
  void retire();                    // freed by reclaim_retired() after the next generation

 private:
  struct alignas(KERNEL_CACHE_LINE) CpuCalls {
    SpinLock lock;
    CallRecord* head;
    u64 inflight;
  };
  bool inside(const CpuCalls& c, Thread* t) const;
  void hold(Thread* t);

  static constexpr u64 kNoCpu = ~0ull;
  static constexpr u64 kHoldSpinCycles = 100000;  // 60 us at 1650 MHz: a held caller's spin before it sleeps

  u32 idx_;
  u64 seq_;
  ObjectRoot* old_;
  volatile u64 phase_;
  volatile u64 blocked_;
  WaitQueue held_;
  WaitQueue drained_;  // the swapping thread, in wait_drained()
  volatile u64 waiting_cpu_;  // the CPU whose last exit wakes it (kNoCpu: none)
  CpuCalls* cpus_;  // ncpus() of them
  Mediator* spare_next_;  // on the spare list (mediator.cc), once no caller can reach it
};

// Frees retired mediators whose generation has ended. Any thread; the swap
// calls it before each new swap.
void reclaim_retired();

// Every call any mediator has held since boot (tests).
extern volatile u64 g_blocked_calls;
// The longest any call has been held, in cycles (its CPU's clock), since boot
// or since a test last cleared it.
extern volatile u64 g_blocked_max_cycles;

}  // namespace obj
