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

}  // namespace dusim::scenario
