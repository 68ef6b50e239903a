// Scenario checks: "PATH OP VALUE" over the report, e.g.
//   metrics.corruptions_before > 0
//   updates[0].status == applied
//   metrics.unmap_p50_ns_after < metrics.unmap_p50_ns_before
// PATH is a dotted path into report.json with [i] for list elements; VALUE
// is a number, a bare word or "string", true/false, or another PATH.
// OP is one of == != < <= > >=.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dusim::report {

struct CheckResult {
  bool passed = false;
  std::string detail;  // "metrics.x = 3 > 0", or why it could not be evaluated
};

CheckResult evaluate_check(const std::string& expression, const nlohmann::ordered_json& report);

// Syntax only (for validate): empty when well-formed, else why not.
std::string check_syntax(const std::string& expression);

}  // namespace dusim::report
