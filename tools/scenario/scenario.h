// A scenario: which machine, which guest workloads, which updates at which
// simulated times, which metrics to derive from the event log and which
// checks must hold. Format: README.md, "Scenarios"; an annotated example is
// scenarios/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "platform/machine_config.h"

namespace dusim::scenario {

struct Workload {
  std::string kind;                          // a guest workload kind
  std::string cpus = "all";                  // "all", "N", "A-B" or "A,B,C"
  std::map<std::string, std::string> params; // passed to the guest as w<i>.<key>=<value>
};

struct Update {
  std::string name;
  uint64_t at_ns = 0;        // when the module reaches the mailbox
  std::string module;        // C++ source (absolute path after loading)
  std::string module_as_written;  // as the scenario names it (relative to the scenario file)
  unsigned cpu = 0;          // CPU that gets the mailbox interrupt
  std::string expect = "applied";  // applied | aborted | rejected
  std::vector<std::string> cxxflags;  // extra compiler flags for the module
};

// A number derived from the event log over a time window.
struct Metric {
  std::string name;
  std::string op;        // count | sum | mean | max | min | p50 | p99
  std::string event;     // event name (events.def)
  std::string arg;       // argument name (not for count)
  std::string window = "all";  // before | during | after | all (relative to the first update)
  std::map<std::string, uint64_t> where;  // argument name -> required value
  bool ns = false;       // the argument is in cycles: report nanoseconds
};

struct Check {
  std::string name;
  std::string expect;  // "PATH OP VALUE", e.g. "metrics.corruptions_before > 0"
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  MachineConfig machine;
  std::vector<std::string> machine_overrides;
  std::string kernel;  // guest image; empty: the built kernel
  uint64_t seed = 1;
  uint64_t duration_ns = 0;
  uint64_t sample_ns = 10'000;
  std::vector<Workload> workloads;
  std::vector<Update> updates;
  std::vector<Metric> metrics;
  std::vector<Check> checks;
  std::vector<std::string> outputs{"report.json", "trace.json", "report.html"};
  std::vector<std::string> guest_args;  // extra KEY=VALUE boot arguments
};

// Reads and validates a scenario; throws YamlError (file:line:column: key).
// `overrides` are --set KEY=VALUE: keys starting with "machine." or "caches."
// or "latency." go to the machine; "seed", "duration_ms", "kernel",
// "workloads.<i>.<param>" and "updates.<i>.at_ms" to the scenario.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The guest's boot arguments for a scenario (seed, workloads, extras).
std::vector<std::string> boot_args(const Scenario& s);

}  // namespace dusim::scenario
