#include "random_tester.h"

#include <algorithm>
#include <random>
#include <sstream>
#include <vector>

namespace dusim::coherence::testing {

HierarchyConfig TesterConfig::small_hierarchy(unsigned cpus, Protocol protocol, Replacement replacement) {
  HierarchyConfig h;
  h.num_cpus = cpus;
  h.protocol = protocol;
  h.line_size = 128;
  h.l1d = {1024, 2, 2, replacement};  // 8 lines
  h.l1i = {1024, 2, 2, replacement};
  h.l2 = {4096, 4, 13, replacement};  // 32 lines
  return h;
}

namespace {

using Port = MemorySystem::Port;

enum class Op { Load, Store, Lwarx, Stwcx, Fetch, Dcbz, Dcbf, Dcbst, Icbi, Sync };

struct CheckFailed {
  std::string what;
};

class Tester final : public CoherenceListener {
 public:
  Tester(const TesterConfig& cfg, const ProtocolTable* table)
      : cfg_(cfg),
        mem_(cfg.hierarchy, table ? *table : ProtocolTable::of(cfg.hierarchy.protocol)),
        ncpu_(cfg.hierarchy.num_cpus),
        nlines_(cfg.hot_lines + cfg.cold_lines),
        line_size_(cfg.hierarchy.line_size),
        rng_(cfg.seed),
        latest_(nlines_, 0),
        cpus_(ncpu_) {
    for (unsigned c = 0; c < ncpu_; ++c) {
      mem_.set_listener(int(c), this);
      cpus_[c].read.assign(nlines_, false);
      cpus_[c].write.assign(nlines_, false);
      cpus_[c].fetch.assign(nlines_, false);
    }
    const HierarchyConfig& h = cfg.hierarchy;
    latency_bound_ = cfg.quantum + 4 * (h.memory_latency + h.sync_latency) +
                     8ull * ncpu_ * std::max(h.bus_data_occupancy, 1u) + 1000;
  }

  TesterResult run();

  // CoherenceListener: what a CPU does with revokes.
  void revoke(int cpu, uint64_t line_addr, bool keep_read) override {
    const unsigned i = index_of(line_addr);
    Cpu& c = cpus_[cpu];
    c.write[i] = false;
    if (!keep_read) {
      c.read[i] = false;
      if (c.reservation_valid && c.reservation_line == i) c.reservation_valid = false;
    }
    touched_.push_back(i);
  }
  void revoke_fetch(int cpu, uint64_t line_addr) override {
    const unsigned i = index_of(line_addr);
    cpus_[cpu].fetch[i] = false;
    touched_.push_back(i);
  }

 private:
  struct Cpu {
    uint64_t time = 0;
    uint64_t last_step = 0;  // scheduler step of the last completed operation
    std::vector<bool> read, write, fetch;  // fast-path grants, per line index
    bool reservation_valid = false;
    unsigned reservation_line = 0;
    uint64_t reservation_version = 0;
    bool stwcx_pending = false;
    unsigned stwcx_failures_in_a_row = 0;
  };

