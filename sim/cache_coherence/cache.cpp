#include "cache_coherence/cache.h"

#include <bit>
#include <stdexcept>

namespace dusim::coherence {

Cache::Cache(std::string name, const CacheGeometry& g, unsigned line_size, uint64_t seed)
    : name_(std::move(name)),
      line_shift_(unsigned(std::countr_zero(line_size))),
      sets_(unsigned(g.size_bytes / (uint64_t(line_size) * g.associativity))),
      ways_(g.associativity),
      hit_latency_(g.hit_latency),
      lines_(size_t(sets_) * ways_),
      replacement_(ReplacementPolicy::create(g.replacement, sets_, ways_, seed)) {}

CacheLine& Cache::slot_for(uint64_t line_addr) {
  unsigned set = set_of(line_addr);
  CacheLine* s = &lines_[size_t(set) * ways_];
  for (unsigned w = 0; w < ways_; ++w) {
    if (s[w].state == State::I) return s[w];
  }
  return s[replacement_->victim(set)];
}

void Cache::touch(const CacheLine& line) {
  size_t index = size_t(&line - lines_.data());
  replacement_->touch(unsigned(index / ways_), unsigned(index % ways_));
}

}  // namespace dusim::coherence
