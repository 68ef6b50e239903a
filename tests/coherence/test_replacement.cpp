// Replacement policies, alone and inside a cache.
#include <gtest/gtest.h>

#include <set>

#include "cache_coherence/memory_system.h"
#include "cache_coherence/replacement.h"

namespace dusim::coherence {
namespace {

TEST(Lru, EvictsLeastRecentlyUsed) {
  LruPolicy p(1, 4);
  for (unsigned w = 0; w < 4; ++w) p.touch(0, w);
  EXPECT_EQ(p.victim(0), 0u);
  p.touch(0, 0);
  EXPECT_EQ(p.victim(0), 1u);
  p.touch(0, 1);
  p.touch(0, 2);
  EXPECT_EQ(p.victim(0), 3u);
}

TEST(TreePlru, FourWayTextbookSequence) {
  TreePlruPolicy p(1, 4);
  for (unsigned w = 0; w < 4; ++w) p.touch(0, w);
  // After touching 0,1,2,3 the tree points at the pair {0,1}, then at way 0.
  EXPECT_EQ(p.victim(0), 0u);
  p.touch(0, 0);
  EXPECT_EQ(p.victim(0), 2u);  // root now points right; 3 was used after 2
  p.touch(0, 2);
  EXPECT_EQ(p.victim(0), 1u);
}

TEST(TreePlru, NonPowerOfTwoNeverPicksAMissingWay) {
  TreePlruPolicy p(3, 10);
  for (unsigned i = 0; i < 1000; ++i) {
    p.touch(i % 3, (i * 7) % 10);
    EXPECT_LT(p.victim(i % 3), 10u);
  }
  // Every way is eventually chosen when the rest are used.
  std::set<unsigned> chosen;
  for (unsigned i = 0; i < 200; ++i) {
    unsigned v = p.victim(0);
    chosen.insert(v);
    p.touch(0, v);
  }
  EXPECT_EQ(chosen.size(), 10u);
}

TEST(Random, SeededAndInRange) {
  RandomPolicy a(4, 42), b(4, 42), c(4, 43);
  bool differs = false;
  std::set<unsigned> seen;
  for (int i = 0; i < 100; ++i) {
    unsigned va = a.victim(0), vb = b.victim(0), vc = c.victim(0);
    EXPECT_EQ(va, vb);
    EXPECT_LT(va, 4u);
    differs |= va != vc;
    seen.insert(va);
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(seen.size(), 4u);
}

// Inside the hierarchy: a 4-way set with LRU keeps the line that was reused.
TEST(CacheReplacement, LruKeepsTheReusedLine) {
  HierarchyConfig c;
  c.num_cpus = 1;
  c.l1d = {4 * 128, 4, 2, Replacement::LRU};  // one set of four ways
  MemorySystem m(c);
  const uint64_t a = 0x1000;
  for (uint64_t k = 0; k < 4; ++k) m.read(0, a + k * 128, k * 1000);
  m.read(0, a, 5000);                // reuse line 0
  m.read(0, a + 4 * 128, 6000);      // evicts line 1, the least recently used
  EXPECT_NE(m.probe(0, MemorySystem::Port::Data, a).state, State::I);
  EXPECT_EQ(m.probe(0, MemorySystem::Port::Data, a + 128).state, State::I);
  EXPECT_EQ(m.l1d_stats(0).misses_cold, 5u);
}

TEST(CacheReplacement, FastPathHitsDoNotUpdateLru) {
  HierarchyConfig c;
  c.num_cpus = 1;
  c.l1d = {4 * 128, 4, 2, Replacement::LRU};
  MemorySystem m(c);
  const uint64_t a = 0x1000;
  for (uint64_t k = 0; k < 4; ++k) m.read(0, a + k * 128, k * 1000);
  m.count_fast_hits_at(0, a, 100, 0, 0);  // hot on the fast path, yet...
  m.read(0, a + 4 * 128, 6000);
  EXPECT_EQ(m.probe(0, MemorySystem::Port::Data, a).state, State::I);  // ...evicted as the oldest
}

TEST(CacheReplacement, EveryPolicyFillsInvalidWaysFirst) {
  for (Replacement r : {Replacement::LRU, Replacement::TreePLRU, Replacement::Random}) {
    HierarchyConfig c;
    c.num_cpus = 1;
    c.l1d = {8 * 128, 8, 2, r};
    MemorySystem m(c);
    for (uint64_t k = 0; k < 8; ++k) m.read(0, k * 128, k);
    for (uint64_t k = 0; k < 8; ++k) EXPECT_NE(m.probe(0, MemorySystem::Port::Data, k * 128).state, State::I);
    m.read(0, 8 * 128, 100);
    unsigned present = 0;
    for (uint64_t k = 0; k <= 8; ++k) present += m.probe(0, MemorySystem::Port::Data, k * 128).state != State::I;
    EXPECT_EQ(present, 8u) << to_string(r);
  }
}

}  // namespace
}  // namespace dusim::coherence
