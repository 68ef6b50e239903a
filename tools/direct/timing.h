// `dusim run-elf PROG --timing`: the program's memory accesses through the
// machine's cache model (coherence::MemorySystem, the one `run-bare` and
// `run` attach to every CPU) configured as a one-CPU hierarchy from a machine
// config, as gem5's syscall-emulation mode with a timing CPU does. The
// process (sim/user_mode) still holds the data; this filter sits in front of
// it (LinuxProcess::interpose_memory) and adds to each access the stall the
// hierarchy charges beyond the instruction's class latency, as the
// full-system machine does (platform/memory_map.cc). No fast-path grants are
// given: every load, store and line fetch reaches the caches, so LRU sees
// every access (the full system's fast-path hits do not update replacement
// order: the one difference). Every thread of the program runs on the one
// simulated CPU's caches.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cache_coherence/memory_system.h"
#include "cpu_ppc64/mem_port.h"
#include "platform/machine_config.h"
#include "user_mode/linux_process.h"

namespace dusim::direct {

class TimingMemory final : public ppc::MemTarget, public coherence::CoherenceListener {
 public:
  // Attaches itself to `proc` (its threads' fetch timing too).
  TimingMemory(LinuxProcess& proc, const MachineConfig& cfg);
  ~TimingMemory() override;

  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;
  void revoke(int, uint64_t, bool) override {}  // no grants given, none to take back

  // Cycles, instructions, CPI, per-cache accesses, misses and miss rates,
  // stall cycles by cause (tools/README.md, "Timing a program").
  nlohmann::ordered_json stats() const;
  // The same, as the lines `run-elf --timing` prints.
  std::string text() const;

 private:
  void charge(const coherence::AccessOutcome& o, unsigned already, uint64_t& stall);
  uint64_t now(unsigned thread) const;

  LinuxProcess& proc_;
  MachineConfig cfg_;
  std::unique_ptr<coherence::MemorySystem> msys_;
  std::array<uint64_t, coherence::kStallCauses> stall_by_cause_{};
};

}  // namespace dusim::direct
