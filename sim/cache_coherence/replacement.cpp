#include "cache_coherence/replacement.h"

#include <bit>
#include <stdexcept>

namespace dusim::coherence {

std::unique_ptr<ReplacementPolicy> ReplacementPolicy::create(Replacement kind, unsigned sets,
                                                             unsigned ways, uint64_t seed) {
  switch (kind) {
    case Replacement::LRU: return std::make_unique<LruPolicy>(sets, ways);
    case Replacement::TreePLRU: return std::make_unique<TreePlruPolicy>(sets, ways);
    case Replacement::Random: return std::make_unique<RandomPolicy>(ways, seed);
  }
  throw std::invalid_argument("unknown replacement policy");
}

unsigned LruPolicy::victim(unsigned set) {
  const uint64_t* s = &stamps_[size_t(set) * ways_];
  unsigned oldest = 0;
  for (unsigned w = 1; w < ways_; ++w) {
    if (s[w] < s[oldest]) oldest = w;
  }
  return oldest;
}

TreePlruPolicy::TreePlruPolicy(unsigned sets, unsigned ways)
    : ways_(ways), leaves_(std::bit_ceil(ways)), bits_(sets, 0) {
  if (ways > 64) throw std::invalid_argument("tree-PLRU supports at most 64 ways");
}

// Node n has children 2n (bit clear: go left) and 2n+1 (bit set: go right);
// leaves are nodes leaves_..2*leaves_-1. A bit points towards the victim side.
void TreePlruPolicy::touch(unsigned set, unsigned way) {
  uint64_t& b = bits_[set];
  unsigned node = leaves_ + way;
  while (node > 1) {
    unsigned parent = node / 2;
    bool came_from_right = node & 1;
    if (came_from_right) {
      b &= ~(uint64_t(1) << parent);  // point left, away from the used way
    } else {
      b |= uint64_t(1) << parent;
    }
    node = parent;
  }
}

unsigned TreePlruPolicy::victim(unsigned set) {
  const uint64_t b = bits_[set];
  unsigned node = 1;
  unsigned level_span = leaves_;  // leaves under the current node
  unsigned first_leaf = 0;
  while (node < leaves_) {
    level_span /= 2;
    bool right = (b >> node) & 1;
    if (right && first_leaf + level_span >= ways_) right = false;  // no real way there
    if (right) first_leaf += level_span;
    node = 2 * node + (right ? 1 : 0);
  }
  return node - leaves_;
}

}  // namespace dusim::coherence
