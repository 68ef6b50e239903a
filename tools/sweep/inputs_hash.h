// A variant's plan hash: what its report depends on, so a finished report
// whose hash still matches need not run again (sweep resume). It covers the
// bytes of the scenario file, the machine config, the guest image and each
// update's module source, and the run's --set overrides in order; not the
// dusim binary (a rebuilt simulator is rerun with --force).
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::sweep {

// `s` is the scenario as loaded with `sets`; 16 hex digits (FNV-1a, 64 bits,
// every field length-prefixed). Throws tools::InputError naming a file that
// cannot be read.
std::string inputs_hash(const scenario::Scenario& s, const std::vector<std::string>& sets);

}  // namespace dusim::sweep
