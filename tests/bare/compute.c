// A CPU-bound workload for the speed benchmark and the determinism test:
// every CPU mixes integer arithmetic with loads and stores to its own 16 KiB
// (L1-resident) and, every 256 iterations, an atomic add to one shared
// line. --arg iters=N sets the iterations per CPU (default 100000). Prints a
// checksum of all CPUs' data; the shared count must be exact. --arg mmu=1
// runs it translated (MSR[IR] and MSR[DR] on, an identity map: mmu_lib.h),
// for translation's cost in tools/bench/machine-mips.sh; the checksum is the same.
#include "mmu_lib.h"

#define WORDS 2048
static u64 data[64][WORDS] __attribute__((aligned(128)));
static volatile u64 shared __attribute__((aligned(128)));
static volatile u64 sums[64];

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  u64 iters = bare_arg(bi, "iters", 100000);
  if (bare_arg(bi, "mmu", 0)) {
    if (cpu == 0) mmu_build_identity(ncpus, bi);
    barrier(ncpus);
    mmu_enable(bi, 0);
  }
  u64 x = 0x9e3779b97f4a7c15ul ^ cpu, sum = 0;
  u64* d = data[cpu];
  for (u64 i = 0; i < iters; ++i) {
    x = x * 6364136223846793005ul + 1442695040888963407ul;
    u64 idx = (x >> 40) & (WORDS - 1);
    d[idx] += x ^ (x >> 13);
    sum += d[(idx * 7) & (WORDS - 1)] >> (i & 7);
    if ((i & 255) == 255) atomic_add(&shared, 1);
  }
  sums[cpu] = sum;
  barrier(ncpus);
  if (cpu == 0) {
    u64 total = 0;
    for (u64 c = 0; c < ncpus; ++c) total = total * 31 + sums[c];
    u64 expect = ncpus * (iters / 256);
    printf_("compute: %lu CPUs x %lu iterations, checksum %x, shared %lu of %lu\n", ncpus, iters, total, shared, expect);
    power_off(shared == expect ? 0 : 1);
  }
  for (;;) {
  }
}
