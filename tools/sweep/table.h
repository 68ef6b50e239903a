// The sweep's table: one row per variant, from its exit code and its
// report.json (absent when the variant wrote none): the varied values, each
// update's status, latency and blocked calls (in the scenario's order),
// checks passed and which failed, every metric of the scenario, host time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep/plan.h"

namespace dusim::sweep {

// The variant's report, or null when it wrote none (or not a whole one).
nlohmann::ordered_json read_report(const std::string& path);

// `updates` are the scenario's update names: each gets its columns even in
// a variant whose report lacks it.
nlohmann::ordered_json variant_row(const std::vector<Axis>& axes, const Variant& v, int exit_code,
                                   const nlohmann::ordered_json& report, const std::vector<std::string>& updates);

// sweep.csv's first line and one row's line (each ending in a newline);
// cells are quoted where CSV needs it.
std::string csv_header(const std::vector<Axis>& axes, const std::vector<std::string>& updates, const std::vector<std::string>& metrics);
std::string csv_line(const nlohmann::ordered_json& row, const std::vector<Axis>& axes, const std::vector<std::string>& metrics);

}  // namespace dusim::sweep
