// Planning a sweep: the axes from --vary, every combination of their values
// (the first axis varying slowest), each variant loaded with its overrides,
// its seed, folder, plan hash and the command that runs it. The plan is
// written to OUT/plan.json before anything runs; local runs, Slurm tasks
// and --collect all read it. Format: tools/README.md, "Sweeps".
#pragma once

#include <nlohmann/json.hpp>
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

struct PlannedVariant {
  Variant v;
  std::vector<std::string> sets;  // every --set of its run: the fixed ones, then the varied ones
  uint64_t seed = 0;              // the guest's seed in this variant
  std::string dir;                // its reports (absolute)
  std::string hash;               // inputs_hash of its scenario and sets
  std::vector<std::string> command;  // `dusim run ...` (argv, no shell)
};

struct Plan {
  std::string scenario;  // absolute
  std::string name;      // the scenario's name
  std::string out;       // the sweep's folder (absolute)
  std::string self;      // the dusim binary every variant runs
  std::vector<Axis> axes;
  std::vector<std::string> overrides;  // the fixed --set values
  std::vector<std::string> updates;    // the scenario's update names, in order
  std::vector<std::string> metrics;    // its metric names, in order
  std::vector<std::string> units;      // each metric's unit
  std::vector<std::string> plot;       // the metrics sweep.html plots (--plot; empty: every one)
  std::vector<PlannedVariant> variants;
};

// Throws tools::InputError for a malformed --vary or none at all.
std::vector<Axis> parse_axes(const std::vector<std::string>& vary);

std::vector<Variant> variants_of(const std::vector<Axis>& axes);

// Loads the scenario and every variant's overrides (a typo in a key or a
// value is an input error now, not a column of failed runs) and hashes
// each variant's inputs.
Plan make_plan(const SweepOptions& o);

nlohmann::ordered_json plan_json(const Plan& p);
// OUT/plan.json read back; throws tools::InputError when it is missing or
// not a plan.
Plan read_plan(const std::string& out_dir);
// The same from its text (`path` names it in errors).
Plan read_plan_text(const std::string& text, const std::string& path);

}  // namespace dusim::sweep
