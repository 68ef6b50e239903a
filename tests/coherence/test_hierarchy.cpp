// The hierarchy end to end: configured latencies come out, bus contention
// costs time, MESI and MOESI move dirty data as they should, grants are
// revoked, and statistics count and attribute what happened.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cache_coherence/memory_system.h"

namespace dusim::coherence {
namespace {

using Port = MemorySystem::Port;

HierarchyConfig config(unsigned cpus, Protocol p = Protocol::MESI) {
  HierarchyConfig c;
  c.num_cpus = cpus;
  c.protocol = p;
  return c;
}

constexpr uint64_t X = 0x10000;
constexpr uint64_t Y = 0x20000;

struct Revoke {
  int cpu;
  uint64_t line;
  bool keep_read;
  bool fetch;
  bool operator==(const Revoke&) const = default;
};

struct Recorder : CoherenceListener {
  std::vector<Revoke> calls;
  void revoke(int cpu, uint64_t line, bool keep_read) override { calls.push_back({cpu, line, keep_read, false}); }
  void revoke_fetch(int cpu, uint64_t line) override { calls.push_back({cpu, line, false, true}); }
};

TEST(Config, DefaultsArePower5Class) {
  HierarchyConfig c;
  EXPECT_EQ(c.line_size, 128u);
  EXPECT_EQ(c.l1d.size_bytes, 32u * 1024);
  EXPECT_EQ(c.l1d.associativity, 4u);
  EXPECT_EQ(c.l1i.size_bytes, 64u * 1024);
  EXPECT_EQ(c.l1i.associativity, 2u);
  EXPECT_EQ(c.l2.size_bytes, 1920u * 1024);
  EXPECT_EQ(c.l2.associativity, 10u);
  EXPECT_EQ(c.l1d.hit_latency, 2u);
  EXPECT_EQ(c.l2.hit_latency, 13u);
  EXPECT_EQ(c.memory_latency, 220u);
  EXPECT_NO_THROW(c.validate());
}

TEST(Config, ValidationNamesTheField) {
  HierarchyConfig c;
  c.l1d.size_bytes = 1000;
  try {
    c.validate();
    FAIL() << "accepted a bad size";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("l1d"), std::string::npos) << e.what();
  }
  c = HierarchyConfig{};
  c.line_size = 96;
  EXPECT_THROW(c.validate(), std::invalid_argument);
  c = HierarchyConfig{};
  c.num_cpus = 65;
  EXPECT_THROW(c.validate(), std::invalid_argument);
  Protocol p;
  EXPECT_TRUE(parse("moesi", p));
  EXPECT_EQ(p, Protocol::MOESI);
  Replacement r;
  EXPECT_TRUE(parse("tree-plru", r));
  EXPECT_EQ(r, Replacement::TreePLRU);
  EXPECT_FALSE(parse("fifo", r));
}

TEST(Latency, ConfiguredNumbersComeOut) {
  HierarchyConfig c = config(2);
  c.memory_latency = 200;
  c.l2.hit_latency = 11;
  c.l1d.hit_latency = 3;
  c.c2c_latency = 40;
  c.upgrade_latency = 9;
  MemorySystem m(c);

  AccessOutcome a = m.read(0, X, 0);
  EXPECT_EQ(a.latency, 200u);
  EXPECT_EQ(a.cause, StallCause::Memory);
  a = m.read(0, X + 8, 1000);
  EXPECT_EQ(a.latency, 3u);
  EXPECT_EQ(a.cause, StallCause::L1Hit);
  // cpu0 holds X clean (E): cpu1's miss is served by the L2.
  a = m.read(1, X, 2000);
  EXPECT_EQ(a.latency, 11u);
  EXPECT_EQ(a.cause, StallCause::L2Hit);
  // Store to a shared line: an upgrade.
  a = m.write(0, X, 3000);
  EXPECT_EQ(a.latency, 9u);
  EXPECT_EQ(a.cause, StallCause::Upgrade);
  // cpu0 holds X dirty: cpu1's miss is cache-to-cache.
  a = m.read(1, X, 4000);
  EXPECT_EQ(a.latency, 40u);
  EXPECT_EQ(a.cause, StallCause::CacheToCache);
  EXPECT_EQ(m.sync(0, 5000).latency, c.sync_latency);
  EXPECT_EQ(m.fetch(1, Y, 6000).latency, 200u);
  EXPECT_EQ(m.fetch(1, Y + 4, 7000).latency, c.l1i.hit_latency);
}

TEST(Latency, DefaultL2AndMemoryPath) {
  MemorySystem m(config(1));
  EXPECT_EQ(m.read(0, X, 0).latency, 220u);
  EXPECT_EQ(m.read(0, X, 300).latency, 2u);
  // Evict X from the 4-way L1D with four more lines of its set; it stays in the L2.
  const uint64_t set_stride = 32 * 1024 / 4;
  for (uint64_t k = 1; k <= 4; ++k) m.read(0, X + k * set_stride, 1000 * k);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::I);
  AccessOutcome a = m.read(0, X, 10'000);
  EXPECT_EQ(a.latency, 13u);
  EXPECT_EQ(a.cause, StallCause::L2Hit);
}

TEST(Bus, ContentionCostsTime) {
  HierarchyConfig c = config(3);
  MemorySystem m(c);
  AccessOutcome a = m.read(0, X, 100);
  AccessOutcome b = m.read(1, Y, 100);  // same cycle: waits for cpu0's transaction
  EXPECT_EQ(a.bus_wait, 0u);
  EXPECT_EQ(b.bus_wait, c.bus_data_occupancy);
  EXPECT_EQ(b.latency, c.memory_latency + c.bus_data_occupancy);
  AccessOutcome d = m.read(2, X + 0x40000, 100);
  EXPECT_EQ(d.bus_wait, 2 * c.bus_data_occupancy);
  EXPECT_EQ(m.bus_stats().transactions, 3u);
  EXPECT_EQ(m.bus_stats().busy_cycles, 3u * c.bus_data_occupancy);
  EXPECT_EQ(m.bus_stats().wait_cycles, 3u * c.bus_data_occupancy);
}

TEST(Bus, LateRequestUsesAGapInThePast) {
  // Temporal decoupling: cpu1 lags behind cpu0 and its request arrives later
  // in host order but earlier in simulated time; the bus was free then.
  MemorySystem m(config(2));
  EXPECT_EQ(m.read(0, X, 10'000).bus_wait, 0u);
  EXPECT_EQ(m.read(1, Y, 5'000).bus_wait, 0u);
  // ...but a request that overlaps cpu0's tenure waits for its end.
  EXPECT_EQ(m.read(1, Y + 0x40000, 9'998).bus_wait, 10'008u - 9'998u);
}

TEST(BusTimeline, BooksMergesAndFindsGaps) {
  BusTimeline t(1'000'000);
  EXPECT_EQ(t.book(100, 10), 100u);
  EXPECT_EQ(t.book(100, 10), 110u);  // merged into [100,120)
  EXPECT_EQ(t.book(130, 10), 130u);  // [130,140)
  EXPECT_EQ(t.book(115, 11), 140u);  // gap [120,130) too short for 11: [130,151)
  EXPECT_EQ(t.book(115, 5), 120u);   // but fits 5: [100,125)
  EXPECT_TRUE(t.busy_at(100));
  EXPECT_TRUE(t.busy_at(124));
  EXPECT_FALSE(t.busy_at(125));
  EXPECT_TRUE(t.busy_at(150));
  EXPECT_FALSE(t.busy_at(151));
  EXPECT_FALSE(t.busy_at(99));
  EXPECT_EQ(t.book(125, 5), 125u);   // exactly fills [125,130): one interval [100,151)
  EXPECT_EQ(t.book(100, 1), 151u);
  EXPECT_EQ(t.book(0, 50), 0u);
}

TEST(BusTimeline, ForgetsIntervalsOlderThanItsHistory) {
  BusTimeline t(100);
  EXPECT_EQ(t.book(0, 8), 0u);
  EXPECT_EQ(t.book(0, 8), 8u);
  for (uint64_t k = 0; k < 2048; ++k) t.book(1000 + 10 * k, 8);
  // [0,16) lies far behind the newest request: a very late request finds the bus free.
  EXPECT_FALSE(t.busy_at(0));
  EXPECT_EQ(t.book(0, 8), 0u);
}

TEST(Mesi, DirtyLineReadByAnotherCpuIsWrittenBack) {
  MemorySystem m(config(2, Protocol::MESI));
  m.write(0, X, 0);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::M);
  const uint64_t v = m.probe(0, Port::Data, X).version;
  AccessOutcome r = m.read(1, X, 1000);
  EXPECT_EQ(r.cause, StallCause::CacheToCache);
  EXPECT_EQ(r.version_seen, v);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::S);
  EXPECT_EQ(m.probe(1, Port::Data, X).state, State::S);
  EXPECT_EQ(m.l1d_stats(0).writebacks, 1u);
  EXPECT_EQ(m.l1d_stats(0).c2c_supplied, 1u);
  EXPECT_EQ(m.l1d_stats(1).c2c_received, 1u);
  EXPECT_TRUE(m.memory_side(X).l2_dirty);
  EXPECT_EQ(m.memory_side(X).version, v);
}

TEST(Moesi, DirtyLineIsSuppliedCacheToCacheWithoutWriteback) {
  MemorySystem m(config(3, Protocol::MOESI));
  m.write(0, X, 0);
  const uint64_t v = m.probe(0, Port::Data, X).version;
  AccessOutcome r = m.read(1, X, 1000);
  EXPECT_EQ(r.cause, StallCause::CacheToCache);
  EXPECT_EQ(r.version_seen, v);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::O);
  EXPECT_EQ(m.probe(1, Port::Data, X).state, State::S);
  EXPECT_EQ(m.l1d_stats(0).writebacks, 0u);
  EXPECT_NE(m.memory_side(X).version, v);  // memory is stale while an owner exists
  // The owner keeps answering readers.
  EXPECT_EQ(m.read(2, X, 2000).cause, StallCause::CacheToCache);
  EXPECT_EQ(m.l1d_stats(0).c2c_supplied, 2u);
  // A sharer's store: upgrade, the owner drops without writing back.
  AccessOutcome w = m.write(1, X, 3000);
  EXPECT_EQ(w.cause, StallCause::Upgrade);
  EXPECT_EQ(w.version_seen, v);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::I);
  EXPECT_EQ(m.probe(2, Port::Data, X).state, State::I);
  EXPECT_EQ(m.probe(1, Port::Data, X).state, State::M);
  EXPECT_EQ(m.l1d_stats(0).writebacks, 0u);
  EXPECT_EQ(m.l1d_stats(1).invalidations_sent, 2u);
}

TEST(Moesi, OwnerEvictionWritesBack) {
  HierarchyConfig c = config(2, Protocol::MOESI);
  c.l1d = {1024, 1, 2};  // direct-mapped, 8 lines
  MemorySystem m(c);
  m.write(0, X, 0);
  m.read(1, X, 100);
  ASSERT_EQ(m.probe(0, Port::Data, X).state, State::O);
  const uint64_t v = m.probe(0, Port::Data, X).version;
  m.read(0, X + 1024, 200);  // same set: evicts the owner
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::I);
  EXPECT_EQ(m.l1d_stats(0).writebacks, 1u);
  EXPECT_EQ(m.memory_side(X).version, v);
  EXPECT_EQ(m.bus_stats().writebacks, 1u);
}

TEST(Exclusive, LoneReaderGetsEAndStoresSilently) {
  MemorySystem m(config(2));
  m.read(0, X, 0);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::E);
  const uint64_t before = m.bus_stats().transactions;
  AccessOutcome w = m.write(0, X, 500);
  EXPECT_EQ(w.cause, StallCause::L1Hit);
  EXPECT_TRUE(w.may_write_fast);
  EXPECT_EQ(m.bus_stats().transactions, before);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::M);
  m.read(1, Y, 600);
  m.read(0, Y, 700);
  EXPECT_EQ(m.probe(0, Port::Data, Y).state, State::S);
}

