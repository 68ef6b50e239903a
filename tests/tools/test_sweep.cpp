// Sweep plans and tables (sweep/plan.h, table.h): --vary read strictly,
// variant names for keys with and without dots, every update's columns.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "sweep/plan.h"
#include "sweep/table.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;

std::string error_of(const std::vector<std::string>& vary) {
  try {
    sweep::parse_axes(vary);
  } catch (const tools::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepPlan, ATypoInAKeyIsAnInputErrorThatNamesTheKey) {
  EXPECT_NE(error_of({"cpu=1,2"}).find("unknown key 'cpu' (did you mean cpus?)"), std::string::npos) << error_of({"cpu=1,2"});
  EXPECT_NE(error_of({"cpus="}).find("expected KEY=V1,V2"), std::string::npos);
  EXPECT_NE(error_of({"cpus=1,,2"}).find("an empty value"), std::string::npos);
  EXPECT_NE(error_of({"cpus=1", "machine.cpus=2"}).find("varied twice"), std::string::npos);
  EXPECT_EQ(error_of({"seed=1,2", "machine.quantum_cycles=100"}), "");
}

TEST(SweepPlan, VariantsAreNamedForKeysWithAndWithoutDots) {
  auto axes = sweep::parse_axes({"seed=1,2", "quantum=100,1000"});
  auto v = sweep::variants_of(axes);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "seed-1_quantum_cycles-100");
  EXPECT_EQ(v[3].name, "seed-2_quantum_cycles-1000");
}

TEST(SweepTable, EveryUpdateHasItsColumns) {
  auto axes = sweep::parse_axes({"cpus=2"});
  auto v = sweep::variants_of(axes);
  json rep = {{"updates", json::array({{{"name", "fix"}, {"status", "applied"}, {"latency_ns", 10},
                                        {"blocked_calls", {{"count", 2}, {"max_ns", 5}}}},
                                       {{"name", "revert"}, {"status", "aborted"}, {"latency_ns", 20},
                                        {"blocked_calls", {{"count", 0}, {"max_ns", 0}}}}})},
              {"checks", json::array({{{"name", "a, \"quoted\" check"}, {"passed", false}, {"expected", "x > 0"}, {"actual", "0"}}})},
              {"metrics", {{"m", 3}}}};
  json row = sweep::variant_row(axes, v[0], 123, rep, {"fix", "revert"});
  EXPECT_EQ(sweep::csv_header(axes, {"fix", "revert"}, {"m"}),
            "machine.cpus,exit_code,fix.status,fix.latency_ns,fix.blocked_calls,fix.blocked_max_ns,revert.status,revert.latency_ns,"
            "revert.blocked_calls,revert.blocked_max_ns,checks_passed,checks_total,m,wall_seconds\n");
  EXPECT_EQ(sweep::csv_line(row, axes, {"m"}), "2,123,applied,10,2,5,aborted,20,0,0,0,1,3,\n");
  EXPECT_EQ(row["failed_checks"][0]["name"], "a, \"quoted\" check");
  json missing = sweep::variant_row(axes, v[0], 126, nullptr, {"fix"});  // no report at all
  EXPECT_EQ(sweep::csv_line(missing, axes, {"m"}), "2,126,,,,,0,0,,\n");
}

}  // namespace
