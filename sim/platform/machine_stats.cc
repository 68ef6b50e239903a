// The machine's statistics (`run-bare --stats`, `--stats-json`): per CPU
// (cpu_stats.def), per cache and bus (cache_coherence/stats.def), and per
// address range the guest registered, each counter with its description.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "platform/machine.h"

namespace dusim {

namespace {

nlohmann::json stall_causes_json(const CpuModule& m) {
  nlohmann::json causes;
  for (unsigned k = 0; k < coherence::kStallCauses; ++k)
    causes[std::string(coherence::to_string(coherence::StallCause(k)))] = m.stall_by_cause[k];
  return causes;
}

nlohmann::json descriptions() {
  nlohmann::json d = {
#define CPU_STAT(key, value, description) {#key, description},
#define MACHINE_STAT(key, description) {#key, description},
#include "platform/cpu_stats.def"
  };
  for (unsigned k = 0; k < coherence::kStallCauses; ++k)
    d["stall_causes"][std::string(coherence::to_string(coherence::StallCause(k)))] =
        std::string(coherence::description(coherence::StallCause(k)));
  return d;
}

}  // namespace

// Instructions and cycles per CPU with the PC in each registered range.
nlohmann::json Machine::pc_ranges_json() const {
  nlohmann::json code = nlohmann::json::array();
  for (size_t k = 0; k < pc_range_names_.size() && !cpus_.empty(); ++k) {
    const ppc::Cpu::PcRanges& first = cpus_[0]->cpu.pc_ranges();
    if (k >= first.count) break;
    nlohmann::json insns = nlohmann::json::array(), cyc = nlohmann::json::array();
    for (const auto& m : cpus_) {
      insns.push_back(m->cpu.pc_ranges().instructions[k]);
      cyc.push_back(m->cpu.pc_ranges().cycles[k]);
    }
    code.push_back({{"name", pc_range_names_[k]}, {"base", first.base[k]}, {"size", first.size[k]},
                    {"instructions", insns}, {"cycles", cyc}});
  }
  return code;
}

nlohmann::json Machine::stats_json() const {
  const Machine& machine = *this;
  nlohmann::json j;
  j["descriptions"] = descriptions();
  j["machine"] = {{"cpus", cfg_.cpus}, {"clock_hz", cfg_.clock_hz}, {"quantum_cycles", cfg_.quantum_cycles},
                  {"sync_policy", std::string(to_string(cfg_.sync_policy))}, {"ipi_latency_cycles", cfg_.ipi_latency_cycles},
                  {"caches", cfg_.caches}, {"protocol", std::string(coherence::to_string(cfg_.hierarchy.protocol))}};
  nlohmann::json cpus = nlohmann::json::array();
  for (const auto& p : cpus_) {
    const CpuModule& m = *p;
    cpus.push_back({
        {"cpu", m.cpu.id},
#define CPU_STAT(key, value, description) {#key, value},
#include "platform/cpu_stats.def"
    });
  }
  j["cpus"] = cpus;
  j["pc_ranges"] = pc_ranges_json();
  if (msys_) {
    j["memory"] = msys_->stats_json();
    nlohmann::json ranges = nlohmann::json::array();
    const auto& all = msys_->ranges().all();
    for (size_t k = 0; k < all.size(); ++k) {
      nlohmann::json per_cpu = nlohmann::json::array();
      for (const auto& m : cpus_) per_cpu.push_back(m->stall_by_range[k]);
      ranges.push_back({{"name", all[k].name}, {"base", all[k].base}, {"size", all[k].size}, {"stall_cycles", per_cpu}});
    }
    j["ranges"] = ranges;
  }
  return j;
}

std::string Machine::stats_table() const {
  std::string s = fmt::format("{:>4} {:>14} {:>14} {:>12} {:>7}  {}\n", "cpu", "instructions", "cycles", "stalls",
                              "IPC", "stall cycles by cause");
  for (const auto& m : cpus_) {
    const ppc::Cpu& c = m->cpu;
    std::string causes;
    for (unsigned k = 0; k < coherence::kStallCauses; ++k)
      if (m->stall_by_cause[k])
        causes += fmt::format("{}={} ", coherence::to_string(coherence::StallCause(k)), m->stall_by_cause[k]);
    s += fmt::format("{:>4} {:>14} {:>14} {:>12} {:>7.3f}  {}\n", c.id, c.icount, c.cycles, c.stall_cycles,
                     c.cycles ? double(c.icount) / double(c.cycles) : 0.0, causes);
  }
  if (msys_) {
    std::ostringstream os;
    msys_->print_stats(os);
    s += os.str();
  }
  return s;
}

}  // namespace dusim
