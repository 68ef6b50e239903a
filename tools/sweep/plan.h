// Planning a sweep: the axes from --vary, every combination of their values
// (the first axis varying slowest), and the command that runs each.
#pragma once

#include <string>
#include <vector>

#include "sweep/sweep.h"

namespace dusim::sweep {

struct Axis {
  std::string key;  // a --set key (short names expanded)
  std::vector<std::string> values;
};

struct Variant {
  std::string name;                 // its folder and log: KEY-VALUE_KEY-VALUE
  std::vector<std::string> values;  // one per axis
};

// Throws tools::InputError for a malformed --vary or none at all.
std::vector<Axis> parse_axes(const std::vector<std::string>& vary);

std::vector<Variant> variants_of(const std::vector<Axis>& axes);

// `dusim run` for one variant, its reports in `dir` (argv, no shell).
std::vector<std::string> variant_command(const SweepOptions& o, const std::vector<Axis>& axes, const Variant& v,
                                         const std::string& dir);

}  // namespace dusim::sweep
