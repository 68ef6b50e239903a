// `dusim converge SCENARIO [--quanta 1,10,100,1000] [--seeds N]`: how far a
// scenario's figures depend on the temporal-decoupling quantum. Every
// quantum (times every seed 1..N) runs as a sweep variant (sweep/plan.h,
// sweep/table.h); each scenario metric and each update's latency, blocked
// calls and longest blocked call, and the cache-to-cache transfers per µs
// in each window, is then set against its value at the
// reference (the smallest quantum, normally 1: lockstep), with the relative
// error and the spread over seeds. Writes converge.csv, converge.json and
// converge.html (the sweep page: every quantity against the quantum).
// Format: tools/README.md, "Convergence".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dusim::converge {

struct ConvergeOptions {
  std::string scenario;
  std::string out_dir;                 // default: out/<scenario name>-converge
  std::string quanta = "1,10,100,1000";
  unsigned seeds = 1;                  // seeds 1..N per quantum (the scenario's own seed when 1)
  std::vector<std::string> overrides;  // fixed --set values for every run
  // Quantities that must be within their bound at every quantum (NAME or
  // NAME=PERCENT, default 10): exit code 123 otherwise.
  std::vector<std::string> checks;
  std::string self;                    // path of the dusim binary
};

// One quantity at one quantum, over the seeds.
struct Cell {
  unsigned n = 0;  // seeds that reported it
  double mean = 0, stddev = 0, min = 0, max = 0;
};

// The quantities of a set of rows (sweep::variant_row, plus "c2c_per_us":
// window -> transfers per µs): "updates.NAME.latency_ns", ".blocked_calls",
// ".blocked_max_ns", "metrics.NAME", "coherence.WINDOW.c2c_per_us". Pure: tested alone.
std::vector<std::string> quantity_names(const nlohmann::ordered_json& rows);
// The quantity's cell over `rows` (null values are left out).
Cell cell_of(const nlohmann::ordered_json& rows, const std::string& quantity);
// Relative error of `v` against `ref` (0 when both are 0, infinite when only ref is).
double relative_error(double v, double ref);
// Whether `c` is within `bound` (a fraction) of `ref`, or within the spread
// over seeds (of either) where that is wider.
bool within(const Cell& c, const Cell& ref, double bound);

// Returns the tool's exit code.
int converge(const ConvergeOptions& o);

}  // namespace dusim::converge