TEST(Grants, ReadGrantOnValidWriteGrantOnlyInM) {
  MemorySystem m(config(2));
  AccessOutcome a = m.read(0, X, 0);
  EXPECT_TRUE(a.may_read_fast);
  EXPECT_FALSE(a.may_write_fast);  // E: the first store must come here
  a = m.write(0, X, 10);
  EXPECT_TRUE(a.may_write_fast);
  a = m.fetch(0, Y, 20);
  EXPECT_TRUE(a.may_read_fast);
  EXPECT_FALSE(a.may_write_fast);
}

TEST(Grants, RevokedOnInvalidationDowngradeEvictionAndCacheOps) {
  HierarchyConfig c = config(2);
  c.l1d = {1024, 1, 2};
  MemorySystem m(c);
  Recorder rec;
  m.set_listener(0, &rec);
  m.set_listener(1, &rec);

  m.write(0, X, 0);
  m.read(1, X, 100);  // downgrade M -> S: cpu0 keeps reading
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{0, X, true, false}}));
  rec.calls.clear();
  m.write(1, X, 200);  // upgrade: cpu0's copy is invalidated
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{0, X, false, false}}));
  rec.calls.clear();
  m.read(1, X + 1024, 300);  // conflict eviction of cpu1's dirty X
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{1, X, false, false}}));
  rec.calls.clear();
  m.write(0, Y, 400);
  m.dcbst(0, Y, 500);  // M -> E: the write grant goes, the read grant stays
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{0, Y, true, false}}));
  rec.calls.clear();
  m.dcbf(1, Y, 600);  // another CPU's dcbf flushes cpu0's copy
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{0, Y, false, false}}));
  rec.calls.clear();
  m.fetch(0, X, 700);
  m.icbi(1, X, 800);
  EXPECT_EQ(rec.calls, (std::vector<Revoke>{{0, X, false, true}}));
}

