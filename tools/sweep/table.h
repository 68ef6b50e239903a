// The sweep's table: one row per variant (and so per seed, when seeds are
// varied), from its exit code and its report.json (absent when the variant
// wrote none): the varied values, the seed and the fixed overrides, each
// update's status, latency and blocked calls (in the scenario's order),
// checks passed and which failed, every metric of the scenario, host time.
// sweep.csv is tidy: one column per key and per quantity, units in the
// column names (NAME_UNIT), empty cells where there is no value.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep/plan.h"

namespace dusim::sweep {

// The variant's report, or null when it wrote none (or not a whole one).
nlohmann::ordered_json read_report(const std::string& path);

nlohmann::ordered_json variant_row(const Plan& p, const PlannedVariant& v, int exit_code, const nlohmann::ordered_json& report);

// sweep.csv's first line and one row's line (each ending in a newline);
// cells are quoted where CSV needs it.
std::string csv_header(const Plan& p);
std::string csv_line(const Plan& p, const nlohmann::ordered_json& row);

// The keys a row has besides the varied ones: the seed (unless varied),
// then each fixed --set key (unless varied), in the order given.
std::vector<std::string> fixed_keys(const Plan& p);

}  // namespace dusim::sweep
