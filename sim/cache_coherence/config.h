// Parameters of the memory hierarchy: per-CPU L1I and L1D, a shared L2,
// memory, and the snooping bus between the L1s and the memory side.
//
// Every latency is a total, as the issuing CPU sees it without contention:
// a load that misses the L1D and hits the L2 costs `l2.hit_latency` cycles,
// not l1 + l2. Bus occupancy does not add to an uncontended access; it only
// decides when the bus is free for the next transaction, so contention shows
// up as bus wait. Defaults are POWER5-class (see shared/DESIGN.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

struct HierarchyConfig {
  unsigned num_cpus = 1;
  Protocol protocol = Protocol::MESI;
  unsigned line_size = 128;  // bytes, a power of two; the coherence granule

  CacheGeometry l1d{32 * 1024, 4, 2};
  CacheGeometry l1i{64 * 1024, 2, 2};
  CacheGeometry l2{1920 * 1024, 10, 13};

  unsigned memory_latency = 220;   // L1 miss, L2 miss: line comes from memory
  unsigned c2c_latency = 45;       // L1 miss served by another CPU's L1 (dirty owner)
  unsigned upgrade_latency = 13;   // address-only claim: S/O -> M, dcbz on a non-exclusive line
  unsigned cache_op_latency = 13;  // dcbf, dcbst, icbi: broadcast and (if dirty) push to L2
  unsigned sync_latency = 50;      // sync: the fabric acknowledges that prior accesses are done

  // Cycles one transaction holds the bus. A transaction that moves a line
  // (fill, cache-to-cache, writeback) holds it for the data beats (128-byte
  // line over a 16-byte path); an address-only one (upgrade, flush, sync)
  // for the address tenure alone.
  unsigned bus_data_occupancy = 8;
  unsigned bus_address_occupancy = 2;

  // CPUs run temporally decoupled, so requests reach the bus out of time
  // order. The bus remembers its busy intervals this many cycles behind the
  // latest request seen; an older request is treated as finding the bus free.
  uint64_t bus_history_cycles = 1'000'000;

  uint64_t seed = 1;  // for the Random replacement policy

  // Throws std::invalid_argument naming the offending field.
  void validate() const;
};

}  // namespace dusim::coherence