TEST(CacheOps, DcbzClaimsWithoutReading) {
  MemorySystem m(config(2));
  m.read(1, X, 0);
  AccessOutcome z = m.dcbz(0, X, 1000);
  EXPECT_EQ(z.cause, StallCause::Upgrade);
  EXPECT_EQ(z.latency, HierarchyConfig{}.upgrade_latency);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::M);
  EXPECT_EQ(m.probe(1, Port::Data, X).state, State::I);
  EXPECT_GT(z.version_written, 0u);
  EXPECT_EQ(m.bus_stats().zeroes, 1u);
}

TEST(CacheOps, DcbfPushesDataToMemoryAndDropsAllCopies) {
  MemorySystem m(config(2, Protocol::MOESI));
  m.write(0, X, 0);
  m.read(1, X, 100);
  const uint64_t v = m.probe(0, Port::Data, X).version;
  AccessOutcome f = m.dcbf(1, X, 200);
  EXPECT_EQ(f.cause, StallCause::CacheOp);
  EXPECT_FALSE(f.may_read_fast);
  for (int cpu : {0, 1}) EXPECT_EQ(m.probe(cpu, Port::Data, X).state, State::I);
  EXPECT_FALSE(m.memory_side(X).in_l2);
  EXPECT_EQ(m.memory_side(X).version, v);
  // The next miss is a coherence miss, served by memory.
  AccessOutcome r = m.read(0, X, 300);
  EXPECT_EQ(r.cause, StallCause::Memory);
  EXPECT_EQ(r.version_seen, v);
  EXPECT_EQ(m.l1d_stats(0).misses_coherence, 1u);
}