  uint64_t base() const { return 0x10'0000; }
  uint64_t addr_of(unsigned i) const { return base() + uint64_t(i) * line_size_; }
  unsigned index_of(uint64_t line) const {
    uint64_t i = (line - base()) / line_size_;
    if (line < base() || i >= nlines_) fail("revoke for a line the tester never touched");
    return unsigned(i);
  }
  [[noreturn]] void fail(const std::string& what) const { throw CheckFailed{what}; }

  unsigned pick_cpu();
  unsigned pick_line() {
    if (cfg_.cold_lines == 0 || rng_() % 100 < cfg_.hot_percent) return unsigned(rng_() % cfg_.hot_lines);
    return cfg_.hot_lines + unsigned(rng_() % cfg_.cold_lines);
  }
  Op pick_op();
  uint64_t step(unsigned cpu);
  void do_load(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency);
  void do_store(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency);
  uint64_t perform(unsigned cpu, Op op, unsigned i, uint64_t addr, uint64_t now);
  void do_stwcx(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency);
  void do_fetch(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency);
  uint64_t do_dcbf(unsigned cpu, unsigned i, uint64_t addr, uint64_t now);
  uint64_t do_dcbst(unsigned cpu, unsigned i, uint64_t addr, uint64_t now);
  void grant(unsigned cpu, unsigned i, const AccessOutcome& out, bool fetch);
  void expect_version(const char* what, unsigned cpu, unsigned i, uint64_t seen);
  void check_line(unsigned i);
  std::string dump(unsigned i) const;

  TesterConfig cfg_;
  MemorySystem mem_;
  unsigned ncpu_;
  unsigned nlines_;
  unsigned line_size_;
  std::mt19937_64 rng_;
  std::vector<uint64_t> latest_;  // reference model: latest version per line
  std::vector<Cpu> cpus_;
  std::vector<unsigned> touched_;  // lines named by revokes during one operation
  uint64_t latency_bound_;
  uint64_t steps_ = 0;
  int next_cpu_ = -1;
  unsigned checking_line_ = 0;  // the line a failed check was about
  TesterResult r_;
  std::string context_;  // the operation in progress, for failure messages
};

unsigned Tester::pick_cpu() {
  // Temporal decoupling: any CPU may go next, unless it is a quantum ahead of
  // the slowest, which then goes first.
  unsigned cpu = unsigned(rng_() % ncpu_);
  unsigned slowest = 0;
  for (unsigned c = 1; c < ncpu_; ++c) {
    if (cpus_[c].time < cpus_[slowest].time) slowest = c;
  }
  return cpus_[cpu].time > cpus_[slowest].time + cfg_.quantum ? slowest : cpu;
}

Op Tester::pick_op() {
  static constexpr struct {
    Op op;
    unsigned weight;
  } kMix[] = {{Op::Load, 33}, {Op::Store, 25}, {Op::Lwarx, 10}, {Op::Fetch, 10}, {Op::Dcbz, 5},
              {Op::Dcbf, 5},  {Op::Dcbst, 5},  {Op::Icbi, 4},   {Op::Sync, 3}};
  unsigned roll = unsigned(rng_() % 100);
  for (const auto& m : kMix) {
    if (roll < m.weight) return m.op;
    roll -= m.weight;
  }
  return Op::Load;
}

void Tester::grant(unsigned cpu, unsigned i, const AccessOutcome& out, bool fetch) {
  Cpu& c = cpus_[cpu];
  if (fetch) {
    c.fetch[i] = out.may_read_fast;
    return;
  }
  c.read[i] = out.may_read_fast;
  c.write[i] = out.may_write_fast;
}

void Tester::expect_version(const char* what, unsigned cpu, unsigned i, uint64_t seen) {
  if (seen != latest_[i]) {
    std::ostringstream m;
    m << what << " by cpu" << cpu << " saw version " << seen << ", latest is " << latest_[i];
    fail(m.str());
  }
}

void Tester::do_load(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency) {
  ++r_.loads;
  if (cpus_[cpu].read[i]) {
    ++r_.fast_loads;
    const auto v = mem_.probe(int(cpu), Port::Data, addr);
    if (!is_valid(v.state)) fail("fast-path load under a read grant the L1D no longer backs");
    expect_version("fast-path load", cpu, i, v.version);
    mem_.count_fast_hits_at(int(cpu), addr, 1, 0, 0);
    latency = 1;
    return;
  }
  const AccessOutcome out = mem_.read(int(cpu), addr, now);
  expect_version("load", cpu, i, out.version_seen);
  grant(cpu, i, out, false);
  latency = out.latency;
}

void Tester::do_store(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency) {
  ++r_.stores;
  AccessOutcome out;
  if (cpus_[cpu].write[i]) {
    ++r_.fast_stores;
    out = mem_.note_fast_store(int(cpu), addr);
    mem_.count_fast_hits_at(int(cpu), addr, 0, 1, 0);
    latency = 1;
  } else {
    out = mem_.write(int(cpu), addr, now);
    grant(cpu, i, out, false);
    latency = out.latency;
  }
  expect_version("store (data merged into)", cpu, i, out.version_seen);
  if (out.version_written <= latest_[i]) fail("store did not make a new version");
  latest_[i] = out.version_written;
}

// One operation against the hierarchy, checked as it completes; returns its latency.
uint64_t Tester::perform(unsigned cpu, Op op, unsigned i, uint64_t addr, uint64_t now) {
  Cpu& c = cpus_[cpu];
  uint64_t latency = 0;
  switch (op) {
    case Op::Load: do_load(cpu, i, addr, now, latency); break;
    case Op::Store: do_store(cpu, i, addr, now, latency); break;
    case Op::Lwarx:
      ++r_.lwarx;
      do_load(cpu, i, addr, now, latency);
      c.reservation_valid = true;
      c.reservation_line = i;
      c.reservation_version = latest_[i];
      c.stwcx_pending = true;
      break;
    case Op::Stwcx: do_stwcx(cpu, i, addr, now, latency); break;
    case Op::Fetch: do_fetch(cpu, i, addr, now, latency); break;
    case Op::Dcbz:
      ++r_.dcbz;
      {
        const AccessOutcome out = mem_.dcbz(int(cpu), addr, now);
        if (out.version_written <= latest_[i]) fail("dcbz did not make a new version");
        latest_[i] = out.version_written;
        grant(cpu, i, out, false);
        latency = out.latency;
      }
      break;
    case Op::Dcbf: latency = do_dcbf(cpu, i, addr, now); break;
    case Op::Dcbst: latency = do_dcbst(cpu, i, addr, now); break;
    case Op::Icbi:
      ++r_.icbi;
      latency = mem_.icbi(int(cpu), addr, now).latency;
      for (unsigned o = 0; o < ncpu_; ++o) {
        if (is_valid(mem_.probe(int(o), Port::Instruction, addr).state)) fail("icbi left an L1I copy in cpu" + std::to_string(o));
      }
      break;
    case Op::Sync:
      ++r_.syncs;
      latency = mem_.sync(int(cpu), now).latency;
      break;
  }
  return latency;
}

void Tester::do_stwcx(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency) {
  Cpu& c = cpus_[cpu];
  c.stwcx_pending = false;
  if (c.reservation_valid) {
    // The reservation survived: no other CPU may have stored since lwarx.
    if (latest_[i] != c.reservation_version) {
      fail("stwcx. succeeds although another store hit the granule after lwarx (a revoke was missed)");
    }
    do_store(cpu, i, addr, now, latency);
    c.reservation_valid = false;
    ++r_.stwcx_ok;
    c.stwcx_failures_in_a_row = 0;
  } else {
    ++r_.stwcx_failed;
    latency = 1;
    if (++c.stwcx_failures_in_a_row > cfg_.max_stwcx_failures) {
      fail("watchdog: cpu" + std::to_string(cpu) + "'s stwcx. failed " +
           std::to_string(c.stwcx_failures_in_a_row) + " times in a row (livelock)");
    }
  }
}

void Tester::do_fetch(unsigned cpu, unsigned i, uint64_t addr, uint64_t now, uint64_t& latency) {
  ++r_.fetches;
  if (cpus_[cpu].fetch[i]) {
    ++r_.fast_fetches;
    const auto v = mem_.probe(int(cpu), Port::Instruction, addr);
    if (!is_valid(v.state)) fail("fast-path fetch under a grant the L1I no longer backs");
    expect_version("fast-path fetch", cpu, i, v.version);
    mem_.count_fast_hits(int(cpu), 0, 0, 1);
    latency = 1;
    return;
  }
  const AccessOutcome out = mem_.fetch(int(cpu), addr, now);
  expect_version("fetch", cpu, i, out.version_seen);
  grant(cpu, i, out, true);
  latency = out.latency;
}

uint64_t Tester::do_dcbf(unsigned cpu, unsigned i, uint64_t addr, uint64_t now) {
  ++r_.dcbf;
  const AccessOutcome out = mem_.dcbf(int(cpu), addr, now);
  grant(cpu, i, out, false);
  const auto ms = mem_.memory_side(addr);
  if (ms.in_l2) fail("dcbf left the line in the L2");
  expect_version("memory after dcbf", cpu, i, ms.version);
  for (unsigned o = 0; o < ncpu_; ++o) {
    if (is_valid(mem_.probe(int(o), Port::Data, addr).state) ||
        is_valid(mem_.probe(int(o), Port::Instruction, addr).state)) {
      fail("dcbf left a copy in cpu" + std::to_string(o));
    }
  }
  return out.latency;
}

uint64_t Tester::do_dcbst(unsigned cpu, unsigned i, uint64_t addr, uint64_t now) {
  ++r_.dcbst;
  const AccessOutcome out = mem_.dcbst(int(cpu), addr, now);
  grant(cpu, i, out, false);
  const auto ms = mem_.memory_side(addr);
  if (ms.l2_dirty) fail("dcbst left the L2 copy dirty");
  for (unsigned o = 0; o < ncpu_; ++o) {
    if (is_dirty(mem_.probe(int(o), Port::Data, addr).state)) fail("dcbst left a dirty copy in cpu" + std::to_string(o));
  }
  return out.latency;
}

uint64_t Tester::step(unsigned cpu) {
  Cpu& c = cpus_[cpu];
  const Op op = c.stwcx_pending ? Op::Stwcx : pick_op();
  const unsigned i = op == Op::Stwcx ? c.reservation_line : pick_line();
  const uint64_t addr = addr_of(i) + (rng_() % (line_size_ / 8)) * 8;
  const uint64_t now = c.time;
  static constexpr const char* kNames[] = {"load", "store", "lwarx", "stwcx.", "fetch",
                                           "dcbz", "dcbf",  "dcbst", "icbi",   "sync"};
  context_ = std::string(kNames[int(op)]) + " by cpu" + std::to_string(cpu) + " to line " +
             std::to_string(i) + " at cycle " + std::to_string(now);
  touched_.clear();
  touched_.push_back(i);
  checking_line_ = i;

  const uint64_t latency = perform(cpu, op, i, addr, now);
  if (latency > latency_bound_) {
    fail("watchdog: one access took " + std::to_string(latency) + " cycles (bound " +
         std::to_string(latency_bound_) + ")");
  }
  r_.max_latency = std::max(r_.max_latency, latency);

  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  for (unsigned t : touched_) check_line(t);

  c.time = now + latency + rng_() % 16;  // plus a few cycles of computation
  c.last_step = steps_;
  return latency;
}

void Tester::check_line(unsigned i) {
  ++r_.line_checks;
  checking_line_ = i;
  const uint64_t addr = addr_of(i);
  unsigned holders = 0, exclusive = 0, owned = 0, dirty = 0;
  for (unsigned c = 0; c < ncpu_; ++c) {
    const auto d = mem_.probe(int(c), Port::Data, addr);
    const auto ins = mem_.probe(int(c), Port::Instruction, addr);
    if (ins.state != State::I && ins.state != State::S) fail("an L1I holds a line in a state other than I or S");
    for (const auto& v : {d, ins}) {
      if (!is_valid(v.state)) continue;
      ++holders;
      if (v.state == State::M || v.state == State::E) ++exclusive;
      if (v.state == State::O) ++owned;
      if (is_dirty(v.state)) ++dirty;
      if (v.version != latest_[i]) {
        fail("cpu" + std::to_string(c) + " holds a stale copy (version " + std::to_string(v.version) +
             ", latest " + std::to_string(latest_[i]) + ")");
      }
    }
    const Cpu& cpu = cpus_[c];
    if (cpu.read[i] && !is_valid(d.state)) fail("cpu" + std::to_string(c) + " keeps a read grant on an invalid line");
    if (cpu.write[i] && d.state != State::M) fail("cpu" + std::to_string(c) + " keeps a write grant on a line not in M");
    if (cpu.fetch[i] && !is_valid(ins.state)) fail("cpu" + std::to_string(c) + " keeps a fetch grant on an invalid line");
  }
  if (exclusive > 0 && holders > 1) fail("single-writer violated: an M/E copy coexists with other copies");
  if (owned > 1) fail("two owners (O) of one line");
  if (dirty == 0 && mem_.memory_side(addr).version != latest_[i]) {
    fail("no cache holds the line dirty, but the memory side has version " +
         std::to_string(mem_.memory_side(addr).version) + ", latest " + std::to_string(latest_[i]));
  }
}

std::string Tester::dump(unsigned i) const {
  std::ostringstream m;
  const uint64_t addr = addr_of(i);
  m << "line " << i << " (latest version " << latest_[i] << "):";
  for (unsigned c = 0; c < ncpu_; ++c) {
    const auto d = mem_.probe(int(c), Port::Data, addr);
    const auto ins = mem_.probe(int(c), Port::Instruction, addr);
    if (!is_valid(d.state) && !is_valid(ins.state)) continue;
    m << " cpu" << c << "[d:" << to_string(d.state) << "/v" << d.version << " i:" << to_string(ins.state) << "/v"
      << ins.version << "]";
  }
  const auto ms = mem_.memory_side(addr);
  m << " memory-side[" << (ms.in_l2 ? (ms.l2_dirty ? "L2 dirty" : "L2") : "memory") << " v" << ms.version << "]";
  return m.str();
}

TesterResult Tester::run() {
  try {
    for (uint64_t n = 0; n < cfg_.operations; ++n) {
      ++steps_;
      // Half the time a stwcx. follows its lwarx at once; otherwise other
      // CPUs get in between and may take the reservation away.
      const unsigned cpu = next_cpu_ >= 0 ? unsigned(next_cpu_) : pick_cpu();
      next_cpu_ = -1;
      step(cpu);
      if (cpus_[cpu].stwcx_pending && rng_() % 2 == 0) next_cpu_ = int(cpu);
      ++r_.operations;
      if (cfg_.full_sweep_every && n % cfg_.full_sweep_every == 0) {
        for (unsigned i = 0; i < nlines_; ++i) check_line(i);
        for (unsigned c = 0; c < ncpu_; ++c) {
          if (steps_ - cpus_[c].last_step > 200ull * ncpu_ + 10'000) {
            fail("watchdog: cpu" + std::to_string(c) + " completed no operation in " +
                 std::to_string(steps_ - cpus_[c].last_step) + " steps");
          }
        }
      }
    }
  } catch (const CheckFailed& f) {
    r_.ok = false;
    r_.failure = "after " + std::to_string(r_.operations) + " operations, during " + context_ + ": " + f.what +
                 "\n  " + dump(checking_line_);
  } catch (const ProtocolError& e) {
    r_.ok = false;
    r_.failure = "after " + std::to_string(r_.operations) + " operations, during " + context_ +
                 ": protocol error: " + e.what();
  }
  for (unsigned c = 0; c < ncpu_; ++c) {
    r_.c2c_transfers += mem_.l1d_stats(int(c)).c2c_received + mem_.l1i_stats(int(c)).c2c_received;
    r_.invalidations += mem_.l1d_stats(int(c)).invalidations_received + mem_.l1i_stats(int(c)).invalidations_received;
    r_.writebacks += mem_.l1d_stats(int(c)).writebacks;
  }
  return r_;
}

}  // namespace

TesterResult run_random_test(const TesterConfig& config, const ProtocolTable* table) {
  Tester t(config, table);
  return t.run();
}

std::string summary(const TesterResult& r) {
  std::ostringstream m;
  m << r.operations << " ops: " << r.loads << " loads (" << r.fast_loads << " fast), " << r.stores << " stores ("
    << r.fast_stores << " fast), " << r.fetches << " fetches (" << r.fast_fetches << " fast), " << r.lwarx
    << " lwarx, " << r.stwcx_ok << "/" << r.stwcx_ok + r.stwcx_failed << " stwcx. succeeded, " << r.dcbz
    << " dcbz, " << r.dcbf << " dcbf, " << r.dcbst << " dcbst, " << r.icbi << " icbi, " << r.syncs << " sync; "
    << r.line_checks << " line checks; " << r.c2c_transfers << " c2c, " << r.invalidations << " invalidations, "
    << r.writebacks << " L1 writebacks; max latency " << r.max_latency;
  return m.str();
}

}  // namespace dusim::coherence::testing
