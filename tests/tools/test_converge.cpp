// Convergence tables (converge/converge.h): which quantities a run reports,
// their mean and spread over seeds, relative error, and the bound (10 %, or
// the spread over seeds where that is wider).
#include <gtest/gtest.h>

#include <cmath>

#include "converge/converge.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;

json row(double p50, json latency, double c2c) {
  return {{"metrics", {{"p50_ns", p50}, {"label", "text"}}},
          {"updates", json::array({{{"name", "fix.v2"}, {"latency_ns", latency}, {"blocked_calls", 3}, {"blocked_max_ns", nullptr}}})},
          {"c2c_per_us", {{"before", c2c}}}};
}

TEST(Converge, QuantitiesAreUpdateFiguresMetricsAndTrafficPerWindow) {
  json rows = json::array({row(1, 2, 3)});
  std::vector<std::string> want{"updates.fix.v2.latency_ns", "updates.fix.v2.blocked_calls", "updates.fix.v2.blocked_max_ns",
                                "metrics.p50_ns", "coherence.before.c2c_per_us"};
  EXPECT_EQ(converge::quantity_names(rows), want);  // text metrics are left out
}

TEST(Converge, CellIsMeanAndSpreadOverTheSeedsThatReportedIt) {
  json rows = json::array({row(10, 100, 1), row(20, nullptr, 2), row(30, 300, 3)});
  converge::Cell c = converge::cell_of(rows, "metrics.p50_ns");
  EXPECT_EQ(c.n, 3u);
  EXPECT_DOUBLE_EQ(c.mean, 20);
  EXPECT_DOUBLE_EQ(c.stddev, 10);
  EXPECT_DOUBLE_EQ(c.min, 10);
  EXPECT_DOUBLE_EQ(c.max, 30);
  converge::Cell l = converge::cell_of(rows, "updates.fix.v2.latency_ns");  // a name with a dot
  EXPECT_EQ(l.n, 2u);
  EXPECT_DOUBLE_EQ(l.mean, 200);
  EXPECT_DOUBLE_EQ(converge::cell_of(rows, "coherence.before.c2c_per_us").mean, 2);
  EXPECT_EQ(converge::cell_of(rows, "updates.fix.v2.blocked_max_ns").n, 0u);
}

TEST(Converge, RelativeErrorAgainstTheReference) {
  EXPECT_DOUBLE_EQ(converge::relative_error(110, 100), 0.1);
  EXPECT_DOUBLE_EQ(converge::relative_error(-90, -100), 0.1);
  EXPECT_EQ(converge::relative_error(0, 0), 0);
  EXPECT_TRUE(std::isinf(converge::relative_error(1, 0)));
}

TEST(Converge, WithinTenPercentOrTheSpreadOverSeeds) {
  converge::Cell ref{1, 100, 0, 100, 100};
  EXPECT_TRUE(converge::within({1, 109, 0, 109, 109}, ref, 0.10));
  EXPECT_FALSE(converge::within({1, 111, 0, 111, 111}, ref, 0.10));
  EXPECT_FALSE(converge::within({1, 89, 0, 89, 89}, ref, 0.10));
  // Seeds spread the reference over 80..140: 130 is inside it.
  converge::Cell spread{3, 110, 30, 80, 140};
  EXPECT_TRUE(converge::within({1, 130, 0, 130, 130}, spread, 0.10));
  EXPECT_FALSE(converge::within({1, 190, 0, 190, 190}, spread, 0.10));
  // Absent at one setting and not the other: not within.
  EXPECT_FALSE(converge::within({}, ref, 0.10));
  EXPECT_TRUE(converge::within({}, {}, 0.10));
}

}  // namespace
