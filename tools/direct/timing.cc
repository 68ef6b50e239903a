#include "direct/timing.h"

#include <fmt/format.h>

#include <algorithm>

namespace dusim::direct {

using ppc::Access;
using ppc::AccessResult;
using json = nlohmann::ordered_json;

namespace {
coherence::HierarchyConfig one_cpu(const MachineConfig& cfg) {
  coherence::HierarchyConfig h = cfg.hierarchy;
  h.num_cpus = 1;
  return h;
}
unsigned log2u(uint64_t v) { return unsigned(63 - __builtin_clzll(v)); }
}  // namespace

TimingMemory::TimingMemory(LinuxProcess& proc, const MachineConfig& cfg)
    : proc_(proc), cfg_(cfg), msys_(std::make_unique<coherence::MemorySystem>(one_cpu(cfg))) {
  msys_->set_listener(0, this);
  proc_.interpose_memory(this);
  for (const auto& t : proc_.threads()) t->cpu.set_fetch_timing(log2u(cfg_.hierarchy.line_size));
}

TimingMemory::~TimingMemory() { proc_.interpose_memory(nullptr); }

uint64_t TimingMemory::now(unsigned thread) const { return proc_.threads()[thread]->cpu.cycles; }

// What the access cost beyond `already` (its class latency, in the
// instruction's cycles) is a stall, charged to where the line came from.
void TimingMemory::charge(const coherence::AccessOutcome& o, unsigned already, uint64_t& stall) {
  uint32_t s = o.latency > already ? o.latency - already : 0;
  uint32_t wait = std::min(s, o.bus_wait);
  stall_by_cause_[unsigned(coherence::StallCause::BusWait)] += wait;
  stall_by_cause_[unsigned(o.cause)] += s - wait;
  stall += s;
}

AccessResult TimingMemory::access(unsigned cpu, uint64_t addr, unsigned size, Access kind, uint8_t* data) {
  // A thread made after the start (clone) gets line-fetch timing at its first access.
  ppc::Cpu& c = proc_.threads()[cpu]->cpu;
  c.set_fetch_timing(log2u(cfg_.hierarchy.line_size));
  const uint64_t t = now(cpu), line = cfg_.hierarchy.line_size;
  uint64_t stall = 0;
  auto latency = [&](ppc::InsnClass k) { return unsigned(cfg_.latency[size_t(k)]); };
  if (kind == Access::Fetch && size == 0) {  // the fetch of a new line
    charge(msys_->fetch(0, addr, t), cfg_.hierarchy.l1i.hit_latency, stall);
    AccessResult r{true};
    r.stall = uint32_t(stall);
    return r;
  }
  AccessResult r = proc_.access(cpu, addr, size, kind, data);
  r.grant = nullptr;
  if (!r.ok) return r;
  switch (kind) {
    case Access::Read:
    case Access::Write: {
      auto op = kind == Access::Write ? &coherence::MemorySystem::write : &coherence::MemorySystem::read;
      charge((msys_.get()->*op)(0, addr, t), latency(kind == Access::Write ? ppc::InsnClass::Store : ppc::InsnClass::Load), stall);
      if ((addr & (line - 1)) + size > line) (msys_.get()->*op)(0, addr + size - 1, t);  // the second line: state only, as the machine does
      break;
    }
    case Access::BlockZero: charge(msys_->dcbz(0, addr, t), latency(ppc::InsnClass::Store), stall); break;
    case Access::BlockFlush:
    case Access::BlockInvalidate: charge(msys_->dcbf(0, addr, t), latency(ppc::InsnClass::Sync), stall); break;
    case Access::BlockClean: charge(msys_->dcbst(0, addr, t), latency(ppc::InsnClass::Sync), stall); break;
    case Access::ICacheInvalidate: charge(msys_->icbi(0, addr, t), latency(ppc::InsnClass::Sync), stall); break;
    case Access::Barrier: charge(msys_->sync(0, t), latency(ppc::InsnClass::Sync), stall); break;
    default: break;  // the decoder's fetches (the predecoded cache is the simulator's), touches, reservations
  }
  r.stall += uint32_t(stall);
  return r;
}

json TimingMemory::stats() const {
  uint64_t cycles = 0;
  for (const auto& t : proc_.threads()) cycles = std::max(cycles, t->cpu.cycles);
  const uint64_t insns = proc_.total_instructions();
  const nlohmann::json caches = msys_->stats_json()["caches"];
  auto cache = [&](const char* key) {
    const nlohmann::json& c = caches[key];
    uint64_t a = c["accesses"].get<uint64_t>(), m = c["misses"].get<uint64_t>();
    return json{{"accesses", a},
                {"misses", m},
                {"miss_rate", a ? double(m) / double(a) : 0.0},
                {"misses_cold", c["misses_cold"]},
                {"misses_capacity", c["misses_capacity"]},
                {"writebacks", c["writebacks"]}};
  };
  json stalls = json::object();
  uint64_t total = 0;
  for (unsigned k = 0; k < coherence::kStallCauses; ++k) {
    stalls[std::string(coherence::to_string(coherence::StallCause(k)))] = stall_by_cause_[k];
    total += stall_by_cause_[k];
  }
  return {{"instructions", insns},
          {"cycles", cycles},
          {"threads", proc_.threads().size()},
          {"cpi", insns ? double(cycles) / double(insns) : 0.0},
          {"config", cfg_.file},
          {"line_size", cfg_.hierarchy.line_size},
          {"l1i", cache("cpu0.l1i")},
          {"l1d", cache("cpu0.l1d")},
          {"l2", cache("l2")},
          {"stall_cycles", total},
          {"stall_cycles_by_cause", stalls}};
}

std::string TimingMemory::text() const {
  const json s = stats();
  std::string out = fmt::format("dusim: timing: cycles={} instructions={} CPI={:.3f} stall_cycles={}\n", s["cycles"].get<uint64_t>(),
                                s["instructions"].get<uint64_t>(), s["cpi"].get<double>(), s["stall_cycles"].get<uint64_t>());
  if (s["threads"].get<size_t>() > 1)
    out += fmt::format("dusim: timing: {} threads, each on its own clock, shared the one CPU's caches; cycles are the longest "
                       "thread's, CPI all threads' instructions over them\n", s["threads"].get<size_t>());
  for (const char* c : {"l1i", "l1d", "l2"})
    out += fmt::format("dusim: timing: {} accesses={} misses={} miss_rate={:.4f} (cold {}, capacity {})\n", c,
                       s[c]["accesses"].get<uint64_t>(), s[c]["misses"].get<uint64_t>(), s[c]["miss_rate"].get<double>(),
                       s[c]["misses_cold"].get<uint64_t>(), s[c]["misses_capacity"].get<uint64_t>());
  out += "dusim: timing: stall cycles by cause:";
  for (auto it = s["stall_cycles_by_cause"].begin(); it != s["stall_cycles_by_cause"].end(); ++it)
    out += fmt::format(" {}={}", it.key(), it.value().get<uint64_t>());
  return out + "\n";
}

}  // namespace dusim::direct
