// A machine description, read from configs/*.yaml (format: sim/platform/README.md,
// "Machine configs"; every key: machine_params.def). A config may name a
// `base:` config and override it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cache_coherence/config.h"
#include "config/param.h"
#include "cpu_ppc64/insn.h"

namespace dusim {

// How far the CPUs' interactions follow simulated time (machine.sync_policy;
// sim/platform/README.md, "The machine"). Quantum: a CPU synchronizes with
// SystemC time only at quantum boundaries. Ordered: also before each access
// through which CPUs interact (bus transactions, reservations, sync, devices).
enum class SyncPolicy : uint8_t { Quantum, Ordered };
std::string_view to_string(SyncPolicy p);
bool parse(std::string_view name, SyncPolicy& out);

// The members named in machine_params.def (PARAM_MACHINE, PARAM_LATENCY) are
// declared, with their defaults, by that table.
struct MachineConfig {
#define PARAM_MACHINE(member, key, type, value, range, unit, description) type member = param::initial<type>(value, unit);
#include "platform/machine_params.def"

  // Cycles per instruction class, indexed by ppc::InsnClass.
  std::array<uint8_t, size_t(ppc::InsnClass::Count)> latency = default_latency();
  coherence::HierarchyConfig hierarchy;
  std::string file;  // where it was read from
  std::vector<std::string> files;  // every file read: the base configs first, then `file`

  uint64_t cycles_to_ns(uint64_t cycles) const { return uint64_t((unsigned __int128)cycles * 1'000'000'000 / clock_hz); }
  uint64_t ns_to_cycles(uint64_t ns) const { return uint64_t((unsigned __int128)ns * clock_hz / 1'000'000'000); }
  // In SystemC's default resolution (1 ps), for sc_time::from_value.
  uint64_t cycles_to_ps(uint64_t cycles) const { return uint64_t((unsigned __int128)cycles * 1'000'000'000'000ull / clock_hz); }

 private:
  static constexpr std::array<uint8_t, size_t(ppc::InsnClass::Count)> default_latency() {
    std::array<uint8_t, size_t(ppc::InsnClass::Count)> a{};
#define PARAM_LATENCY(insn_class, value, range) a[size_t(ppc::InsnClass::insn_class)] = value;
#include "platform/machine_params.def"
    return a;
  }
};

// One row of machine_params.def, as the reader and the reference use it.
struct MachineParam {
  using Field = std::variant<std::string*, bool*, uint8_t*, unsigned*, uint64_t*, coherence::Protocol*,
                             coherence::Replacement*, SyncPolicy*>;
  std::string key;                      // "caches.l1d.size_kib"
  Field (*field)(MachineConfig& cfg);   // the member the key sets
  uint64_t min = 0, max = 0;            // integers, in the key's unit
  bool power_of_two = false;
  std::string_view unit;                // "MiB", "cycles", ... (param::scale)
  std::string description;
};
// Every parameter, in the table's order.
const std::vector<MachineParam>& machine_params();

// Reads a config file (following `base:` chains); throws YamlError with
// file, line, column and key.
MachineConfig load_machine_config(const std::string& path);

// Applies "key=value" overrides (e.g. "machine.cpus=8", "caches.protocol=MOESI")
// as if written in the file; throws YamlError naming the override.
void apply_machine_overrides(MachineConfig& cfg, const std::vector<std::string>& overrides);

// Written from the table (machine_config_docs.cc): configs/power5.yaml, and
// the reference table of sim/platform/README.md ("Machine configs").
std::string machine_config_yaml();
std::string machine_config_reference();

}  // namespace dusim
