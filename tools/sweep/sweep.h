// `dusim sweep SCENARIO --vary KEY=V1,V2,...`: every combination of the
// varied values is planned (OUT/plan.json: overrides, seed, folder and a
// hash of its inputs), then runs as its own `dusim run` process (a SystemC
// simulation can be elaborated once per process), -j at a time, or as the
// tasks of one Slurm job array; a variant whose finished report matches its
// plan hash is not run again. Their reports become one table (sweep.csv,
// printed as it grows, and sweep.json) and plots (sweep.html).
// Format: tools/README.md, "Sweeps".
#pragma once

#include <string>
#include <vector>

namespace dusim::sweep {

struct SlurmOptions {
  bool submit = false;  // --slurm
  std::string partition, time;
  unsigned cpus_per_task = 0;  // 0: Slurm's default
};

struct SweepOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>-sweep
  std::vector<std::string> vary;       // KEY=V1,V2,... (cpus, quantum, protocol, or any --set key)
  std::vector<std::string> overrides;  // fixed --set values
  std::string self;                    // path of the dusim binary, to run each variant
  unsigned jobs = 0;                   // -j: variants at a time (0: the number of cores)
  bool force = false;                  // rerun variants that finished
  bool dry_run = false;                // print the plan, run nothing
  std::vector<std::string> plot;       // --plot: the metrics sweep.html plots (empty: every one)
  SlurmOptions slurm;
  std::string collect;                 // --collect DIR: tabulate a sweep's folder
  int task = -1;                       // --task K (with --out): run a Slurm array task's variants
};

// Returns the tool's exit code: the worst a variant exited with, failed
// checks aside (README.md, "Exit codes").
int sweep(const SweepOptions& o);

}  // namespace dusim::sweep
