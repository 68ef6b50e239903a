// Two CPUs pass a token through one shared line: CPU 0 writes odd values and
// waits for the next even one, CPU 1 the reverse, so every hand-off moves
// the line from one L1 to the other. The waiting CPU times the load that
// sees the new value (sim-control's cycle counter costs nothing to read) and
// subtracts the same sequence timed on an L1 hit: what remains beyond the
// hit latency is the cache-to-cache transfer.
#include "bare.h"

#define ROUNDS 400
static volatile u64 token __attribute__((aligned(128)));
static volatile u64 local_line[16] __attribute__((aligned(128)));

static u64 timed_load(volatile u64* p, u64* value) {
  u64 t0 = cycles();
  *value = *p;
  u64 t1 = cycles();
  return t1 - t0;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)bi;
  if (ncpus < 2) power_off(2);
  if (cpu > 1) for (;;) {}
  u64 v, hit = 0, handoff = 0, n = 0;
  if (cpu == 0) {
    local_line[0] = 1;
    timed_load(&local_line[0], &v);
    hit = timed_load(&local_line[0], &v);  // an L1 hit, timed the same way
  }
  barrier(2);
  for (u64 want = cpu; want < 2 * ROUNDS; want += 2) {
    u64 t;
    do t = timed_load(&token, &v); while (v != want);
    if (want >= 2) {  // skip the first, cold hand-off
      handoff += t;
      ++n;
    }
    token = want + 1;
  }
  if (cpu == 0) {
    u64 hit_latency = 2;  // configured L1D hit latency, as in configs/power5.yaml
    printf_("ping-pong: %lu hand-offs, timed load %lu cycles, L1 hit %lu cycles\n", n, handoff / n, hit);
    printf_("c2c latency %lu cycles\n", handoff / n - hit + hit_latency);
    power_off(0);
  }
  for (;;) {
  }
}
