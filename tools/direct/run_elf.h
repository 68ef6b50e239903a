// `dusim run-elf PROGRAM [ARGS]`: a static ppc64 Linux program as a process
// (sim/user_mode), optionally under GDB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "direct/gdb_request.h"
#include "user_mode/linux_process.h"

namespace dusim::direct {

struct RunElfOptions {
  std::string elf;
  std::vector<std::string> args;
  bool stats = false;
  bool trace = false;
  bool timing = false;       // --timing: the cache model of --config (direct/timing.h)
  std::string config;        // --config: the machine config for --timing
  std::string stats_json;    // --stats-json: write the timing figures here
  uint64_t max_insns = 0;
  GdbRequest gdb;
  LinuxProcess::Options process;  // --root, --cpus, --quantum, --strict-syscalls, -v
};

// Returns the program's exit code, or the tool's (README.md, "Exit codes").
int run_elf(const RunElfOptions& o);

}  // namespace dusim::direct
