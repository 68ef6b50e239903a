// The engine that runs a protocol table. One access is one atomic step:
//   1. the requesting L1 looks up (state, event) in the table;
//   2. a dirty line it is flushing is written back first;
//   3. if the cell issues a bus transaction, every other L1 holding the line
//      looks up (its state, the snooped event) and obeys that cell;
//   4. the data comes from the one snooper that supplied it, else the L2,
//      else memory; dcbf/dcbst broadcasts also clean the L2;
//   5. the requester installs the line (evicting a victim) or changes state.
// Nothing here decides a state by itself: every next state is a table cell.
#include "cache_coherence/memory_system.h"

#include <bit>
#include <stdexcept>
#include <string>

namespace dusim::coherence {

struct MemorySystem::Snoop {
  bool supplied = false;          // a snooper sent the line cache-to-cache
  uint64_t supplied_version = 0;
  bool wrote_back = false;        // a snooper put dirty data on the bus
  bool others_keep_copy = false;  // some other L1 still holds the line
  unsigned invalidated = 0;       // copies dropped
};

namespace {

Event snooped_event(int op) {
  static constexpr Event events[] = {Event::BusRd,   Event::BusRdX,   Event::BusUpgr,
                                     Event::BusZero, Event::BusFlush, Event::BusClean};
  return events[op];
}

bool is_access(Event e) {
  return e == Event::Load || e == Event::Fetch || e == Event::Store || e == Event::Dcbz;
}

uint64_t CacheCounters::*miss_counter(MissKind k) {
  switch (k) {
    case MissKind::Cold: return &CacheCounters::misses_cold;
    case MissKind::Capacity: return &CacheCounters::misses_capacity;
    case MissKind::Coherence: return &CacheCounters::misses_coherence;
  }
  return &CacheCounters::misses_cold;
}

uint64_t derive_seed(uint64_t seed, unsigned id) { return seed * 0x9E3779B97F4A7C15ull + id * 0xBF58476D1CE4E5B9ull + 1; }

}  // namespace

std::string_view to_string(StallCause c) {
  static constexpr std::string_view names[] = {
#define STALL_CAUSE(id, name, description) #name,
#include "cache_coherence/stall_causes.def"
  };
  return names[static_cast<unsigned>(c)];
}

std::string_view description(StallCause c) {
  static constexpr std::string_view descriptions[] = {
#define STALL_CAUSE(id, name, description) description,
#include "cache_coherence/stall_causes.def"
  };
  return descriptions[static_cast<unsigned>(c)];
}

MemorySystem::MemorySystem(const HierarchyConfig& config)
    : MemorySystem(config, ProtocolTable::of(config.protocol)) {}

MemorySystem::MemorySystem(const HierarchyConfig& config, const ProtocolTable& table)
    : config_((config.validate(), config)),
      table_(table),
      l2_("l2", config.l2, config.line_size, derive_seed(config.seed, 2 * config.num_cpus)),
      listeners_(config.num_cpus, nullptr),
      bus_(config.bus_history_cycles) {
  l1s_.reserve(2 * config.num_cpus);
  for (unsigned cpu = 0; cpu < config.num_cpus; ++cpu) {
    std::string prefix = "cpu" + std::to_string(cpu);
    l1s_.emplace_back(prefix + ".l1d", config.l1d, config.line_size, derive_seed(config.seed, 2 * cpu));
    l1s_.emplace_back(prefix + ".l1i", config.l1i, config.line_size, derive_seed(config.seed, 2 * cpu + 1));
  }
}

MemorySystem::~MemorySystem() = default;

unsigned MemorySystem::cache_id(int cpu, Port port) const {
  if (cpu < 0 || unsigned(cpu) >= config_.num_cpus) {
    throw std::out_of_range("MemorySystem: no CPU " + std::to_string(cpu));
  }
  return 2 * unsigned(cpu) + (port == Port::Instruction ? 1 : 0);
}

void MemorySystem::set_listener(int cpu, CoherenceListener* listener) {
  listeners_[cache_id(cpu, Port::Data) / 2] = listener;
}

AccessOutcome MemorySystem::read(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Data, Event::Load, addr, now);
}
AccessOutcome MemorySystem::write(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Data, Event::Store, addr, now);
}
AccessOutcome MemorySystem::fetch(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Instruction, Event::Fetch, addr, now);
}
AccessOutcome MemorySystem::dcbz(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Data, Event::Dcbz, addr, now);
}
AccessOutcome MemorySystem::dcbf(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Data, Event::Dcbf, addr, now);
}
AccessOutcome MemorySystem::dcbst(int cpu, uint64_t addr, uint64_t now) {
  return access(cpu, Port::Data, Event::Dcbst, addr, now);
}

