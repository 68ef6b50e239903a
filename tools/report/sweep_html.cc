#include "report/sweep_html.h"

#include <fmt/format.h>

#include <algorithm>

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

struct Plot {
  std::string latency, blocked, labels;  // polyline points, and the x labels
  double vmax = 1;
};

Plot plot_points(const std::vector<std::string>& keys, const json& rows) {
  Plot p;
  for (const json& r : rows)
    for (const char* k : {"update_latency_ns", "blocked_max_ns"})
      if (r[k].is_number()) p.vmax = std::max(p.vmax, r[k].get<double>());
  for (size_t i = 0; i < rows.size(); ++i) {
    double x = 60 + 900.0 * (rows.size() > 1 ? double(i) / double(rows.size() - 1) : 0.5);
    auto y = [&](const json& v) { return 330 - (v.is_number() ? v.get<double>() : 0) / p.vmax * 300; };
    p.latency += fmt::format("{:.1f},{:.1f} ", x, y(rows[i]["update_latency_ns"]));
    p.blocked += fmt::format("{:.1f},{:.1f} ", x, y(rows[i]["blocked_max_ns"]));
    std::string label;
    for (size_t k = 0; k < keys.size(); ++k) label += (k ? " " : "") + rows[i][keys[k]].get<std::string>();
    p.labels += fmt::format("<text x='{:.1f}' y='350' text-anchor='middle' font-size='11'>{}</text>", x, label);
  }
  return p;
}

}  // namespace

std::string build_sweep_html(const std::string& scenario, const std::vector<std::string>& keys, const json& rows,
                             const std::string& csv) {
  Plot p = plot_points(keys, rows);
  return "<!DOCTYPE html><html><head><meta charset='utf-8'><title>dusim sweep</title></head><body style='font:14px sans-serif'>"
         "<h1>" + scenario + ": sweep over " + keys[0] + "</h1>"
         "<svg id='plot-sweep' data-drawn='" + std::to_string(rows.size()) +
         "' width='1000' height='380' style='border:1px solid #ddd'>"
         "<polyline fill='none' stroke='#4e79a7' stroke-width='2' points='" + p.latency + "'/>"
         "<polyline fill='none' stroke='#e15759' stroke-width='2' points='" + p.blocked + "'/>" + p.labels +
         fmt::format("<text x='60' y='20' font-size='12'>max {:.0f} ns</text>", p.vmax) +
         "<text x='700' y='20' font-size='12' fill='#4e79a7'>update latency (ns)</text>"
         "<text x='700' y='36' font-size='12' fill='#e15759'>longest blocked call (ns)</text></svg>"
         "<pre>" + csv + "</pre></body></html>\n";
}

}  // namespace dusim::report
