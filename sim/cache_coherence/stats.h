// Coherence statistics. Every counter is declared once, beside a description
// (as gem5's ADD_STAT does), and kept both in total and per registered
// address range, so a report can say what each number means and where in
// the guest's memory the traffic came from.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dusim::coherence {

struct CacheCounters {
  uint64_t accesses = 0;  // = hits + misses + upgrades
  uint64_t hits = 0;
  uint64_t fast_hits = 0;
  uint64_t misses_cold = 0;
  uint64_t misses_capacity = 0;
  uint64_t misses_coherence = 0;
  uint64_t upgrades = 0;
  uint64_t invalidations_sent = 0;
  uint64_t invalidations_received = 0;
  uint64_t c2c_supplied = 0;
  uint64_t c2c_received = 0;
  uint64_t writebacks = 0;

  uint64_t misses() const { return misses_cold + misses_capacity + misses_coherence; }
};

struct BusCounters {
  uint64_t transactions = 0;
  uint64_t busy_cycles = 0;
  uint64_t wait_cycles = 0;
  uint64_t reads = 0;
  uint64_t read_exclusives = 0;
  uint64_t upgrades = 0;
  uint64_t zeroes = 0;
  uint64_t flushes = 0;
  uint64_t cleans = 0;
  uint64_t icbis = 0;
  uint64_t syncs = 0;
  uint64_t writebacks = 0;
};

template <class Counters>
struct StatField {
  std::string_view name;
  uint64_t Counters::*member;
  std::string_view description;
};

inline constexpr std::array<StatField<CacheCounters>, 12> kCacheStats{{
    {"accesses", &CacheCounters::accesses,
     "Loads, stores, fetches and dcbz that reached this cache (hits + misses + upgrades), fast-path hits included"},
    {"hits", &CacheCounters::hits, "Accesses served by this cache without a bus transaction, fast-path hits included"},
    {"fast_hits", &CacheCounters::fast_hits,
     "Hits the CPU served on its own fast path and reported in bulk (they do not update replacement order)"},
    {"misses_cold", &CacheCounters::misses_cold, "Misses to a line this cache never held before"},
    {"misses_capacity", &CacheCounters::misses_capacity,
     "Misses to a line this cache held and evicted for room (capacity or conflict)"},
    {"misses_coherence", &CacheCounters::misses_coherence,
     "Misses to a line this cache held and lost to another CPU's access or to dcbf/dcbz/icbi"},
    {"upgrades", &CacheCounters::upgrades,
     "Stores or dcbz to a line held shared (S or O): ownership claimed on the bus, no data moved"},
    {"invalidations_sent", &CacheCounters::invalidations_sent,
     "Copies in other caches that this cache's transactions invalidated"},
    {"invalidations_received", &CacheCounters::invalidations_received,
     "Copies in this cache invalidated by another cache's transaction"},
    {"c2c_supplied", &CacheCounters::c2c_supplied, "Lines this cache sent to another cache (cache-to-cache transfers)"},
    {"c2c_received", &CacheCounters::c2c_received, "Misses served by another cache (cache-to-cache transfers)"},
    {"writebacks", &CacheCounters::writebacks,
     "Dirty lines written to the next level (L1: to the L2; L2: to memory)"},
}};

inline constexpr std::array<StatField<BusCounters>, 12> kBusStats{{
    {"transactions", &BusCounters::transactions, "Transactions on the snooping bus, of every kind"},
    {"busy_cycles", &BusCounters::busy_cycles, "Cycles the bus was held by a transaction (occupancy)"},
    {"wait_cycles", &BusCounters::wait_cycles, "Cycles requests waited for the bus to become free (contention)"},
    {"reads", &BusCounters::reads, "BusRd: read misses of L1D and L1I"},
    {"read_exclusives", &BusCounters::read_exclusives, "BusRdX: store misses (read for ownership)"},
    {"upgrades", &BusCounters::upgrades, "BusUpgr: stores to shared lines claiming ownership, address only"},
    {"zeroes", &BusCounters::zeroes, "BusZero: dcbz claiming a line it did not own, address only"},
    {"flushes", &BusCounters::flushes, "BusFlush: dcbf broadcasts"},
    {"cleans", &BusCounters::cleans, "BusClean: dcbst broadcasts"},
    {"icbis", &BusCounters::icbis, "icbi broadcasts"},
    {"syncs", &BusCounters::syncs, "sync broadcasts"},
    {"writebacks", &BusCounters::writebacks, "Dirty L1 victims written back to the L2"},
}};

// Named address ranges for attribution (at most 64; they may overlap, and a
// line counts in every range it touches).
class AddressRanges {
 public:
  static constexpr unsigned kMax = 64;
  struct Range {
    std::string name;
    uint64_t base;
    uint64_t size;
  };
  // Returns the new range's index; throws std::invalid_argument when full or size is 0.
  unsigned add(std::string name, uint64_t base, uint64_t size);
  // Bit i set: the line [line_addr, line_addr + line_size) overlaps range i.
  uint64_t match(uint64_t line_addr, uint64_t line_size) const {
    uint64_t mask = 0;
    for (unsigned i = 0; i < ranges_.size(); ++i) {
      const Range& r = ranges_[i];
      if (line_addr < r.base + r.size && line_addr + line_size > r.base) mask |= uint64_t(1) << i;
    }
    return mask;
  }
  const std::vector<Range>& all() const { return ranges_; }

 private:
  std::vector<Range> ranges_;
};

// Counters in total (index 0) and per range (index 1 + range).
template <class Counters>
class RangedCounters {
 public:
  RangedCounters() : v_(1) {}
  void add(uint64_t Counters::*m, uint64_t ranges, uint64_t n = 1) {
    v_[0].*m += n;
    while (ranges) {
      v_[1 + __builtin_ctzll(ranges)].*m += n;
      ranges &= ranges - 1;
    }
  }
  void resize_ranges(size_t n) { v_.resize(1 + n); }
  const Counters& total() const { return v_[0]; }
  const Counters& range(unsigned i) const { return v_.at(1 + i); }

 private:
  std::vector<Counters> v_;
};

}  // namespace dusim::coherence
