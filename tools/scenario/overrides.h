// `--set KEY=VALUE` on a scenario: keys starting with "machine.", "caches."
// or "latency." go to the machine config (platform/machine_config.h);
// "seed", "duration_ms", "sample_us", "kernel", "workloads.<i>.<param>"
// and "updates.<i>.at_ms" to the scenario itself.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::scenario {

// Applies `overrides` after the scenario's own machine `set:`; throws
// YamlError naming the --set.
void apply_overrides(Scenario& s, const std::vector<std::string>& overrides);

// The scenario keys --set accepts (machine keys are the config's own), for
// messages: seed, duration_ms, sample_us, kernel, workloads.<i>.<param>, ...
std::vector<std::string> scenario_override_keys();

// A folder-name part for KEY=VALUE: the key's last part, '-', the value (a
// path's file name), with anything but letters, digits and ._- made '-':
// machine.cpus=8 -> cpus-8, kernel=/a/b.elf -> kernel-b.elf.
std::string override_label(const std::string& key, const std::string& value);

}  // namespace dusim::scenario
