// Coherence traffic over time: per CPU, per µs (each periodic sample's count
// divided by its interval, so the axis does not depend on sample_us), for
// the counter chosen above the plot. Each update's window (delivery to end)
// is shaded. The start-up before the first workload begins (boot, kernel
// set-up: cold caches) is shaded too and kept off the y scale, which is set
// by the rest of the run; its lines run off the top.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "report/plots/plots.h"
#include "report/units.h"

namespace dusim::report::plots {

namespace {

const char* const kCounters[] = {"misses", "invalidations", "c2c"};
const char* const kCounterWords[] = {"L1 misses", "invalidations received", "cache-to-cache transfers"};

// When the workloads start (the first WORKLOAD_BEGIN), else the end of boot.
double startup_end_us(const json& trace) {
  double first_workload = -1, boot = 0;
  for (const json& e : trace["traceEvents"]) {
    if (e.value("ph", "") != "i") continue;
    const std::string n = e.value("name", "");
    if (n == "WORKLOAD_BEGIN" && (first_workload < 0 || e["ts"].get<double>() < first_workload)) first_workload = e["ts"].get<double>();
    if (n == "BOOT_DONE") boot = e["ts"].get<double>();
  }
  return first_workload >= 0 ? first_workload : boot;
}

// The samples as rows (per CPU, or summed over the machine), with each counter's
// peak and its largest rate after the start-up (which sets the y scale).
struct TrafficRows {
  json rows = json::array();
  double cap[3] = {0, 0, 0}, peak[3] = {0, 0, 0};
};

TrafficRows traffic_rows(const json& trace, bool summed, double startup) {
  std::map<std::string, double> last_ts;  // per counter track
  struct Sum {
    std::array<double, 3> v{};
    double prev = 0;
  };
  std::map<double, Sum> sums;  // summed: per sample time
  TrafficRows r;
  auto add = [&](double t, const std::string& cpu, const std::array<double, 3>& v, double prev) {
    for (int k = 0; k < 3; ++k) {
      r.rows.push_back({{"time_us", t}, {"cpu", cpu}, {"counter", kCounters[k]}, {"per_us", std::round(v[k] * 1e4) / 1e4}});
      r.peak[k] = std::max(r.peak[k], v[k]);
      // A sample covers (prev, t]: only those wholly after the start-up set the scale.
      if (prev >= startup) r.cap[k] = std::max(r.cap[k], v[k]);
    }
  };
  for (const json& e : trace["traceEvents"]) {
    if (e.value("ph", "") != "C") continue;
    const std::string track = e["name"].get<std::string>();
    const double t = e["ts"].get<double>(), prev = last_ts.count(track) ? last_ts[track] : 0.0;
    last_ts[track] = t;
    if (t <= prev) continue;
    std::array<double, 3> v;
    for (int k = 0; k < 3; ++k) v[k] = e["args"][kCounters[k]].get<double>() / (t - prev);
    if (!summed) {
      add(t, track.substr(std::string("traffic ").size()), v, prev);
      continue;
    }
    Sum& s = sums[t];
    for (int k = 0; k < 3; ++k) s.v[k] += v[k];
    s.prev = prev;
  }
  for (const auto& [t, sum] : sums) add(t, "all CPUs", sum.v, sum.prev);
  return r;
}

// The shaded windows: the start-up (off the scale) and each update from delivery to end.
json traffic_windows(const json& report, double startup, const std::string& peak_text) {
  json shade = json::array();
  const double end_us = report["run"]["end_ns"].get<double>() / 1e3;
  if (startup > 0) shade.push_back({{"from_us", 0.0}, {"to_us", startup}, {"what", "start-up"}, {"colour", "#bbbbbb"},
                                    {"note", "off the scale; peaks per µs: " + peak_text}});
  for (const json& u : report["updates"]) {
    double from = u["requested_ns"].get<double>() / 1e3;
    double to = u["completed_ns"].is_null() ? end_us : u["completed_ns"].get<double>() / 1e3;
    shade.push_back({{"from_us", from}, {"to_us", to}, {"what", "update " + u["name"].get<std::string>()}, {"colour", "#f28e2b"},
                     {"note", "from the module's delivery to the update's end"}});
  }
  return shade;
}

json traffic_layers(const json& shade, const json& x, const std::string& domain_max) {
  return json::array({
      {{"name", "windows"},
       {"data", {{"values", shade}}},
       {"mark", {{"type", "rect"}, {"opacity", 0.18}}},
       {"encoding", {{"x", {{"field", "from_us"}, {"type", "quantitative"}}}, {"x2", {{"field", "to_us"}}},
                     {"color", {{"field", "colour"}, {"type", "nominal"}, {"scale", nullptr}, {"legend", nullptr}}},
                     {"tooltip", json::array({{{"field", "what"}}, {{"field", "note"}}, {{"field", "from_us"}, {"title", "from (µs)"}, {"format", ",.1f"}},
                                              {{"field", "to_us"}, {"title", "to (µs)"}, {"format", ",.1f"}}})}}}},
      {{"name", "window_labels"},
       {"data", {{"values", shade}}},
       {"mark", {{"type", "text"}, {"align", "left"}, {"baseline", "top"}, {"dx", 3}, {"dy", 3}, {"fontSize", 10}, {"color", "#444"}}},
       {"encoding", {{"x", {{"field", "from_us"}, {"type", "quantitative"}}}, {"y", {{"value", 0}}}, {"text", {{"field", "what"}}}}}},
      {{"name", "lines"},
       {"transform", json::array({{{"filter", "datum.counter == counter"}}})},
       {"mark", {{"type", "line"}, {"strokeWidth", 1.3}, {"clip", true}, {"interpolate", "step-before"}, {"opacity", 0.85}}},
       {"encoding", {{"x", x},
                     {"y", {{"field", "per_us"}, {"type", "quantitative"}, {"title", "events per µs"},
                            {"scale", {{"domainMin", 0}, {"domainMax", {{"expr", domain_max}}}, {"nice", false}}}}},
                     {"color", {{"field", "cpu"}, {"type", "nominal"}, {"title", "CPU"}, {"legend", {{"orient", "right"}}}}},
                     {"tooltip", json::array({{{"field", "cpu"}, {"title", "CPU"}}, {{"field", "counter"}},
                                              {{"field", "time_us"}, {"title", "sample at (µs)"}, {"format", ",.1f"}},
                                              {{"field", "per_us"}, {"title", "per µs"}, {"format", ",.3f"}}})}}}},
  });
}

}  // namespace

json traffic(const json& report, const json& trace) {
  const unsigned cpus = report["machine"]["cpus"].get<unsigned>();
  // More than 16 lines do not read: then the CPUs are summed.
  const bool summed = cpus > 16;
  const double startup = startup_end_us(trace);
  const TrafficRows r = traffic_rows(trace, summed, startup);

  // The y scale's top for the chosen counter: the largest rate after start-up.
  std::string domain_max = "", peak_text = "";
  for (int k = 0; k < 3; ++k) {
    double top = r.cap[k] > 0 ? r.cap[k] * 1.08 : std::max(1.0, r.peak[k]);
    domain_max += std::string("counter == '") + kCounters[k] + "' ? " + std::to_string(top) + " : ";
    peak_text += std::string(k ? "; " : "") + kCounterWords[k] + " " + rate(r.peak[k]);
  }
  domain_max += "1";

  json spec = frame(std::string("coherence traffic over time, per ") + (summed ? "machine (all CPUs summed)" : "CPU"),
                    "events per µs in each sample interval; shaded: each update from delivery to end, and the start-up "
                    "before the workloads (off the scale)");
  spec["height"] = 260;
  spec["data"] = {{"values", r.rows}};
  spec["params"] = json::array({{{"name", "counter"},
                                 {"value", "misses"},
                                 {"bind", {{"input", "radio"}, {"options", {"misses", "invalidations", "c2c"}},
                                           {"labels", {"L1 misses", "invalidations", "cache-to-cache transfers"}},
                                           {"name", "counter: "}}}}});
  const double end_us = report["run"]["end_ns"].get<double>() / 1e3;
  const json x = {{"field", "time_us"}, {"type", "quantitative"}, {"title", "time since boot (µs)"},
                  {"scale", {{"domain", {0.0, end_us}}, {"nice", false}}}, {"axis", {{"format", ",.0f"}, {"tickCount", 12}}}};
  spec["layer"] = traffic_layers(traffic_windows(report, startup, peak_text), x, domain_max);
  spec["resolve"] = {{"scale", {{"color", "independent"}}}};
  return spec;
}

}  // namespace dusim::report::plots
