// The plots of report.html as Vega-Lite specs, each with its data inline
// (so a spec is complete on its own: the page draws it, and Altair can read
// it with alt.Chart.from_dict). Built from report.json and trace.json only.
// Colours of phases come from phase_style.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dusim::report::plots {

using json = nlohmann::ordered_json;

// A call held by a mediator, as trace.json records it.
struct BlockedCall {
  uint64_t update_seq = 0;  // 1 for updates[0], ...
  unsigned cpu = 0;
  uint64_t object = 0, thread = 0;
  double start_us = 0, us = 0;
};
std::vector<BlockedCall> blocked_calls(const json& trace);
std::vector<BlockedCall> blocked_calls_of(const std::vector<BlockedCall>& all, size_t update_index);

// The update's timeline: a lane per CPU for its phases, lanes above for the
// envelopes (brackets) and below for its blocked calls; absolute time in
// µs; delivery and end marked; zoomable.
json timeline(const json& report, size_t update_index, const std::vector<BlockedCall>& calls);

// The distribution of the times calls were held (for an update with many).
json blocked_histogram(const json& update, const std::vector<BlockedCall>& calls);

// Coherence traffic per CPU per µs over time, the updates' windows shaded,
// the start-up before the workloads off the scale.
json traffic(const json& report, const json& trace);

// Traffic rates per µs before, during and after the updates, with values.
json rates(const json& report);

// The common frame of every spec: schema, title, width, fonts.
json frame(const std::string& title, const std::string& subtitle);

}  // namespace dusim::report::plots