TEST(CacheOps, DcbstCleansEverywhere) {
  MemorySystem m(config(2, Protocol::MOESI));
  m.write(0, X, 0);
  m.read(1, X, 100);  // cpu0: O
  m.dcbst(1, X, 200);
  EXPECT_EQ(m.probe(0, Port::Data, X).state, State::S);
  EXPECT_EQ(m.probe(1, Port::Data, X).state, State::S);
  EXPECT_FALSE(m.memory_side(X).l2_dirty);
}

TEST(Stats, MissesAreClassified) {
  HierarchyConfig c = config(2);
  c.l1d = {1024, 1, 2};
  MemorySystem m(c);
  m.read(0, X, 0);           // cold
  m.read(0, X + 1024, 100);  // cold, evicts X
  m.read(0, X, 200);         // capacity/conflict
  m.write(1, X, 300);        // invalidates cpu0's copy
  m.read(0, X, 400);         // coherence
  const CacheCounters& s = m.l1d_stats(0);
  EXPECT_EQ(s.misses_cold, 2u);
  EXPECT_EQ(s.misses_capacity, 1u);
  EXPECT_EQ(s.misses_coherence, 1u);
  EXPECT_EQ(s.accesses, 4u);
  EXPECT_EQ(s.hits + s.misses() + s.upgrades, s.accesses);
  EXPECT_EQ(s.invalidations_received, 1u);
  EXPECT_EQ(m.l1d_stats(1).invalidations_sent, 1u);
}

