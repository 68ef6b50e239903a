// Traffic rates before, during and after the updates: each window's totals
// divided by its length (the windows differ: 3.5 ms, 0.48 ms, 2 ms), as
// grouped bars with their values written on them.
#include "report/plots/plots.h"
#include "report/units.h"

namespace dusim::report::plots {

json rates(const json& report) {
  static const char* const keys[] = {"misses", "invalidations", "c2c_transfers", "bus_transactions"};
  static const char* const words[] = {"L1 misses", "invalidations", "cache-to-cache transfers", "bus transactions"};
  json rows = json::array(), windows = json::array();
  for (const char* w : {"before", "during", "after"}) {
    const json& win = report["coherence"][w];
    uint64_t from = win["start_ns"].get<uint64_t>(), to = win["end_ns"].get<uint64_t>();
    if (to <= from) continue;  // an empty window (e.g. no updates: no during)
    std::string label = std::string(w) + " (" + fixed(double(from) / 1e3, 0) + "–" + fixed(double(to) / 1e3, 0) + " µs)";
    windows.push_back(label);
    for (int k = 0; k < 4; ++k)
      rows.push_back({{"window", label}, {"counter", words[k]}, {"per_us", win["per_us"][keys[k]]},
                      {"total", win["total"][keys[k]]}, {"window_us", double(to - from) / 1e3}});
  }
  json spec = frame("coherence traffic per µs, before, during and after the updates",
                    "each window's total (all CPUs) divided by its length; values on the bars");
  spec["height"] = 240;
  spec["data"] = {{"values", rows}};
  const json x = {{"field", "counter"}, {"type", "nominal"}, {"title", nullptr}, {"sort", {words[0], words[1], words[2], words[3]}},
                  {"axis", {{"labelAngle", 0}, {"labelFontSize", 12}}}};
  const json colour = {{"field", "window"}, {"type", "nominal"}, {"title", "window"}, {"sort", windows},
                       {"scale", {{"range", {"#4e79a7", "#f28e2b", "#59a14f"}}}}, {"legend", {{"orient", "top"}, {"labelLimit", 400}}}};
  const json offset = {{"field", "window"}, {"type", "nominal"}, {"sort", windows}};
  const json y = {{"field", "per_us"}, {"type", "quantitative"}, {"title", "events per µs (all CPUs)"}};
  spec["layer"] = json::array({
      {{"name", "bars"},
       {"mark", {{"type", "bar"}}},
       {"encoding", {{"x", x}, {"xOffset", offset}, {"y", y}, {"color", colour},
                     {"tooltip", json::array({{{"field", "window"}}, {{"field", "counter"}},
                                              {{"field", "per_us"}, {"title", "per µs"}, {"format", ",.3f"}},
                                              {{"field", "total"}, {"title", "total"}, {"format", ","}},
                                              {{"field", "window_us"}, {"title", "window (µs)"}, {"format", ",.1f"}}})}}}},
      {{"name", "values"},
       {"mark", {{"type", "text"}, {"baseline", "bottom"}, {"dy", -2}, {"fontSize", 10}}},
       {"encoding", {{"x", x}, {"xOffset", offset}, {"y", y}, {"text", {{"field", "per_us"}, {"type", "quantitative"}, {"format", ",.2f"}}}}}},
  });
  return spec;
}

}  // namespace dusim::report::plots
