// Scenario checks: "PATH OP VALUE" over the report, e.g.
//   metrics.corruptions_before > 0
//   updates[0].status == applied
//   metrics.unmap_p50_ns_after < metrics.unmap_p50_ns_before
//   coherence.after.per_us.c2c_transfers < 0.25 * coherence.before.per_us.c2c_transfers
// PATH is a dotted path into report.json with [i] for list elements; VALUE
// is a number, a bare word or "string", true/false, another PATH, or
// K * PATH (a number times a path's number).
// OP is one of == != < <= > >=.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "scenario/scenario.h"

namespace dusim::report {

struct CheckResult {
  bool passed = false;
  std::string detail;    // "metrics.x = 3 > 0", or why it could not be evaluated
  std::string expected;  // the expression: "metrics.x > 0"
  std::string actual;    // the left side's value: "3" ("absent" when the report has none)
  std::string meaning;   // what the left side is (a metric's definition, a report key's description)
};

CheckResult evaluate_check(const std::string& expression, const nlohmann::ordered_json& report);

// Syntax only: empty when well-formed, else why not.
std::string check_syntax(const std::string& expression);

// Syntax, and every path it names (report_paths.h) against what a run of `s`
// will report: empty when fine, else the first problem.
std::string check_problem(const std::string& expression, const scenario::Scenario& s);

}  // namespace dusim::report
