// The sections of report.json, each built in its own file
// (updates.cc, coherence.cc, metrics.cc); report_builder.cc puts them
// together.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "report/run_data.h"

namespace dusim::report {

struct Ctx {
  const RunData& run;
  const MachineConfig& m;
  uint64_t ns(uint64_t cycles) const { return m.cycles_to_ns(cycles); }
};

// When the updates happened, which bounds the windows: before/during/after
// all of them (before the first is requested, until the last completes or
// the run ends, after that; without updates the whole run is "before"), and
// each update's own (before:NAME, after:NAME, between:A:B).
struct UpdateBounds {
  bool have_updates = false;
  uint64_t first_requested_ns = 0, last_done_ns = 0;
  struct One {
    uint64_t requested_ns = 0;
    std::optional<uint64_t> done_ns;  // applied, aborted or rejected
  };
  std::vector<One> each;  // by the scenario's update index
};

// A metric window as inclusive bounds in ns (hi == kEver: to the end); none
// when the window is empty (e.g. after an update that never ended).
constexpr uint64_t kEver = ~uint64_t(0);
std::optional<std::pair<uint64_t, uint64_t>> window_span(const scenario::MetricWindow& w, const UpdateBounds& b);

// updates[]: one entry per update, in delivery order; sets `bounds`.
nlohmann::ordered_json updates_section(const Ctx& c, UpdateBounds& bounds);

// coherence: traffic before, during and after the updates.
nlohmann::ordered_json coherence_section(const Ctx& c, const UpdateBounds& bounds);
// vm.cc: the guest's page faults, HPTE changes and shootdowns per window
// (null when the guest ran without mmu=on).
nlohmann::ordered_json vm_section(const Ctx& c, const UpdateBounds& bounds);

// programs.cc: each program's exit, output, calls and faults per window,
// calls held by mediators (null when the scenario runs no program).
nlohmann::ordered_json programs_section(const Ctx& c, const UpdateBounds& bounds);

// One of the scenario's metrics (null when no event matched).
nlohmann::ordered_json metric_value(const Ctx& c, const scenario::Metric& m, const UpdateBounds& bounds);

// What a metric is: op, event, argument, window, unit, its meaning in words
// and the window's bounds (metric_definitions in report.json).
nlohmann::ordered_json metric_definition(const Ctx& c, const scenario::Metric& m, const UpdateBounds& bounds);

// The smallest value with at least fraction p of the values at or below it.
uint64_t percentile(std::vector<uint64_t> v, double p);

}  // namespace dusim::report
