// sweep.html: one self-contained page (as report.html: the plotting library
// inlined, no network) with the variants' table and a plot per quantity
// (each update's latency and longest blocked call, each scenario metric)
// against the first varied key, one series per value of the others; failed
// variants are marked; where seeds were swept, means and 95 % intervals.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dusim::report {

// `rows` are sweep.json's rows; `keys` the varied keys (the first is the x
// axis); `updates` and `metrics` the scenario's names, in its order; `plot`
// the metrics the user picked (empty: every update's quantities and every
// metric). With `seed_summary` (sweep/summary.h; seeds swept with other
// keys) each plot shows the means over the seeds against the first key
// other than seed, with their 95 % confidence intervals.
std::string build_sweep_html(const std::string& scenario, const std::vector<std::string>& keys, const nlohmann::ordered_json& rows,
                             const std::vector<std::string>& updates, const std::vector<std::string>& metrics,
                             const std::vector<std::string>& plot = {},
                             const nlohmann::ordered_json& seed_summary = nlohmann::ordered_json::array());

}  // namespace dusim::report
