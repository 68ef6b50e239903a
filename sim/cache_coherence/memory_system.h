// The memory hierarchy as the CPUs see it: per-CPU L1D and L1I, a snooping
// bus, a shared L2 and memory, kept coherent by the protocol table chosen in
// the config (MESI or MOESI). Plain C++: time comes in as cycle counts.
//
// How the CPU uses it. The CPU serves most accesses on its own fast path and
// calls here only on its slow path. Each call returns an AccessOutcome that
// says what the access cost and which permissions the CPU now holds on the
// line: reads (fetches, for fetch()) while may_read_fast, writes while
// may_write_fast. It keeps them until this object calls its listener's
// revoke()/revoke_fetch(). Hits on the fast path are reported in bulk with
// count_fast_hits(); they do not update replacement order (LRU sees only
// slow-path accesses).
//
// Instruction caches take part in the protocol as S copies: a store by any
// CPU invalidates them (stricter than Power, which leaves that to icbi), and
// icbi drops the line from every L1I.
//
// Locking and synchronization: none. One thread at a time calls in (the
// SystemC kernel runs one process at a time). Listener callbacks run inside
// these calls and must not call back into the MemorySystem.
//
// Time: CPUs are temporally decoupled, so `now` is the caller's local time
// and calls arrive out of time order. Coherence state changes in call order;
// bus contention is computed on a timeline (see bus.h).
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache_coherence/bus.h"
#include "cache_coherence/cache.h"
#include "cache_coherence/config.h"
#include "cache_coherence/protocol.h"
#include "cache_coherence/stats.h"

namespace dusim::coherence {

// Where an access was served (stall_causes.def). The CPU charges `bus_wait`
// cycles to BusWait and the rest of `latency` to `cause`.
enum class StallCause : uint8_t {
#define STALL_CAUSE(id, name, description) id,
#include "cache_coherence/stall_causes.def"
};
constexpr unsigned kStallCauses = 0
#define STALL_CAUSE(id, name, description) +1
#include "cache_coherence/stall_causes.def"
    ;
std::string_view to_string(StallCause c);
std::string_view description(StallCause c);

struct AccessOutcome {
  uint32_t latency = 0;   // cycles from `now` until the access completes, bus wait included
  uint32_t bus_wait = 0;  // part of latency spent waiting for the bus
  StallCause cause = StallCause::L1Hit;
  bool may_read_fast = false;   // further reads (fetch(): fetches) of the line may skip the slow path
  bool may_write_fast = false;  // further writes of the line may skip the slow path (line is M)
  // Data versions, for testers that check coherence (the CPU can ignore them).
  // Each store makes a new, globally unique version; 0 is memory's initial data.
  uint64_t version_seen = 0;     // load/fetch: version read; store: version the store merged into
  uint64_t version_written = 0;  // store/dcbz: the new version; else 0
};

// Implemented by the CPU (or a tester). Called when an L1 line loses a
// permission the CPU was granted: invalidation by another CPU, eviction,
// the CPU's own dcbf/dcbst, or a downgrade from M when another CPU reads.
class CoherenceListener {
 public:
  virtual ~CoherenceListener() = default;
  // L1D: drop the write grant for the line; drop the read grant too unless
  // keep_read. keep_read == false also means another CPU may now write the
  // line: the CPU must clear a lwarx reservation on it.
  virtual void revoke(int cpu, uint64_t line_addr, bool keep_read) = 0;
  // L1I: the line left the instruction cache; fetch must come back here.
  virtual void revoke_fetch(int cpu, uint64_t line_addr) {}
};

class MemorySystem {
 public:
  enum class Port : uint8_t { Data, Instruction };
  struct LineView {
    State state = State::I;
    uint64_t version = 0;
  };
  struct MemorySideView {
    bool in_l2 = false;
    bool l2_dirty = false;
    uint64_t version = 0;  // what a fill from the memory side would get
  };

  explicit MemorySystem(const HierarchyConfig& config);
  // Runs `table` instead of the config's protocol (tests inject broken tables).
  MemorySystem(const HierarchyConfig& config, const ProtocolTable& table);
  ~MemorySystem();
  MemorySystem(const MemorySystem&) = delete;
  MemorySystem& operator=(const MemorySystem&) = delete;

  void set_listener(int cpu, CoherenceListener* listener);

