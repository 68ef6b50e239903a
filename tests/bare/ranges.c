// Statistics per registered address range: registers the code of
// hot_loop() and the array it walks as two ranges through sim-control, runs
// the loop, powers off. The host test checks that the code range counted
// the loop's instructions and cycles and the data range its cache misses.
#include "bare.h"

static u64 table[4096] __attribute__((aligned(128)));

__attribute__((noinline, aligned(128))) u64 hot_loop(u64 n) {
  u64 s = 0;
  for (u64 i = 0; i < n; ++i) s += table[(i * 17) & 4095] ^ i;
  return s;
}
// A marker right after hot_loop, so its size is known.
__attribute__((noinline, aligned(128))) void hot_loop_end(void) {}

static void add_range(u64 base, u64 size, const char* name) {
  MMIO(SIMCTL_BASE + 0x40) = base;
  MMIO(SIMCTL_BASE + 0x48) = size;
  MMIO(SIMCTL_BASE + 0x50) = (u64)name;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  (void)bi;
  if (cpu != 0) for (;;) {}
  // ELFv1: a function pointer is a descriptor; its first doubleword is the code.
  u64 code = *(const u64*)(void*)hot_loop, end = *(const u64*)(void*)hot_loop_end;
  add_range(code, end - code, "code.hot_loop");
  add_range((u64)table, sizeof table, "data.table");
  printf_("hot_loop %lx\n", hot_loop(20000));
  power_off(0);
}