// The one transaction a requester cell issues.
MemorySystem::BusOp MemorySystem::bus_op(Actions issue, const Transition& t) {
  if (std::popcount(unsigned(issue)) != 1) throw ProtocolError("cell issues two transactions: " + std::string(t.why));
  return issue == kIssueBusRd      ? BusOp::Rd
         : issue == kIssueBusRdX   ? BusOp::RdX
         : issue == kIssueBusUpgr  ? BusOp::Upgr
         : issue == kIssueBusZero  ? BusOp::Zero
         : issue == kIssueBusFlush ? BusOp::Flush
                                   : BusOp::Clean;
}

AccessOutcome MemorySystem::access(int cpu, Port port, Event event, uint64_t addr, uint64_t now) {
  const unsigned id = cache_id(cpu, port);
  Cache& c = l1s_[id];
  const uint64_t line = line_of(addr);
  const uint64_t ranges = ranges_of(line);
  CacheLine* l = c.find(line);
  const Transition& t = table_.fire(l ? l->state : State::I, event);
  if (t.actions & (kSupplyData)) throw ProtocolError("requester cell supplies data: " + std::string(t.why));
  if (is_access(event)) c.stats.add(&CacheCounters::accesses, ranges);

  AccessOutcome out;
  bool moves_data = false;
  if (t.actions & kWriteback) {  // own dirty data goes out before the broadcast
    if (!l) throw ProtocolError("writeback from an absent line: " + std::string(t.why));
    write_to_memory_side(line, l->version);
    c.stats.add(&CacheCounters::writebacks, ranges);
    moves_data = true;
  }

  const Actions issue = t.actions & (kIssueBusRd | kIssueBusRdX | kIssueBusUpgr | kIssueBusZero |
                                     kIssueBusFlush | kIssueBusClean);
  State next = t.next;
  uint64_t data_version = l ? l->version : 0;
  if (issue == 0) {
    if (!l) throw ProtocolError("cell without a bus transaction on an absent line: " + std::string(t.why));
    if (is_access(event)) c.stats.add(&CacheCounters::hits, ranges);
    out.latency = c.hit_latency();
    out.cause = StallCause::L1Hit;
  } else {
    const BusOp op = bus_op(issue, t);
    const Snoop s = snoop(id, op, line, ranges);
    c.stats.add(&CacheCounters::invalidations_sent, ranges, s.invalidated);
    moves_data |= s.wrote_back;
    if ((t.actions & kExclusiveIfAlone) && !s.others_keep_copy) next = State::E;

    if (op == BusOp::Rd || op == BusOp::RdX || (op == BusOp::Zero && !l)) {
      if (l) throw ProtocolError("fill of a line already present: " + std::string(t.why));
      c.stats.add(miss_counter(c.classify_miss(line)), ranges);
    }
    const unsigned base = source(c, op, s, line, ranges, l != nullptr, data_version, moves_data, out.cause);

    const uint64_t start = bus_transaction(op, moves_data, now, ranges);
    out.bus_wait = uint32_t(start - now);
    out.latency = out.bus_wait + base;

    if (!l && next != State::I) {
      CacheLine& slot = c.slot_for(line);
      if (slot.state != State::I) evict(id, slot, start);
      slot.addr = line;
      slot.version = data_version;
      l = &slot;
    }
  }

  if (l) commit(id, port, *l, event, t.actions, next, out);
  return out;
}