  // The CPU's slow path. `addr` is any byte address in the line.
  AccessOutcome read(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome write(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome fetch(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome dcbz(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome dcbf(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome dcbst(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome icbi(int cpu, uint64_t addr, uint64_t now);
  AccessOutcome sync(int cpu, uint64_t now);

  // Hits the CPU served on its fast path, for the statistics. Without an
  // address they count in the totals only; with one, also in its ranges.
  void count_fast_hits(int cpu, uint64_t reads, uint64_t writes, uint64_t fetches);
  void count_fast_hits_at(int cpu, uint64_t addr, uint64_t reads, uint64_t writes, uint64_t fetches);

  // Registers a named range for attribution; returns its index. Counts from now on.
  unsigned add_range(std::string name, uint64_t base, uint64_t size);

  // Statistics.
  const CacheCounters& l1d_stats(int cpu) const { return l1(cpu, Port::Data).stats.total(); }
  const CacheCounters& l1i_stats(int cpu) const { return l1(cpu, Port::Instruction).stats.total(); }
  const BusCounters& bus_stats() const { return bus_stats_.total(); }
  const RangedCounters<CacheCounters>& ranged_stats(int cpu, Port port) const { return l1(cpu, port).stats; }
  const RangedCounters<BusCounters>& ranged_bus_stats() const { return bus_stats_; }
  const AddressRanges& ranges() const { return ranges_; }
  nlohmann::json stats_json() const;  // layout documented in stats_report.cpp
  void print_stats(std::ostream& out) const;

  // Inspection, for tests and checkers.
  LineView probe(int cpu, Port port, uint64_t addr) const;
  MemorySideView memory_side(uint64_t addr) const;
  const HierarchyConfig& config() const { return config_; }
  const ProtocolTable& table() const { return table_; }
  uint64_t line_of(uint64_t addr) const { return addr & ~uint64_t(config_.line_size - 1); }
  // A tester that models the CPU's fast-path stores calls this to give the
  // line a new version (the CPU itself need not): requires write permission.
  AccessOutcome note_fast_store(int cpu, uint64_t addr);

 private:
  enum class BusOp : uint8_t { Rd, RdX, Upgr, Zero, Flush, Clean, Writeback, Icbi, Sync };
  struct Holders {  // which L1s hold a line: bit 2*cpu is the L1D, 2*cpu+1 the L1I
    std::array<uint64_t, 2> bits{};
    bool test(unsigned c) const { return (bits[c / 64] >> (c % 64)) & 1; }
    void set(unsigned c) { bits[c / 64] |= uint64_t(1) << (c % 64); }
    void clear(unsigned c) { bits[c / 64] &= ~(uint64_t(1) << (c % 64)); }
    bool empty() const { return (bits[0] | bits[1]) == 0; }
  };
  struct Snoop;  // what the other caches did in one transaction

  Cache& l1(int cpu, Port port) { return l1s_[cache_id(cpu, port)]; }
  const Cache& l1(int cpu, Port port) const { return l1s_[cache_id(cpu, port)]; }
  unsigned cache_id(int cpu, Port port) const;

  AccessOutcome access(int cpu, Port port, Event event, uint64_t addr, uint64_t now);
  static BusOp bus_op(Actions issue, const Transition& t);
  unsigned source(Cache& c, BusOp op, const Snoop& s, uint64_t line, uint64_t ranges, bool present,
                  uint64_t& data_version, bool& moves_data, StallCause& cause);
  void commit(unsigned id, Port port, CacheLine& l, Event event, Actions actions, State next, AccessOutcome& out);
  Snoop snoop(unsigned requester, BusOp op, uint64_t line, uint64_t ranges);
  void set_state(unsigned id, CacheLine& line, State next, bool invalidated_by_coherence);
  void evict(unsigned id, CacheLine& victim, uint64_t start);
  uint64_t fill_from_memory_side(uint64_t line, uint64_t ranges, bool& l2_hit);
  void write_to_memory_side(uint64_t line, uint64_t version);
  void write_memory(uint64_t line, uint64_t version);
  void flush_l2(uint64_t line, bool invalidate);
  uint64_t bus_transaction(BusOp op, bool moves_data, uint64_t now, uint64_t ranges);
  void count_bus_op(BusOp op, uint64_t ranges);
  uint64_t ranges_of(uint64_t line) const { return ranges_.match(line, config_.line_size); }

  HierarchyConfig config_;
  ProtocolTable table_;
  std::vector<Cache> l1s_;  // index cache_id(cpu, port)
  Cache l2_;
  std::vector<CoherenceListener*> listeners_;
  std::unordered_map<uint64_t, Holders> holders_;
  std::unordered_map<uint64_t, uint64_t> memory_versions_;  // absent: version 0
  uint64_t last_version_ = 0;
  BusTimeline bus_;
  RangedCounters<BusCounters> bus_stats_;
  AddressRanges ranges_;
};

}  // namespace dusim::coherence
