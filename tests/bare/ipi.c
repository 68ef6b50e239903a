// CPU 0 sends one inter-processor interrupt to each other CPU in turn; each
// CPU's handler checks the controller says it is the target, records the
// hit and acknowledges. Exit 0 when every CPU got exactly one IPI.
#include "bare.h"

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
  for (u64 t = 1; t < ncpus; ++t) {
    MMIO(INTC_BASE + 0x00) = t;
    while (hits[t] == 0) {
    }
  }
  u64 bad = wrong;
  for (u64 t = 1; t < ncpus; ++t) bad += hits[t] != 1;
  printf_("ipi: %lu CPUs reached, %lu wrong\n", ncpus - 1, bad);
  power_off(bad ? 1 : 0);
}