// Where a transaction's data, or its ownership, comes from: the access's
// cause and its latency before any bus wait.
unsigned MemorySystem::source(Cache& c, BusOp op, const Snoop& s, uint64_t line, uint64_t ranges, bool present,
                              uint64_t& data_version, bool& moves_data, StallCause& cause) {
  if (op == BusOp::Rd || op == BusOp::RdX) {
    moves_data = true;
    if (s.supplied) {
      c.stats.add(&CacheCounters::c2c_received, ranges);
      data_version = s.supplied_version;
      cause = StallCause::CacheToCache;
      return config_.c2c_latency;
    }
    bool l2_hit = false;
    data_version = fill_from_memory_side(line, ranges, l2_hit);
    cause = l2_hit ? StallCause::L2Hit : StallCause::Memory;
    return l2_hit ? l2_.hit_latency() : config_.memory_latency;
  }
  if (op == BusOp::Upgr || op == BusOp::Zero) {
    if (present) c.stats.add(&CacheCounters::upgrades, ranges);
    cause = StallCause::Upgrade;
    return config_.upgrade_latency;
  }
  flush_l2(line, op == BusOp::Flush);
  cause = StallCause::CacheOp;
  return config_.cache_op_latency;
}

// The requester's line after the access: its data version, its new state,
// and the fast-path permissions the CPU now holds.
void MemorySystem::commit(unsigned id, Port port, CacheLine& l, Event event, Actions actions, State next,
                          AccessOutcome& out) {
  if (actions & kNewVersion) {
    out.version_seen = event == Event::Dcbz ? 0 : l.version;
    l.version = ++last_version_;
    out.version_written = l.version;
  } else {
    out.version_seen = l.version;
  }
  set_state(id, l, next, /*by_coherence=*/true);
  if (l.state != State::I) {
    if (is_access(event)) l1s_[id].touch(l);
    out.may_read_fast = true;
    out.may_write_fast = port == Port::Data && l.state == State::M;
  }
}

MemorySystem::Snoop MemorySystem::snoop(unsigned requester, BusOp op, uint64_t line, uint64_t ranges) {
  Snoop s;
  auto it = holders_.find(line);
  if (it == holders_.end()) return s;
  const Holders h = it->second;  // copy: set_state edits the map
  const Event event = snooped_event(int(op));
  for (unsigned word = 0; word < 2; ++word) {
    for (uint64_t bits = h.bits[word]; bits; bits &= bits - 1) {
      const unsigned id = word * 64 + unsigned(__builtin_ctzll(bits));
      if (id == requester) continue;
      Cache& sc = l1s_[id];
      CacheLine* l = sc.find(line);
      if (!l) throw ProtocolError("holder map lists " + sc.name() + " for a line it does not hold");
      const Transition& t = table_.fire(l->state, event);
      if (t.actions & ~Actions(kSupplyData | kWriteback)) {
        throw ProtocolError("snoop cell does more than supply and write back: " + std::string(t.why));
      }
      if (t.actions & kSupplyData) {
        if (s.supplied) throw ProtocolError("two caches supplied line data: " + std::string(t.why));
        s.supplied = true;
        s.supplied_version = l->version;
        sc.stats.add(&CacheCounters::c2c_supplied, ranges);
      }
      if (t.actions & kWriteback) {
        write_to_memory_side(line, l->version);
        sc.stats.add(&CacheCounters::writebacks, ranges);
        s.wrote_back = true;
      }
      if (t.next == State::I) {
        ++s.invalidated;
        sc.stats.add(&CacheCounters::invalidations_received, ranges);
      } else {
        s.others_keep_copy = true;
      }
      set_state(id, *l, t.next, /*by_coherence=*/true);
    }
  }
  return s;
}

// Every state change of an L1 line goes through here, so the holder map and
// the CPUs' fast-path grants never drift from the caches.
void MemorySystem::set_state(unsigned id, CacheLine& line, State next, bool by_coherence) {
  const State old = line.state;
  if (old == next) return;
  const int cpu = int(id / 2);
  const bool icache = id & 1;
  line.state = next;
  if (old == State::I) {
    holders_[line.addr].set(id);
    return;
  }
  CoherenceListener* listener = listeners_[cpu];
  if (next == State::I) {
    auto it = holders_.find(line.addr);
    it->second.clear(id);
    if (it->second.empty()) holders_.erase(it);
    Cache& c = l1s_[id];
    if (by_coherence) c.note_invalidated(line.addr);
    else c.note_evicted(line.addr);
    if (listener) {
      if (icache) listener->revoke_fetch(cpu, line.addr);
      else listener->revoke(cpu, line.addr, false);
    }
  } else if (old == State::M && !icache && listener) {
    listener->revoke(cpu, line.addr, true);
  }
}