TEST(Stats, FastHitsAreCounted) {
  MemorySystem m(config(1));
  m.read(0, X, 0);
  m.count_fast_hits(0, 10, 5, 7);
  EXPECT_EQ(m.l1d_stats(0).accesses, 16u);
  EXPECT_EQ(m.l1d_stats(0).hits, 15u);
  EXPECT_EQ(m.l1d_stats(0).fast_hits, 15u);
  EXPECT_EQ(m.l1i_stats(0).fast_hits, 7u);
}

TEST(Stats, RangesAttributeTraffic) {
  MemorySystem m(config(2));
  const unsigned heap = m.add_range("heap", X, 0x1000);
  const unsigned other = m.add_range("other", 0x900000, 0x1000);
  m.write(0, X, 0);
  m.read(1, X, 100);
  m.read(0, Y, 200);
  m.count_fast_hits_at(0, X, 3, 0, 0);
  const auto& r0 = m.ranged_stats(0, Port::Data);
  EXPECT_EQ(r0.range(heap).accesses, 4u);
  EXPECT_EQ(r0.range(heap).c2c_supplied, 1u);
  EXPECT_EQ(r0.total().accesses, 5u);
  EXPECT_EQ(r0.range(other).accesses, 0u);
  EXPECT_EQ(m.ranged_bus_stats().range(heap).transactions, 2u);
  EXPECT_EQ(m.bus_stats().transactions, 3u);
}

TEST(Stats, JsonAndTableCarryDescriptions) {
  MemorySystem m(config(2, Protocol::MOESI));
  m.add_range("heap", X, 0x1000);
  m.write(0, X, 0);
  m.read(1, X, 100);
  const nlohmann::json j = m.stats_json();
  EXPECT_EQ(j["protocol"], "MOESI");
  EXPECT_EQ(j["caches"]["cpu0.l1d"]["c2c_supplied"], 1);
  EXPECT_EQ(j["caches"]["cpu1.l1d"]["misses"], 1);
  EXPECT_TRUE(j["caches"].contains("l2"));
  EXPECT_EQ(j["bus"]["transactions"], 2);
  EXPECT_EQ(j["ranges"][0]["name"], "heap");
  EXPECT_EQ(j["ranges"][0]["caches"]["cpu0.l1d"]["accesses"], 1);
  for (const auto& f : kCacheStats) EXPECT_TRUE(j["descriptions"]["cache"].contains(std::string(f.name)));
  for (const auto& f : kBusStats) EXPECT_TRUE(j["descriptions"]["bus"].contains(std::string(f.name)));
  std::ostringstream table;
  m.print_stats(table);
  const std::string s = table.str();
  EXPECT_NE(s.find("cpu1.l1d"), std::string::npos);
  EXPECT_NE(s.find("Range heap"), std::string::npos);
  EXPECT_NE(s.find("cache-to-cache"), std::string::npos);
}

TEST(Engine, IllegalCellFromABrokenTableThrows) {
  // A table whose load miss skips the bus would install nothing: the engine refuses.
  ProtocolTable broken = ProtocolTable::mesi().with_cell(
      State::I, Event::Load, {CellKind::Normal, State::S, kHit, "broken: hit on an absent line"}, "broken");
  MemorySystem m(config(1), broken);
  EXPECT_THROW(m.read(0, X, 0), ProtocolError);
  MemorySystem ok(config(1));
  EXPECT_THROW(ok.note_fast_store(0, X), ProtocolError);
  EXPECT_THROW(ok.read(1, X, 0), std::out_of_range);
}

}  // namespace
}  // namespace dusim::coherence
