// A random coherence tester in the manner of gem5's memtest: N CPUs issue
// random loads, stores, lwarx/stwcx. pairs, instruction fetches and cache
// management ops, mostly to a few falsely shared lines, against one
// MemorySystem, while a reference model checks everything it can see.
//
// Data is tracked as versions: every store makes a new version in the
// writer's cache, and the reference model knows which version is the latest
// for each line. A load must observe it, whatever cache or memory the
// protocol sourced it from; a store must merge into it. So a missing
// writeback, a stale sharer or a wrong data source fails a check.
//
// After every operation the tester checks, for each line the operation
// touched (its own, and every line a revoke named):
//   - single writer / multiple readers: an M or E copy is the only copy; at
//     most one O, and then only S beside it; instruction caches hold I or S;
//   - data values: every valid copy holds the latest version, and when no
//     cache holds the line dirty the memory side does;
//   - the CPU's fast-path grants (modelled here as a CPU would keep them)
//     are backed by the cache: read grant -> valid in L1D, write grant -> M;
//   - a stwcx. that finds its reservation intact: nobody stored since lwarx.
// A progress watchdog fails the run if one access takes absurdly long (bus
// starvation), if a CPU goes without completing an operation, or if a CPU's
// stwcx. keeps failing (livelock).
#pragma once

#include <cstdint>
#include <string>

#include "cache_coherence/memory_system.h"

namespace dusim::coherence::testing {

struct TesterConfig {
  HierarchyConfig hierarchy = small_hierarchy(4, Protocol::MESI);
  uint64_t operations = 100'000;
  uint64_t seed = 1;
  unsigned hot_lines = 4;     // falsely shared by every CPU
  unsigned cold_lines = 60;   // spread accesses that force evictions
  unsigned hot_percent = 70;  // share of accesses to hot lines
  unsigned quantum = 400;     // CPUs run at most this many cycles apart
  unsigned full_sweep_every = 4096;  // also check every line this often
  unsigned max_stwcx_failures = 2000;  // consecutive, per CPU: livelock

  // Caches small enough that evictions, L2 misses and writebacks are common.
  static HierarchyConfig small_hierarchy(unsigned cpus, Protocol protocol,
                                         Replacement replacement = Replacement::LRU);
};

struct TesterResult {
  bool ok = true;
  std::string failure;  // the first failed check, with the line's state in every cache
  uint64_t operations = 0;
  uint64_t loads = 0, stores = 0, fetches = 0, fast_loads = 0, fast_stores = 0, fast_fetches = 0;
  uint64_t lwarx = 0, stwcx_ok = 0, stwcx_failed = 0;
  uint64_t dcbz = 0, dcbf = 0, dcbst = 0, icbi = 0, syncs = 0;
  uint64_t line_checks = 0;
  uint64_t c2c_transfers = 0, invalidations = 0, writebacks = 0;  // from the hierarchy's stats
  uint64_t max_latency = 0;
};

// Runs the tester against the config's protocol, or against `table` if given.
TesterResult run_random_test(const TesterConfig& config, const ProtocolTable* table = nullptr);

std::string summary(const TesterResult& r);

}  // namespace dusim::coherence::testing
