// SpinLock (spinlock.h): test-and-test-and-set on lwarx/stwcx.
#include "kernel/spinlock.h"

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

void SpinLock::acquire() {
  u32 me = u32(this_cpu()->cpu) + 1;
  for (;;) {
    while (word_ != 0) mach::cpu_relax();  // spin on a shared copy: no reservation traffic
    if (try_take(&word_, me) == 0) return;
  }
}

bool SpinLock::try_acquire() { return try_take(&word_, u32(this_cpu()->cpu) + 1) == 0; }
