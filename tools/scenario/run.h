// `dusim run SCENARIO`: load, compile the modules, simulate, write the
// reports, print the summary.
#pragma once

#include <string>
#include <vector>

namespace dusim::scenario {

struct RunOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>
  std::vector<std::string> overrides;  // --set KEY=VALUE
  bool summary = true;                 // print the terminal summary
  std::string events_file;             // --events: the event log as JSON lines (report/event_file.h)
};

// Returns the tool's exit code (README.md, "Exit codes").
int run_scenario(const RunOptions& o);

}  // namespace dusim::scenario
