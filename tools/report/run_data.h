// What one scenario run hands to the report builders: the scenario, the
// machine's event log and traffic samples, and how the run ended. Nothing
// timed is kept by hand elsewhere.
#pragma once

#include <string>
#include <vector>

#include "platform/event_log.h"
#include "platform/machine.h"
#include "scenario/scenario.h"

namespace dusim::report {

struct ObjectTraffic {  // one address range the guest registered
  std::string name;
  uint64_t base = 0, size = 0;
  uint64_t misses = 0, invalidations = 0, c2c = 0, upgrades = 0, writebacks = 0, stall_cycles = 0;
};

struct RunData {
  const scenario::Scenario* scenario = nullptr;
  const std::vector<Event>* events = nullptr;
  const std::vector<Machine::TrafficSample>* samples = nullptr;  // periodic, cumulative
  Machine::TrafficSample final_sample;                            // cumulative at the end
  std::vector<ObjectTraffic> objects;
  Machine::Outcome outcome = Machine::Outcome::LimitReached;
  int exit_code = 0;
  uint64_t end_ns = 0;
  std::string fault;
  double host_seconds = 0;  // wall
  double cpu_seconds = 0;   // host CPU time of the simulation
  double mips = 0;
};

// As report.json names it: powered_off, time_limit, fault or interrupted.
inline const char* outcome_name(Machine::Outcome o) {
  switch (o) {
    case Machine::Outcome::Faulted: return "fault";
    case Machine::Outcome::PoweredOff: return "powered_off";
    case Machine::Outcome::Interrupted: return "interrupted";
    case Machine::Outcome::LimitReached: break;
  }
  return "time_limit";
}

}  // namespace dusim::report
