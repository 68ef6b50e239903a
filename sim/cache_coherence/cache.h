// One cache's array: tags, coherence state, the data version each line
// holds, replacement, and the memory of why lines left (to tell cold,
// capacity and coherence misses apart). No data: that lives in the one
// functional memory. The protocol is run by MemorySystem, not here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache_coherence/config.h"
#include "cache_coherence/protocol.h"
#include "cache_coherence/replacement.h"
#include "cache_coherence/stats.h"

namespace dusim::coherence {

struct CacheLine {
  uint64_t addr = 0;     // line address (first byte)
  uint64_t version = 0;  // version of the data this copy holds
  State state = State::I;
  bool dirty = false;    // L2 only: newer than memory (L1 dirtiness is in the state)
};

enum class MissKind : uint8_t { Cold, Capacity, Coherence };

class Cache {
 public:
  Cache(std::string name, const CacheGeometry& geometry, unsigned line_size, uint64_t seed);
  Cache(Cache&&) noexcept = default;

  // The valid line holding `line_addr`, or null.
  CacheLine* find(uint64_t line_addr) {
    CacheLine* set = &lines_[size_t(set_of(line_addr)) * ways_];
    for (unsigned w = 0; w < ways_; ++w) {
      if (set[w].state != State::I && set[w].addr == line_addr) return &set[w];
    }
    return nullptr;
  }
  const CacheLine* find(uint64_t line_addr) const { return const_cast<Cache*>(this)->find(line_addr); }

  // The way a fill of `line_addr` goes to: an invalid way if the set has
  // one, else the replacement policy's victim (still valid: the caller
  // evicts it first).
  CacheLine& slot_for(uint64_t line_addr);

  // The line was used by a hit or filled: update replacement order.
  void touch(const CacheLine& line);

  // Records why a line left, and classifies a miss by that record.
  void note_evicted(uint64_t line_addr) { lost_[line_addr] = MissKind::Capacity; }
  void note_invalidated(uint64_t line_addr) { lost_[line_addr] = MissKind::Coherence; }
  MissKind classify_miss(uint64_t line_addr) const {
    auto it = lost_.find(line_addr);
    return it == lost_.end() ? MissKind::Cold : it->second;
  }

  const std::string& name() const { return name_; }
  unsigned hit_latency() const { return hit_latency_; }
  unsigned sets() const { return sets_; }
  unsigned ways() const { return ways_; }
  unsigned set_of(uint64_t line_addr) const { return unsigned((line_addr >> line_shift_) % sets_); }

  RangedCounters<CacheCounters> stats;

 private:
  std::string name_;
  unsigned line_shift_;
  unsigned sets_;
  unsigned ways_;
  unsigned hit_latency_;
  std::vector<CacheLine> lines_;  // set-major: set s, way w at s * ways + w
  std::unique_ptr<ReplacementPolicy> replacement_;
  std::unordered_map<uint64_t, MissKind> lost_;
};

}  // namespace dusim::coherence
