#include "report/plots/plots.h"

namespace dusim::report::plots {

json frame(const std::string& title, const std::string& subtitle) {
  json t = {{"text", title}, {"anchor", "start"}, {"fontSize", 14}};
  if (!subtitle.empty()) t["subtitle"] = subtitle, t["subtitleColor"] = "#555";
  return {{"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
          {"title", t},
          {"width", 980},
          {"config", {{"font", "system-ui, sans-serif"},
                      {"axis", {{"labelFontSize", 11}, {"titleFontSize", 12}, {"labelLimit", 260}}},
                      {"legend", {{"labelFontSize", 11}, {"titleFontSize", 12}}},
                      {"view", {{"stroke", "#ddd"}}}}}};
}

std::vector<BlockedCall> blocked_calls(const json& trace) {
  std::vector<BlockedCall> out;
  for (const json& e : trace["traceEvents"]) {
    if (e.value("cat", "") != "blocked") continue;
    const json& a = e["args"];
    out.push_back({a.value("update", uint64_t(0)), e["tid"].get<unsigned>(), a.value("object", uint64_t(0)),
                   a.value("thread", uint64_t(0)), e["ts"].get<double>(), e["dur"].get<double>()});
  }
  return out;
}

std::vector<BlockedCall> blocked_calls_of(const std::vector<BlockedCall>& all, size_t update_index) {
  std::vector<BlockedCall> out;
  for (const BlockedCall& c : all)
    if (c.update_seq == update_index + 1) out.push_back(c);
  return out;
}

}  // namespace dusim::report::plots