void MemorySystem::evict(unsigned id, CacheLine& victim, uint64_t start) {
  const Transition& t = table_.fire(victim.state, Event::Evict);
  if (t.next != State::I) throw ProtocolError("eviction must leave the line invalid: " + std::string(t.why));
  if (t.actions & kWriteback) {
    const uint64_t ranges = ranges_of(victim.addr);
    write_to_memory_side(victim.addr, victim.version);
    l1s_[id].stats.add(&CacheCounters::writebacks, ranges);
    bus_transaction(BusOp::Writeback, true, start, ranges);
  }
  set_state(id, victim, State::I, /*by_coherence=*/false);
}

uint64_t MemorySystem::fill_from_memory_side(uint64_t line, uint64_t ranges, bool& l2_hit) {
  l2_.stats.add(&CacheCounters::accesses, ranges);
  if (CacheLine* l = l2_.find(line)) {
    l2_.stats.add(&CacheCounters::hits, ranges);
    l2_.touch(*l);
    l2_hit = true;
    return l->version;
  }
  l2_hit = false;
  l2_.stats.add(miss_counter(l2_.classify_miss(line)), ranges);
  auto it = memory_versions_.find(line);
  const uint64_t version = it == memory_versions_.end() ? 0 : it->second;
  CacheLine& slot = l2_.slot_for(line);
  if (slot.state != State::I) {
    if (slot.dirty) {
      write_memory(slot.addr, slot.version);
      l2_.stats.add(&CacheCounters::writebacks, ranges_of(slot.addr));
    }
    l2_.note_evicted(slot.addr);
  }
  slot = CacheLine{line, version, State::S, false};
  l2_.touch(slot);
  return version;
}

// An L1's dirty data reaches the L2 (write-allocate: the L2 takes the line
// even if it had dropped it).
void MemorySystem::write_to_memory_side(uint64_t line, uint64_t version) {
  CacheLine* l = l2_.find(line);
  if (!l) {
    CacheLine& slot = l2_.slot_for(line);
    if (slot.state != State::I) {
      if (slot.dirty) {
        write_memory(slot.addr, slot.version);
        l2_.stats.add(&CacheCounters::writebacks, ranges_of(slot.addr));
      }
      l2_.note_evicted(slot.addr);
    }
    slot.addr = line;
    slot.state = State::S;
    l = &slot;
  }
  l->version = version;
  l->dirty = true;
  l2_.touch(*l);
}

void MemorySystem::write_memory(uint64_t line, uint64_t version) { memory_versions_[line] = version; }

void MemorySystem::flush_l2(uint64_t line, bool invalidate) {
  CacheLine* l = l2_.find(line);
  if (!l) return;
  if (l->dirty) {
    write_memory(line, l->version);
    l2_.stats.add(&CacheCounters::writebacks, ranges_of(line));
    l->dirty = false;
  }
  if (invalidate) {
    l->state = State::I;
    l2_.note_invalidated(line);
  }
}

uint64_t MemorySystem::bus_transaction(BusOp op, bool moves_data, uint64_t now, uint64_t ranges) {
  const unsigned occupancy = moves_data ? config_.bus_data_occupancy : config_.bus_address_occupancy;
  const uint64_t start = bus_.book(now, occupancy);
  bus_stats_.add(&BusCounters::transactions, ranges);
  bus_stats_.add(&BusCounters::busy_cycles, ranges, occupancy);
  bus_stats_.add(&BusCounters::wait_cycles, ranges, start - now);
  count_bus_op(op, ranges);
  return start;
}

void MemorySystem::count_bus_op(BusOp op, uint64_t ranges) {
  static constexpr uint64_t BusCounters::*counters[] = {
      &BusCounters::reads,   &BusCounters::read_exclusives, &BusCounters::upgrades,
      &BusCounters::zeroes,  &BusCounters::flushes,         &BusCounters::cleans,
      &BusCounters::writebacks, &BusCounters::icbis,        &BusCounters::syncs};
  bus_stats_.add(counters[unsigned(op)], ranges);
}

