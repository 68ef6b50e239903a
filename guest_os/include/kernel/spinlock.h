// Spinlocks on lwarx/stwcx.
//
// Locking and synchronization: a SpinLock is a 32-bit word, 0 free, else
// 1 + the holder's CPU number (for debugging and fault reports). acquire()
// spins reading the word (no reservation traffic while it is held), then
// takes it with lwarx/stwcx. and an isync (acquire barrier; partner: the
// lwsync in release()). A spinlock must never be held across a context
// switch. SpinGuard and lock_irqsave() disable interrupts on the holder's CPU
// for as long as the lock is held, so a holder is never preempted and an
// interrupt handler on the same CPU can never spin on a lock its own CPU
// holds; every lock that an interrupt handler takes must be taken that way.
// Only the holder runs with interrupts off: a CPU still waiting for the lock
// spins with the interrupt state it had before lock_irqsave().
#pragma once

#include "kernel/irq.h"

class SpinLock {
 public:
  constexpr SpinLock() = default;
  void acquire();  // raw: the caller manages interrupts
  bool try_acquire();
  // Interrupts off on return; while spinning, the state `f` (from irq_save).
  void acquire_irqs_as(u64 f);
  void release() {
    mach::lwsync();  // partner: isync in acquire()
    word_ = 0;
  }
  // While the lock is busy the caller's interrupt state is restored (as
  // Linux does on ppc64): a CPU waiting for a contended lock still takes its
  // interrupts, so their latency is not the lock's whole queue.
  u64 lock_irqsave() {
    u64 f = irq_save();
    if (!try_acquire()) acquire_irqs_as(f);
    return f;
  }
  void unlock_irqrestore(u64 f) {
    release();
    irq_restore(f);
  }
  bool held() const { return word_ != 0; }

 private:
  // Spins until the word reads free (panics after kSpinLimit spins).
  void wait_until_free(u32 me);
  volatile u32 word_ = 0;
};

class SpinGuard {
 public:
  explicit SpinGuard(SpinLock& l) : l_(l), f_(l.lock_irqsave()) {}
  ~SpinGuard() { l_.unlock_irqrestore(f_); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  SpinLock& l_;
  u64 f_;
};
