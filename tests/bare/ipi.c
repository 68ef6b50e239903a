// CPU 0 sends inter-processor interrupts to each other CPU in turn, ROUNDS
// to each; each CPU's handler checks the controller says it is the target,
// records the hit and acknowledges. CPU 0 times each round trip (send to
// seeing the hit) with sim-control's CYCLES and prints the minimum, mean and
// maximum. Exit 0 when every CPU got exactly ROUNDS IPIs.
#include "bare.h"

#define ROUNDS 8

static volatile u64 hits[64];
static volatile u64 wrong;

void bare_external_interrupt(u64 cpu) {
  u64 pending = MMIO(INTC_BASE + 0x08);
  if (pending & 1) {
    MMIO(INTC_BASE + 0x10) = 1;
    if (MMIO(INTC_BASE + 0x20) != cpu) ++wrong;
    atomic_add(&hits[cpu], 1);
  }
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)bi;
  if (cpu != 0) enable_interrupts();
  barrier(ncpus);
  if (cpu != 0) for (;;) {}
  u64 min = ~0ul, max = 0, sum = 0, n = 0;
  for (u64 r = 1; r <= ROUNDS; ++r) {
    for (u64 t = 1; t < ncpus; ++t) {
      u64 start = cycles();
      MMIO(INTC_BASE + 0x00) = t;
      while (hits[t] < r) {
      }
      u64 rtt = cycles() - start;
      min = rtt < min ? rtt : min;
      max = rtt > max ? rtt : max;
      sum += rtt;
      ++n;
    }
  }
  u64 bad = wrong;
  for (u64 t = 1; t < ncpus; ++t) bad += hits[t] != ROUNDS;
  printf_("ipi: %lu CPUs reached, %lu wrong\n", ncpus - 1, bad);
  printf_("ipi round trip: min %lu mean %lu max %lu cycles over %lu\n", min, n ? sum / n : 0, max, n);
  power_off(bad ? 1 : 0);
}
