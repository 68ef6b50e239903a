// The GDB test image for `dusim run-bare --gdb` (tests/gdb/gdb_test.py,
// cases bare.*): a bare-metal program for the machine, compiled -O0 so that
// GDB sees every variable. Every CPU sums squares; CPU 1 alone calls
// cpu1_work; the last CPU alone writes `shared_value`; CPU 0 prints and
// powers off with code 42. `--arg spin=1` makes every CPU spin forever;
// `--arg fault=1` makes CPU 2 store outside memory (a machine fault).
#include "bare.h"

volatile u64 shared_value;  // written once, by the last CPU
u64 results[64];

__attribute__((noinline)) u64 square_plus(u64 x, u64 cpu) {
  u64 r = x * x + cpu;
  return r;
}

__attribute__((noinline)) void cpu1_work(u64 n) {
  u64 local = n * 3;
  results[1] += local;
}

__attribute__((noinline)) void write_shared(u64 cpu) {
  shared_value = 100 + cpu;
}

__attribute__((noinline)) void bad_store(void) {
  *(volatile u64*)0x7000000000ul = 1;  // far beyond RAM and the devices
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  u64 iters = bare_arg(bi, "iters", 200);
  if (bare_arg(bi, "spin", 0))
    for (;;) {
    }
  u64 sum = 0;
  for (u64 i = 0; i < iters; ++i) sum += square_plus(i, cpu);
  results[cpu] = sum;
  if (cpu == 2 && bare_arg(bi, "fault", 0)) bad_store();
  if (cpu == 1) cpu1_work(7);
  if (cpu == ncpus - 1) write_shared(cpu);
  barrier(ncpus);
  if (cpu == 0) {
    u64 total = 0;
    for (u64 k = 0; k < ncpus; ++k) total += results[k];
    printf_("gdb smp: cpus=%lu shared=%lu total=%lu\n", ncpus, shared_value, total);
    power_off(42);
  }
  for (;;) {
  }
}
