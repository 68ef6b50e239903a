// A machine description, read from configs/*.yaml (format in README.md,
// "Machine configs"). A config may name a `base:` config and override it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cache_coherence/config.h"
#include "cpu_ppc64/insn.h"

namespace dusim {

struct MachineConfig {
  std::string name = "power5";
  std::string file;  // where it was read from
  unsigned cpus = 1;
  uint64_t clock_hz = 1'650'000'000;
  uint64_t memory_bytes = 512ull << 20;
  uint64_t quantum_cycles = 1000;
  unsigned timebase_divider = 8;  // core cycles per time-base tick
  // Cycles per instruction class (ppc::InsnClass order).
  std::array<uint8_t, size_t(ppc::InsnClass::Count)> latency{1, 4, 36, 1, 2, 1, 20, 8};
  bool caches = true;  // false: no cache model, every access costs its class latency
  coherence::HierarchyConfig hierarchy;
  std::string console = "";  // file for UART output; empty: the terminal (stdout)

  uint64_t cycles_to_ns(uint64_t cycles) const { return uint64_t((unsigned __int128)cycles * 1'000'000'000 / clock_hz); }
  uint64_t ns_to_cycles(uint64_t ns) const { return uint64_t((unsigned __int128)ns * clock_hz / 1'000'000'000); }
  // In SystemC's default resolution (1 ps), for sc_time::from_value.
  uint64_t cycles_to_ps(uint64_t cycles) const { return uint64_t((unsigned __int128)cycles * 1'000'000'000'000ull / clock_hz); }
};

// Reads a config file (following `base:` chains); throws YamlError with
// file, line, column and key.
MachineConfig load_machine_config(const std::string& path);

// Applies "key=value" overrides (e.g. "machine.cpus=8", "caches.protocol=MOESI")
// as if written in the file; throws YamlError naming the override.
void apply_machine_overrides(MachineConfig& cfg, const std::vector<std::string>& overrides);

}  // namespace dusim
