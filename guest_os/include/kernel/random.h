// Seeded pseudo-random numbers for the workloads. Every stream derives from
// the boot argument seed= (the scenario's `seed`, default 1) and a pair of
// numbers naming its user (a workload id and a CPU), so one seed gives the
// same run every time and different seeds give different interleavings,
// while no stream is shared between CPUs (a generator's state lives with its
// user, on that CPU's lines). The generator is splitmix64: 64 bits of state,
// one add and two multiplies per number, statistically sound for choosing
// slots and delays (not for cryptography).
#pragma once

#include "kernel/bootargs.h"
#include "kernel/types.h"

namespace rnd {

// The splitmix64 finaliser: a bijection that spreads every input bit.
inline u64 mix(u64 x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

struct Rng {
  u64 state = 0;
  u64 next() { return mix(state += 0x9E3779B97F4A7C15ull); }
  // Uniform in [0, n) (0 when n is 0), by the high half of a 128-bit product.
  u64 below(u64 n) { return u64((unsigned __int128)next() * n >> 64); }
};

// The boot seed (seed=, default 1).
inline u64 seed() { return bootargs::get_u64("seed", 1); }

// The stream of user (a, b), e.g. (workload id, CPU).
inline Rng stream(u64 a, u64 b) { return Rng{mix(mix(seed() + 0x2545F4914F6CDD1Dull) ^ mix(a * 0x100000001B3ull + b))}; }

}  // namespace rnd
