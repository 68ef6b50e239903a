// `dusim run SCENARIO --seeds 1-10`: the scenario once per seed, each in its
// own `dusim run` process (a SystemC simulation is elaborated once per
// process) with its full reports in OUT/seed-N/, then the aggregate
// (report/seed_stats.h) in OUT: report.json, summary.txt, report.html.
// Format: tools/README.md, "Several seeds".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/run.h"

namespace dusim::scenario {

// "1-10", "1,3,5", "1-3,8": the seeds in the order given, each once;
// throws tools::InputError naming the bad part.
std::vector<uint64_t> parse_seed_list(const std::string& text);

// Returns the tool's exit code: a seed's run that did not finish (guest
// fault, error) first, then a failed aggregate check (123), else 0.
int run_seeds(const RunOptions& o, const std::string& seeds, const std::string& self);

}  // namespace dusim::scenario
