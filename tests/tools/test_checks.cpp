// Scenario checks (tools/report/checks.h) over a small report: the operators,
// a path on the right, and K * PATH on the right (the labs' "falls by a
// factor" checks).
#include <gtest/gtest.h>

#include "report/checks.h"

namespace {

using dusim::report::check_syntax;
using dusim::report::evaluate_check;

nlohmann::ordered_json report() {
  return nlohmann::ordered_json::parse(R"({"metrics": {"before": 100, "after": 20, "none": null},
                                           "updates": [{"name": "fix", "status": "applied"}]})");
}

TEST(Checks, ComparesNumbersAndWords) {
  EXPECT_TRUE(evaluate_check("metrics.after < metrics.before", report()).passed);
  EXPECT_FALSE(evaluate_check("metrics.after > metrics.before", report()).passed);
  EXPECT_TRUE(evaluate_check("updates[fix].status == applied", report()).passed);
  EXPECT_FALSE(evaluate_check("updates[fix].status == aborted", report()).passed);
}

TEST(Checks, ScalesAPathOnTheRight) {
  EXPECT_TRUE(evaluate_check("metrics.after <= 0.2 * metrics.before", report()).passed);
  EXPECT_FALSE(evaluate_check("metrics.after < 0.2 * metrics.before", report()).passed);
  EXPECT_TRUE(evaluate_check("metrics.after < 0.25 * metrics.before", report()).passed);
  auto r = evaluate_check("metrics.after < 0.1 * metrics.before", report());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.detail, "metrics.after = 20 < 0.1 * metrics.before = 10");
  EXPECT_EQ(check_syntax("metrics.after < 0.1 * metrics.before"), "");
}

TEST(Checks, AScaledAbsentOrNonNumberIsNotInTheReport) {
  auto r = evaluate_check("metrics.after < 2 * metrics.none", report());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.detail, "2 * metrics.none is not in the report");
  EXPECT_FALSE(evaluate_check("metrics.after < 2 * metrics.missing", report()).passed);
}

}  // namespace
