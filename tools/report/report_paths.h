// Paths into report.json as checks write them: a.b[2].c, with [i] for a
// list element and [NAME] for the element of updates[] or objects[] whose
// name is NAME (updates[allocator-fix].latency_ns). The keys a report can
// have are declared here once (with what each means), so a scenario's check
// that names a key, metric or update the report will not have is refused
// when the scenario is loaded, not after the run; a test keeps this list
// and the report builders in step (tests/tools/test_report_paths.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::report {

struct PathStep {
  bool index = false;  // [..] rather than .key
  std::string text;    // the key, or what is between the brackets
};

// The steps of a path; nothing when it is malformed.
std::optional<std::vector<PathStep>> split_path(const std::string& path);

// The value at `path` in `report`, or null when it is absent.
const nlohmann::ordered_json* lookup_path(const nlohmann::ordered_json& report, const std::string& path);

// Empty when `path` can name a value in the report of a run of `s`; else why
// not, with the keys that exist there (and the nearest one).
std::string unknown_report_path(const std::string& path, const scenario::Scenario& s);

// What the value at `path` means, from the declared keys (a metric's meaning
// comes from the report's metric_definitions). Empty when unknown.
std::string report_path_meaning(const std::string& path, const nlohmann::ordered_json& report);

// Every leaf path the declarations allow, with [] for "any element" and
// {metric} for any metric name (for the test that compares them with a
// built report).
std::vector<std::string> declared_leaf_paths();

}  // namespace dusim::report
