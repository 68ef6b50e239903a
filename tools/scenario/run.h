// `dusim run SCENARIO`: load, compile the modules, simulate, write the
// reports, print the summary.
#pragma once

#include <string>
#include <vector>

namespace dusim::scenario {

// How much `run` prints (-q, default, -v).
enum class Verbosity { Quiet, Normal, Verbose };

struct RunOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>, or named after the --set overrides
  std::vector<std::string> overrides;  // --set KEY=VALUE (and --cpus N as machine.cpus=N)
  bool summary = true;                 // print the terminal summary
  std::string events_file;             // --events: the event log as JSON lines (report/event_file.h)
  Verbosity verbosity = Verbosity::Normal;
};

// The default output folder: out/NAME, or out/NAME--KEY-VALUE_KEY-VALUE
// when there are --set overrides, so a variant never replaces the report of
// the scenario as written.
std::string default_output_folder(const std::string& name, const std::vector<std::string>& overrides);

// Returns the tool's exit code (README.md, "Exit codes").
int run_scenario(const RunOptions& o);

}  // namespace dusim::scenario
