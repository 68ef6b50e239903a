// Load-to-use latency versus working-set size: a chain of pointers, one per
// cache line, walked in a fixed pseudo-random order so that every load
// depends on the one before. Prints "chase <N> bytes: <C> cycles per load"
// per size (C to two decimals); the host test checks the L1, L2 and memory
// plateaus. The sizes
// straddle the caches: L1D 32 KiB, L2 1.9 MiB by default.
#include "bare.h"

static u64 chain[(8u << 20) / 8] __attribute__((aligned(128)));

// n/32 rounds of 32 dependent loads and one bdnz, so the loop adds 1/32
// cycle per load.
static u64 walk(u64 p, u64 n) {
  __asm__ volatile(
      "mtctr %1\n"
      "1:\n"
      ".rept 32\n ld %0,0(%0)\n .endr\n"
      "bdnz 1b\n"
      : "+r"(p)
      : "r"(n / 32)
      : "ctr", "memory");
  return p;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  if (cpu != 0) for (;;) {}
  const u64 line = bi->line_size, words = line / 8;
  static const u64 sizes[] = {8u << 10, 16u << 10, 24u << 10, 64u << 10, 256u << 10, 1u << 20,
                              4u << 20, 8u << 20};
  for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
    u64 lines = sizes[s] / line;
    // A full-period LCG over the lines (lines is a power of two): a fixed
    // permutation, so the walk visits every line once per round.
    u64 idx = 0;
    for (u64 k = 0; k < lines; ++k) {
      u64 next = (idx * 5 + 1) & (lines - 1);
      chain[idx * words] = (u64)&chain[next * words];
      idx = next;
    }
    walk((u64)&chain[0], lines * 2);  // warm up: two rounds
    u64 n = lines * 4 < 32768 ? 32768 : lines * 4;
    u64 t0 = cycles();
    walk((u64)&chain[0], n);
    u64 t1 = cycles();
    u64 x100 = (t1 - t0) * 100 / n;
    printf_("chase %lu bytes: %lu.%lu%lu cycles per load\n", sizes[s], x100 / 100, x100 / 10 % 10, x100 % 10);
  }
  power_off(0);
}
