// `dusim run-bare IMAGE`: a bare-metal ppc64 image booted on the simulated
// multi-CPU machine, optionally under GDB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "direct/gdb_request.h"

namespace dusim::direct {

struct RunBareOptions {
  std::string image;
  std::string config;  // machine config (YAML)
  unsigned cpus = 0;
  std::vector<std::string> set;
  std::vector<std::string> args;  // KEY=VALUE pairs for the boot-information block
  std::vector<std::string> files;  // NAME=HOST_PATH (or HOST_PATH): the initial image's files (loader/initrd.h)
  std::vector<std::string> trees;  // NAME=HOST_DIR: a directory tree in the initial image
  std::string stats_json;
  std::string events_file;  // --events: the event log as JSON lines (report/event_file.h)
  bool stats = false;
  uint64_t max_ms = 10'000;
  GdbRequest gdb;
};

// Returns the code the guest powered off with, or the tool's (README.md,
// "Exit codes").
int run_bare(const RunBareOptions& o);

}  // namespace dusim::direct
