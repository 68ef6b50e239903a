// The same counter without atomics: with a small quantum the CPUs' loads and
// stores interleave, so updates are lost. Prints how many; exit 0 when some
// were lost (the interleaving is real), 1 when the total came out exact.
#include "bare.h"

#define PER_CPU 2000
static volatile u64 counter;

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)bi;
  for (int i = 0; i < PER_CPU; ++i) counter = counter + 1;
  barrier(ncpus);
  if (cpu == 0) {
    u64 expected = ncpus * PER_CPU;
    printf_("racy counter: %lu of %lu, lost %lu\n", counter, expected, expected - counter);
    power_off(counter < expected ? 0 : 1);
  }
  for (;;) {
  }
}
