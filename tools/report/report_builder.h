// Builds report.json from one scenario run. Everything timed comes from the
// event log (and the machine's periodic traffic samples); nothing is kept by
// hand elsewhere. Keys: README.md, "Report keys".
#pragma once

#include <nlohmann/json.hpp>
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
  std::string outcome;  // powered_off | time_limit | fault
  int exit_code = 0;
  uint64_t end_ns = 0;
  std::string fault;
  double host_seconds = 0;
  double mips = 0;
};

nlohmann::ordered_json build_report(const RunData& run);

// Chrome trace-event JSON (Perfetto, chrome://tracing): one track per CPU.
nlohmann::ordered_json build_trace(const RunData& run, const nlohmann::ordered_json& report);

// The self-contained HTML page with plots.
std::string build_html(const nlohmann::ordered_json& report, const nlohmann::ordered_json& trace);

// The terminal summary: timeline, checks, headline numbers.
std::string build_summary(const nlohmann::ordered_json& report);

}  // namespace dusim::report
