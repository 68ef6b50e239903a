// Parameters of the memory hierarchy: per-CPU L1I and L1D, a shared L2,
// memory, and the snooping bus between the L1s and the memory side.
//
// Every latency is a total, as the issuing CPU sees it without contention:
// a load that misses the L1D and hits the L2 costs `l2.hit_latency` cycles,
// not l1 + l2. Bus occupancy does not add to an uncontended access; it only
// decides when the bus is free for the next transaction, so contention shows
// up as bus wait. Defaults are POWER5-class; what every field means, its
// default and range: params.def.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/param.h"

namespace dusim::coherence {

enum class Protocol : uint8_t { MESI, MOESI };
enum class Replacement : uint8_t { LRU, TreePLRU, Random };

std::string_view to_string(Protocol p);
std::string_view to_string(Replacement r);
// Parses "MESI"/"MOESI" and "lru"/"tree-plru"/"random" (case-insensitive);
// returns false on an unknown name.
bool parse(std::string_view name, Protocol& out);
bool parse(std::string_view name, Replacement& out);

struct CacheGeometry {
  uint64_t size_bytes;       // total capacity
  unsigned associativity;    // ways per set
  unsigned hit_latency;      // cycles, load-to-use on a hit
  Replacement replacement = Replacement::LRU;
};

// The members named in params.def (PARAM_CACHES, PARAM_L1D, PARAM_L1I,
// PARAM_L2) are declared, with their defaults, by that table.
struct HierarchyConfig {
  unsigned num_cpus = 1;  // the machine's machine.cpus

#define PARAM_CACHES(member, key, type, value, range, unit, description) type member = param::initial<type>(value, unit);
#include "cache_coherence/params.def"

  // Designated initializers: the compiler checks that the table lists a
  // geometry's keys in CacheGeometry's order.
  CacheGeometry l1d{
#define PARAM_L1D(member, key, type, value, range, unit, description) .member = param::initial<type>(value, unit),
#include "cache_coherence/params.def"
  };
  CacheGeometry l1i{
#define PARAM_L1I(member, key, type, value, range, unit, description) .member = param::initial<type>(value, unit),
#include "cache_coherence/params.def"
  };
  CacheGeometry l2{
#define PARAM_L2(member, key, type, value, range, unit, description) .member = param::initial<type>(value, unit),
#include "cache_coherence/params.def"
  };

  // CPUs run temporally decoupled, so requests reach the bus out of time
  // order. The bus remembers its busy intervals this many cycles behind the
  // latest request seen; an older request is treated as finding the bus free.
  // (Not a config key: it bounds memory, not behaviour seen so far.)
  uint64_t bus_history_cycles = 1'000'000;

  // The cache model keeps a tag, a state and a replacement stamp per line on
  // the host: every CPU's L1D and L1I and the shared L2 together may hold
  // at most kMaxModelledLines lines (about 512 MiB of host memory), so a
  // config cannot make the host run out of memory (validate() refuses it).
  static constexpr uint64_t kMaxModelledLines = uint64_t(1) << 24;
  static constexpr uint64_t kHostBytesPerLine = 32;
  uint64_t modelled_lines() const;

  // Throws std::invalid_argument naming the offending field.
  void validate() const;
};

}  // namespace dusim::coherence
