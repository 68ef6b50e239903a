// Every CPU adds 1 to a shared counter N times with ldarx/stdcx.; the total
// must come out exact. Argument: none. Exit 0 when exact, 1 otherwise.
#include "bare.h"

#define PER_CPU 2000
static volatile u64 counter;

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)bi;
  for (int i = 0; i < PER_CPU; ++i) atomic_add(&counter, 1);
  barrier(ncpus);
  if (cpu == 0) {
    printf_("atomic counter: %lu of %lu\n", counter, ncpus * PER_CPU);
    power_off(counter == ncpus * PER_CPU ? 0 : 1);
  }
  for (;;) {
  }
}
