// Writing a run's reports into its output folder: the scenario's `outputs`
// (report.json, trace.json, report.html), nothing else.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::report {

void write_reports(const std::filesystem::path& dir, const std::vector<scenario::Output>& outputs,
                   const nlohmann::ordered_json& report, const nlohmann::ordered_json& trace);

}  // namespace dusim::report
