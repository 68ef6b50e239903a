// Runs over several seeds (scenario/seeds.h, report/seed_stats.h): the seed
// list read strictly, the spread's numbers against values worked out by
// hand, the report of the means, and checks over every seed or the mean.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "report/seed_stats.h"
#include "scenario/seeds.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;

std::string error_of(const std::string& text) {
  try {
    scenario::parse_seed_list(text);
  } catch (const tools::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SeedList, RangesAndListsInTheOrderGivenEachOnce) {
  EXPECT_EQ(scenario::parse_seed_list("1-10"), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(scenario::parse_seed_list("1,3,5"), (std::vector<uint64_t>{1, 3, 5}));
  EXPECT_EQ(scenario::parse_seed_list("7,2-3,2"), (std::vector<uint64_t>{7, 2, 3}));
  EXPECT_EQ(scenario::parse_seed_list("4-4"), (std::vector<uint64_t>{4}));
}

TEST(SeedList, AMalformedListIsAnInputErrorNamingThePart) {
  EXPECT_NE(error_of("1-x").find("'x' is not a seed"), std::string::npos) << error_of("1-x");
  EXPECT_NE(error_of("1,,2").find("'' is not a seed"), std::string::npos) << error_of("1,,2");
  EXPECT_NE(error_of("").find("is not a seed"), std::string::npos);
  EXPECT_NE(error_of("-3").find("is not a seed"), std::string::npos);
  EXPECT_NE(error_of("5-2").find("the range 5-2 is empty"), std::string::npos) << error_of("5-2");
  EXPECT_NE(error_of("1-20000").find("more than 10000"), std::string::npos);
}

TEST(Spread, StudentTQuantiles) {
  EXPECT_NEAR(report::student_t95(1), 12.706, 1e-3);
  EXPECT_NEAR(report::student_t95(9), 2.262, 1e-3);
  EXPECT_NEAR(report::student_t95(50), 2.009, 2e-3);  // tables: 2.0086
  EXPECT_NEAR(report::student_t95(100000), 1.960, 1e-3);
}

TEST(Spread, MeanSdMinMaxAndTheConfidenceIntervalByHand) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sd sqrt(32/7) = 2.13809;
  // t(7) = 2.3646, half-width 2.3646 * 2.13809 / sqrt(8) = 1.78749.
  report::Spread s = report::spread_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(s.n, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.sd, 2.13809, 1e-5);
  EXPECT_EQ(s.min, 2);
  EXPECT_EQ(s.max, 9);
  EXPECT_NEAR(s.ci_low, 5 - 1.78749, 1e-4);
  EXPECT_NEAR(s.ci_high, 5 + 1.78749, 1e-4);
  report::Spread one = report::spread_of({3});
  EXPECT_EQ(one.sd, 0);
  EXPECT_EQ(one.ci_low, 3);
  EXPECT_EQ(one.ci_high, 3);
}

TEST(MeanReport, NumbersAveragedWhereEveryReportHasThem) {
  json a = {{"x", 1}, {"s", "one"}, {"l", {1, 2}}, {"o", {{"y", 10}, {"only_a", 5}}}, {"ragged", {1}}};
  json b = {{"x", 3}, {"s", "two"}, {"l", {3, 4}}, {"o", {{"y", 20}}}, {"ragged", {1, 2}}};
  json m = report::mean_report({&a, &b});
  EXPECT_EQ(m["x"], 2.0);
  EXPECT_EQ(m["s"], "one");
  EXPECT_EQ(m["l"], json({2.0, 3.0}));
  EXPECT_EQ(m["o"]["y"], 15.0);
  EXPECT_EQ(m["o"]["only_a"], 5);  // not in every report: the first's
  EXPECT_EQ(m["ragged"], json({1}));
}

// Three seeds' reports of a scenario with one metric and two checks stated
// over it, one over every seed and one over the mean.
json seed_report(uint64_t seed, double races) {
  return {{"seed", seed},
          {"machine", {{"cpus", 4}, {"protocol", "MESI"}, {"quantum_cycles", 1000}}},
          {"run", {{"outcome", "powered_off"}}},
          {"updates", json::array()},
          {"metrics", {{"races", races}, {"never", nullptr}}},
          {"metric_definitions", {{"races", {{"unit", "events"}}}}},
          {"checks", json::array({{{"name", "c"}, {"passed", races > 3}}})},
          {"host", {{"wall_seconds", 1.5}}}};
}

TEST(SeedsReport, ChecksOverEverySeedAndOverTheMean) {
  scenario::Scenario s;
  s.name = "t";
  for (const char* name : {"races", "never"}) {
    scenario::Metric m;
    m.name = name;
    s.metrics.push_back(m);
  }
  scenario::Check every{"more than 3 races", "metrics.races > 3", ""};
  scenario::Check mean{"more than 3 races on average", "metrics.races > 3", ""};
  mean.over = scenario::Over::Mean;
  s.checks = {every, mean};
  std::vector<report::SeedRun> runs{{1, "seed-1", 0, seed_report(1, 2)}, {2, "seed-2", 0, seed_report(2, 4)},
                                    {3, "seed-3", 123, seed_report(3, 9)}};
  json a = report::build_seeds_report(s, runs);
  EXPECT_EQ(a["seeds"], json({1, 2, 3}));
  const json& r = a["metrics"]["races"];
  EXPECT_EQ(r["n"], 3);
  EXPECT_DOUBLE_EQ(r["mean"].get<double>(), 5);
  EXPECT_NEAR(r["sd"].get<double>(), 3.60555, 1e-5);  // sqrt(26/2)
  EXPECT_EQ(r["min"], 2.0);
  EXPECT_EQ(r["max"], 9.0);
  EXPECT_NEAR(r["ci95"][1].get<double>(), 5 + 4.3027 * 3.60555 / std::sqrt(3.0), 1e-3);
  EXPECT_EQ(r["values"], json({2.0, 4.0, 9.0}));
  EXPECT_EQ(a["metrics"]["never"]["n"], 0);
  EXPECT_DOUBLE_EQ(a["host"]["wall_seconds"].get<double>(), 4.5);
  ASSERT_EQ(a["checks"].size(), 3u);  // no fault, then the scenario's two
  EXPECT_TRUE(a["checks"][0]["passed"].get<bool>());
  const json &e = a["checks"][1], &m = a["checks"][2];
  EXPECT_EQ(e["over"], "every_seed");
  EXPECT_FALSE(e["passed"].get<bool>());
  EXPECT_EQ(e["failed_seeds"], json({1}));
  EXPECT_EQ(m["over"], "mean");
  EXPECT_TRUE(m["passed"].get<bool>()) << m.dump();
  EXPECT_EQ(m["actual"], "5");
  EXPECT_EQ(a["runs"][2]["failed_checks"], json::array());
  EXPECT_EQ(a["runs"][0]["failed_checks"], json({"c"}));
  // A seed without a report fails every check stated over every seed, and
  // is left out of the means.
  runs[0].report = nullptr;
  json b = report::build_seeds_report(s, runs);
  EXPECT_FALSE(b["checks"][0]["passed"].get<bool>());
  EXPECT_EQ(b["metrics"]["races"]["n"], 2);
  EXPECT_DOUBLE_EQ(b["metrics"]["races"]["mean"].get<double>(), 6.5);
  EXPECT_EQ(b["checks"][2]["actual"], "6.5");
  std::string text = report::build_seeds_summary(a, false);
  EXPECT_NE(text.find("t over 3 seeds (1, 2, 3)"), std::string::npos) << text;
  EXPECT_NE(text.find("[FAIL] more than 3 races (in every seed)"), std::string::npos) << text;
  EXPECT_NE(text.find("[PASS] more than 3 races on average (over the mean)"), std::string::npos) << text;
}

}  // namespace
