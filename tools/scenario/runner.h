// `dusim run SCENARIO`, `dusim validate FILE` and `dusim sweep SCENARIO`.
#pragma once

#include <string>
#include <vector>

namespace dusim::scenario {

struct RunOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>
  std::vector<std::string> overrides;  // --set KEY=VALUE
  bool summary = true;                 // print the terminal summary
};

// Returns the tool's exit code (README.md, "Exit codes").
int run_scenario(const RunOptions& o);

// Checks a scenario (and compiles its modules) or a machine config.
int validate_file(const std::string& path);

struct SweepOptions {
  std::string scenario;
  std::string out_dir;
  std::vector<std::string> vary;       // KEY=V1,V2,... (cpus, quantum, or any --set key)
  std::vector<std::string> overrides;  // fixed --set values
  std::string self;                    // path of the dusim binary, to run each variant
};
int sweep(const SweepOptions& o);

}  // namespace dusim::scenario
