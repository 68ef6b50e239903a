// A scenario run once per seed (`dusim run --seeds 1-10`): the spread of
// every figure over the seeds, and the aggregate report.json built from the
// seeds' own reports (format: tools/README.md, "Several seeds").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::report {

// Mean, sample standard deviation (n-1), min, max and the 95 % confidence
// interval of the mean (Student t with n-1 degrees of freedom; with one
// value the interval is the value itself).
struct Spread {
  size_t n = 0;
  double mean = 0, sd = 0, min = 0, max = 0, ci_low = 0, ci_high = 0;
};
Spread spread_of(const std::vector<double>& values);

// t such that P(-t < T < t) = 0.95 for Student's T with `df` degrees of
// freedom (df >= 1).
double student_t95(unsigned df);

// One seed's run: its seed, its folder (relative to the aggregate's), its
// exit code and its report.json (null when it wrote none).
struct SeedRun {
  uint64_t seed;
  std::string folder;
  int exit_code;
  nlohmann::ordered_json report;
};

// The report with every number replaced by its mean over `reports` (a
// number only where every report has one at that place); what the checks
// stated `over: mean` are evaluated against.
nlohmann::ordered_json mean_report(const std::vector<const nlohmann::ordered_json*>& reports);

// The aggregate report.json: the seeds and their runs, each metric's and
// each update figure's spread, the checks (each over every seed or over the
// means, as the scenario states it), host time summed.
nlohmann::ordered_json build_seeds_report(const scenario::Scenario& s, const std::vector<SeedRun>& runs);

// The aggregate's terminal summary and its page (seeds_pages.cc).
std::string build_seeds_summary(const nlohmann::ordered_json& aggregate, bool colour);
std::string build_seeds_html(const nlohmann::ordered_json& aggregate);

}  // namespace dusim::report
