// `dusim sweep SCENARIO --vary KEY=V1,V2,...`: every combination of the
// varied values runs as its own `dusim run` process (a SystemC simulation can
// be elaborated once per process); their reports become one table
// (sweep.csv, printed as it grows, and sweep.json) and a plot (sweep.html).
// Format: tools/README.md, "Sweeps".
#pragma once

#include <string>
#include <vector>

namespace dusim::sweep {

struct SweepOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>-sweep
  std::vector<std::string> vary;       // KEY=V1,V2,... (cpus, quantum, protocol, or any --set key)
  std::vector<std::string> overrides;  // fixed --set values
  std::string self;                    // path of the dusim binary, to run each variant
};

// Returns the tool's exit code: the worst a variant exited with, failed
// checks aside (README.md, "Exit codes").
int sweep(const SweepOptions& o);

}  // namespace dusim::sweep
