// Replacement policies: which valid way of a full set to evict. Invalid ways
// are filled first by the cache itself; a policy is asked only when the set
// is full. Hits served on a CPU's fast path never reach the cache, so they do
// not update the order: a line that is hot on the fast path ages as if unused.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "cache_coherence/config.h"

namespace dusim::coherence {

class ReplacementPolicy {
 public:
  virtual ~ReplacementPolicy() = default;
  // The line in (set, way) was just used (hit or fill).
  virtual void touch(unsigned set, unsigned way) = 0;
  // The way to evict from a full set.
  virtual unsigned victim(unsigned set) = 0;

  static std::unique_ptr<ReplacementPolicy> create(Replacement kind, unsigned sets, unsigned ways,
                                                   uint64_t seed);
};

// True LRU: a use stamp per line, evict the oldest.
class LruPolicy final : public ReplacementPolicy {
 public:
  LruPolicy(unsigned sets, unsigned ways) : ways_(ways), stamps_(size_t(sets) * ways, 0) {}
  void touch(unsigned set, unsigned way) override { stamps_[size_t(set) * ways_ + way] = ++clock_; }
  unsigned victim(unsigned set) override;

 private:
  unsigned ways_;
  uint64_t clock_ = 0;
  std::vector<uint64_t> stamps_;
};

// Tree pseudo-LRU: a binary tree of direction bits per set, each pointing
// away from the half used more recently. Associativities that are not a
// power of two use the next power's tree and never walk into missing ways.
class TreePlruPolicy final : public ReplacementPolicy {
 public:
  TreePlruPolicy(unsigned sets, unsigned ways);
  void touch(unsigned set, unsigned way) override;
  unsigned victim(unsigned set) override;

 private:
  unsigned ways_;
  unsigned leaves_;             // ways rounded up to a power of two
  std::vector<uint64_t> bits_;  // per set; node n (1-based heap order) is bit n
};

// Uniformly random among the set's ways, from a seeded generator, so runs repeat.
class RandomPolicy final : public ReplacementPolicy {
 public:
  RandomPolicy(unsigned ways, uint64_t seed) : ways_(ways), rng_(seed) {}
  void touch(unsigned, unsigned) override {}
  unsigned victim(unsigned) override { return unsigned(rng_() % ways_); }

 private:
  unsigned ways_;
  std::mt19937_64 rng_;
};

}  // namespace dusim::coherence
