// Coherence statistics. Every counter is declared once, beside a description,
// in stats.def (as gem5's ADD_STAT does), and kept both in total and per registered
// address range, so a report can say what each number means and where in
// the guest's memory the traffic came from.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dusim::coherence {

// The counters themselves are listed in stats.def.
struct CacheCounters {
#define CACHE_STAT(member, column, description) uint64_t member = 0;
#include "cache_coherence/stats.def"

  uint64_t misses() const { return misses_cold + misses_capacity + misses_coherence; }
};

struct BusCounters {
#define BUS_STAT(member, description) uint64_t member = 0;
#include "cache_coherence/stats.def"
};

template <class Counters>
struct StatField {
  std::string_view name;
  uint64_t Counters::*member;
  std::string_view description;
};

// The stored counters, for code that walks them all (sums, JSON, tests).
inline constexpr StatField<CacheCounters> kCacheStats[] = {
#define CACHE_STAT(member, column, description) {#member, &CacheCounters::member, description},
#include "cache_coherence/stats.def"
};

inline constexpr StatField<BusCounters> kBusStats[] = {
#define BUS_STAT(member, description) {#member, &BusCounters::member, description},
#include "cache_coherence/stats.def"
};

// The printed cache table's columns, derived values included, in order.
struct CacheColumn {
  std::string_view name;    // the JSON key
  std::string_view header;  // the column's heading
  uint64_t (*value)(const CacheCounters&);
  std::string_view description;
};
inline constexpr CacheColumn kCacheColumns[] = {
#define CACHE_STAT(member, column, description) \
  {#member, column, [](const CacheCounters& c) { return c.member; }, description},
#define CACHE_DERIVED(name, column, description) \
  {#name, column, [](const CacheCounters& c) { return c.name(); }, description},
#include "cache_coherence/stats.def"
};

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
