// The GDB test image for `dusim run-bare --gdb` (tests/gdb/gdb_test.py,
// cases bare.*): a bare-metal program for the machine, compiled -O0 so that
// GDB sees every variable. Every CPU sums squares; CPU 1 alone calls
// cpu1_work; the last CPU alone writes `shared_value`; CPU 0 prints and
// powers off with code 42. `--arg spin=1` makes every CPU spin forever;
// `--arg fault=1` makes CPU 2 store outside memory (a machine fault).
// `--arg mmu=1`: CPU 0 maps the test segment's first page (EA
// 0x1230000000) onto `backing` and stays in real mode; the other CPUs turn
// translation on, and CPU 1 stops in translated_stop; the exit code is 43
// if backing[1] then holds 0x5151 (written there by the debugger through
// the translation), else 44.
#include "../bare/mmu_lib.h"

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

static volatile u64 backing[512] __attribute__((aligned(4096)));

__attribute__((noinline)) u64 translated_stop(volatile u64* ea) { return ea[0]; }

// The mmu=1 run (see the top).
static void translated_run(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  if (cpu == 0) {
    backing[0] = 0x1122334455667788ul;
    mmu_build_identity(ncpus, bi);
    map_page(TEST_VSID, TEST_EA(0), (u64)backing, 0);
  }
  barrier(ncpus);
  if (cpu != 0) {
    mmu_enable(bi, 0);
    slbmte(TEST_VSID << 12, (TEST_ESID << 28) | (1ul << 27) | 3);
  }
  if (cpu == 1) translated_stop((volatile u64*)TEST_EA(0));
  barrier(ncpus);
  if (cpu == 0) {
    printf_("gdb mmu: backing[1]=%x\n", backing[1]);
    power_off(backing[1] == 0x5151 ? 43 : 44);
  }
  for (;;) {
  }
}

__attribute__((noinline)) void bad_store(void) {
  *(volatile u64*)0x7000000000ul = 1;  // far beyond RAM and the devices
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  if (bare_arg(bi, "mmu", 0)) translated_run(cpu, ncpus, bi);
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
