// The sweep's table: one row per variant, from its exit code and its
// report.json (absent when the variant wrote none): the varied values, the
// first update's status, latency and blocked calls, checks passed, every
// metric of the scenario, host time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep/plan.h"

namespace dusim::sweep {

// The variant's report, or null when it wrote none.
nlohmann::ordered_json read_report(const std::string& path);

nlohmann::ordered_json variant_row(const std::vector<Axis>& axes, const Variant& v, int exit_code,
                                   const nlohmann::ordered_json& report);

// sweep.csv's first line and one row's line (each ending in a newline).
std::string csv_header(const std::vector<Axis>& axes, const std::vector<std::string>& metrics);
std::string csv_line(const Variant& v, const nlohmann::ordered_json& row, const std::vector<std::string>& metrics);

}  // namespace dusim::sweep
