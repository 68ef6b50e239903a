// SpinLock (spinlock.h): test-and-test-and-set on lwarx/stwcx.
#include "kernel/spinlock.h"

#include "kernel/panic.h"
#include "kernel/percpu.h"

namespace {
// Takes the lock word if it is 0; returns the value seen. isync after a
// successful stwcx. is the acquire barrier (partner: lwsync in release()).
inline u32 try_take(volatile u32* w, u32 me) {
  u32 old;
  asm volatile("1: lwarx %0,0,%2\n"
               "   cmpwi %0,0\n"
               "   bne- 2f\n"
               "   stwcx. %3,0,%2\n"
               "   bne- 1b\n"
               "   isync\n"
               "2:"
               : "=&r"(old), "+m"(*w)
               : "r"(w), "r"(me)
               : "cr0", "memory");
  return old;
}
}  // namespace

// A spinlock is held for a few hundred instructions at most; spinning this
// long means a CPU holds it forever (a lost release, or a CPU that took it
// twice): report it rather than hang until the host's time limit.
constexpr u64 kSpinLimit = u64(1) << 27;

void SpinLock::wait_until_free(u32 me) {
  for (u64 spins = 0; word_ != 0; ++spins) {  // spin on a shared copy: no reservation traffic
    mach::cpu_relax();
    if (unlikely(spins == kSpinLimit))
      panic("spinlock %p held by CPU %u for too long (CPU %u waiting)", this, word_ - 1, me - 1);
  }
}

void SpinLock::acquire() {
  u32 me = u32(this_cpu()->cpu) + 1;
  for (;;) {
    wait_until_free(me);
    if (try_take(&word_, me) == 0) return;
  }
}

void SpinLock::acquire_irqs_as(u64 f) {
  u32 me = u32(this_cpu()->cpu) + 1;
  for (;;) {
    irq_restore(f);
    wait_until_free(me);
    irq_save();
    if (try_take(&word_, me) == 0) return;
  }
}

bool SpinLock::try_acquire() { return try_take(&word_, u32(this_cpu()->cpu) + 1) == 0; }
