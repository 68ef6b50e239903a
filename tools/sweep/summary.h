// Where seeds were swept (`--vary seed=...`): per combination of the other
// varied values, each quantity's mean over the seeds and its 95 %
// confidence interval (Student's t, n - 1 degrees of freedom), from the
// per-seed rows. Written as sweep-summary.csv (tidy, long: one row per
// combination and quantity) and drawn in sweep.html as intervals.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sweep/plan.h"

namespace dusim::sweep {

bool seeds_swept(const Plan& p);

// [{keys: {KEY: VALUE} (the varied keys but seed), quantities: [{path,
// column, n, mean, sd, ci95_low, ci95_high}]}], in the plan's order; empty
// unless seeds_swept. `rows` are sweep.json's. A quantity with one value
// has sd and interval null; one with none is left out.
nlohmann::ordered_json seed_summary(const Plan& p, const nlohmann::ordered_json& rows);

std::string summary_csv(const Plan& p, const nlohmann::ordered_json& summary);

// A metric's column in sweep.csv: NAME_UNIT, the unit not repeated when
// the name ends with it (calls_after_events, call_p50_ns).
std::string metric_column(const std::string& name, const std::string& unit);

}  // namespace dusim::sweep