AccessOutcome MemorySystem::icbi(int cpu, uint64_t addr, uint64_t now) {
  const unsigned requester = cache_id(cpu, Port::Instruction);
  const uint64_t line = line_of(addr);
  const uint64_t ranges = ranges_of(line);
  unsigned invalidated = 0;
  if (auto it = holders_.find(line); it != holders_.end()) {
    const Holders h = it->second;
    for (unsigned id = 1; id < 2 * config_.num_cpus; id += 2) {  // instruction caches only
      if (!h.test(id)) continue;
      CacheLine* l = l1s_[id].find(line);
      const Transition& t = table_.fire(l->state, Event::Icbi);
      if (t.next == State::I) {
        ++invalidated;
        l1s_[id].stats.add(&CacheCounters::invalidations_received, ranges);
      }
      set_state(id, *l, t.next, /*by_coherence=*/true);
    }
  }
  l1s_[requester].stats.add(&CacheCounters::invalidations_sent, ranges, invalidated);
  AccessOutcome out;
  const uint64_t start = bus_transaction(BusOp::Icbi, false, now, ranges);
  out.bus_wait = uint32_t(start - now);
  out.latency = out.bus_wait + config_.cache_op_latency;
  out.cause = StallCause::CacheOp;
  return out;
}

AccessOutcome MemorySystem::sync(int cpu, uint64_t now) {
  cache_id(cpu, Port::Data);  // validates cpu
  AccessOutcome out;
  const uint64_t start = bus_transaction(BusOp::Sync, false, now, 0);
  out.bus_wait = uint32_t(start - now);
  out.latency = out.bus_wait + config_.sync_latency;
  out.cause = StallCause::Sync;
  return out;
}

void MemorySystem::count_fast_hits(int cpu, uint64_t reads, uint64_t writes, uint64_t fetches) {
  for (uint64_t CacheCounters::*m : {&CacheCounters::accesses, &CacheCounters::hits, &CacheCounters::fast_hits}) {
    l1(cpu, Port::Data).stats.add(m, 0, reads + writes);
    l1(cpu, Port::Instruction).stats.add(m, 0, fetches);
  }
}

void MemorySystem::count_fast_hits_at(int cpu, uint64_t addr, uint64_t reads, uint64_t writes,
                                      uint64_t fetches) {
  const uint64_t ranges = ranges_of(line_of(addr));
  for (uint64_t CacheCounters::*m : {&CacheCounters::accesses, &CacheCounters::hits, &CacheCounters::fast_hits}) {
    l1(cpu, Port::Data).stats.add(m, ranges, reads + writes);
    l1(cpu, Port::Instruction).stats.add(m, ranges, fetches);
  }
}

unsigned MemorySystem::add_range(std::string name, uint64_t base, uint64_t size) {
  const unsigned index = ranges_.add(std::move(name), base, size);
  const size_t n = ranges_.all().size();
  for (Cache& c : l1s_) c.stats.resize_ranges(n);
  l2_.stats.resize_ranges(n);
  bus_stats_.resize_ranges(n);
  return index;
}

MemorySystem::LineView MemorySystem::probe(int cpu, Port port, uint64_t addr) const {
  const CacheLine* l = l1(cpu, port).find(line_of(addr));
  return l ? LineView{l->state, l->version} : LineView{};
}

MemorySystem::MemorySideView MemorySystem::memory_side(uint64_t addr) const {
  const uint64_t line = line_of(addr);
  if (const CacheLine* l = l2_.find(line)) return {true, l->dirty, l->version};
  auto it = memory_versions_.find(line);
  return {false, false, it == memory_versions_.end() ? 0 : it->second};
}

AccessOutcome MemorySystem::note_fast_store(int cpu, uint64_t addr) {
  CacheLine* l = l1(cpu, Port::Data).find(line_of(addr));
  if (!l || l->state != State::M) {
    throw ProtocolError("fast-path store by cpu" + std::to_string(cpu) + " without write permission");
  }
  AccessOutcome out;
  out.version_seen = l->version;
  l->version = ++last_version_;
  out.version_written = l->version;
  out.may_read_fast = out.may_write_fast = true;
  return out;
}

}  // namespace dusim::coherence
