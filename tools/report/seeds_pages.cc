// The aggregate of a run over several seeds, for people: the terminal
// summary (a row per figure: mean, sd, min, max, 95 % CI; then the checks,
// each saying what it was stated over) and report.html (the same table, the
// seeds' runs with links to their own pages, and a plot per metric of its
// value in each seed against the mean and its interval).
#include <fmt/format.h>

#include <cmath>

#include "report/html_page.h"
#include "report/plots/plots.h"
#include "report/seed_stats.h"
#include "report/units.h"

namespace dusim::report {

using json = nlohmann::ordered_json;
using html::escape;

namespace {

// A figure of the aggregate: its label, unit and spread (seed_stats.cc's JSON).
struct Figure {
  std::string label, unit;
  const json* spread;
};

std::vector<Figure> figures(const json& a) {
  std::vector<Figure> f;
  for (const json& u : a["updates"]) {
    const std::string n = "update " + u["name"].get<std::string>();
    f.push_back({n + ": latency", "ns", &u["latency_ns"]});
    f.push_back({n + ": blocked calls", "calls", &u["blocked_calls"]});
    f.push_back({n + ": longest blocked call", "ns", &u["blocked_max_ns"]});
  }
  for (auto it = a["metrics"].begin(); it != a["metrics"].end(); ++it) {
    std::string unit;
    if (a["metric_definitions"].contains(it.key())) unit = a["metric_definitions"][it.key()].value("unit", "");
    f.push_back({it.key(), unit, &it.value()});
  }
  return f;
}

// Whole numbers as they are (1,234), others with three significant digits at least.
std::string num(const json& v) {
  if (!v.is_number()) return "–";
  double x = v.get<double>();
  return x == std::floor(x) && std::fabs(x) < 1e15 ? fixed(x, 0) : rate(x);
}

std::string seed_list(const json& seeds) {
  std::string s;
  for (const json& x : seeds) s += (s.empty() ? "" : ", ") + std::to_string(x.get<uint64_t>());
  return s;
}

std::string over_text(const json& c) { return c["over"] == "mean" ? "over the mean" : "in every seed"; }

std::string actual_text(const json& c) {
  if (!c["actual"].is_array()) return c["actual"].get<std::string>();
  std::string s;
  for (const json& x : c["actual"]) s += (s.empty() ? "" : ", ") + x.get<std::string>();
  return s;
}

}  // namespace

std::string build_seeds_summary(const json& a, bool colour) {
  auto mark = [colour](bool ok) -> std::string {
    if (!colour) return ok ? "[PASS]" : "[FAIL]";
    return ok ? "\033[32m[PASS]\033[0m" : "\033[1;31m[FAIL]\033[0m";
  };
  std::string s;
  const json& m = a["machine"];
  s += fmt::format("{} over {} seeds ({})", a["scenario"].get<std::string>(), a["seeds"].size(), seed_list(a["seeds"]));
  if (m.is_object())
    s += fmt::format(": {} CPUs, {}, quantum {} cycles", m["cpus"].get<unsigned>(), m["protocol"].get<std::string>(),
                     m["quantum_cycles"].get<uint64_t>());
  s += fmt::format("; {} s host time in all\n", fixed(a["host"]["wall_seconds"].get<double>(), 1));
  for (const json& r : a["runs"])
    if (r["exit_code"].get<int>() != 0)
      s += fmt::format("  seed {}: exit code {}, {} (see {})\n", r["seed"].get<uint64_t>(), r["exit_code"].get<int>(),
                       r["outcome"].get<std::string>(), r["folder"].get<std::string>());
  s += fmt::format("\n{:<44} {:>10} {:>10} {:>10} {:>10}  {:<23} {}\n", "figure", "mean", "sd", "min", "max", "95 % CI of the mean",
                   "unit");
  for (const Figure& f : figures(a)) {
    const json& x = *f.spread;
    if (x["n"].get<size_t>() == 0) {
      s += fmt::format("{:<44} {:>10}\n", f.label, "(in no seed)");
      continue;
    }
    s += fmt::format("{:<44} {:>10} {:>10} {:>10} {:>10}  {:<23} {}\n", f.label, num(x["mean"]), num(x["sd"]), num(x["min"]),
                     num(x["max"]), num(x["ci95"][0]) + " .. " + num(x["ci95"][1]), f.unit);
  }
  s += "\nchecks\n";
  for (const json& c : a["checks"]) {
    const bool ok = c["passed"].get<bool>();
    s += fmt::format("  {} {} ({})\n", mark(ok), c["name"].get<std::string>(), over_text(c));
    if (!ok) s += fmt::format("         expected {}; {}; got {}\n", c["expected"].get<std::string>(), c["detail"].get<std::string>(), actual_text(c));
  }
  return s;
}

namespace {

json figure_spec(const Figure& f, const json& seeds, const std::string& id) {
  const json& x = *f.spread;
  json data = json::array();
  for (size_t k = 0; k < seeds.size(); ++k) data.push_back({{"seed", seeds[k]}, {"value", x["values"][k]}});
  json spec = plots::frame(f.label, "each seed's value (points), the mean (line) and its 95 % confidence interval (band)");
  spec["width"] = 420;
  spec["height"] = 200;
  spec["data"] = {{"values", data}};
  const std::string ytitle = f.label + (f.unit.empty() ? "" : " (" + f.unit + ")");
  const json y = {{"field", "value"}, {"type", "quantitative"}, {"title", ytitle}, {"axis", {{"format", ",~r"}}}};
  const json xs = {{"field", "seed"}, {"type", "ordinal"}, {"title", "seed"}, {"axis", {{"labelAngle", 0}}}};
  json layers = json::array();
  layers.push_back({{"name", "seeds"},
                    {"transform", json::array({{{"filter", "isValid(datum.value)"}}})},
                    {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
                    {"encoding", {{"x", xs}, {"y", y}, {"tooltip", json::array({{{"field", "seed"}}, {{"field", "value"}, {"format", ",.3~f"}}})}}}});
  if (x["n"].get<size_t>() > 0) {
    layers.push_back({{"name", "ci"},
                      {"data", {{"values", json::array({{{"lo", x["ci95"][0]}, {"hi", x["ci95"][1]}}})}}},
                      {"mark", {{"type", "rect"}, {"opacity", 0.15}, {"color", "#1f77b4"}}},
                      {"encoding", {{"y", {{"field", "lo"}, {"type", "quantitative"}}}, {"y2", {{"field", "hi"}}}}}});
    layers.push_back({{"name", "mean"},
                      {"data", {{"values", json::array({{{"mean", x["mean"]}}})}}},
                      {"mark", {{"type", "rule"}, {"color", "#1f77b4"}}},
                      {"encoding", {{"y", {{"field", "mean"}, {"type", "quantitative"}}}}}});
  }
  spec["layer"] = layers;
  return spec;
}

}  // namespace

std::string build_seeds_html(const json& a) {
  const std::string name = a["scenario"].get<std::string>();
  std::string body = "<h1>" + escape(name) + " over " + std::to_string(a["seeds"].size()) + " seeds</h1>\n<p class=\"meta\">" +
                     escape(a["description"].get<std::string>()) + "; seeds " + escape(seed_list(a["seeds"])) +
                     "; each seed's own reports are in its folder</p>\n";
  html::Table stats({"figure", "mean", "sd", "min", "max", "95 % CI of the mean", "unit", "seeds"},
                    {false, true, true, true, true, true, false, true});
  for (const Figure& f : figures(a)) {
    const json& x = *f.spread;
    bool any = x["n"].get<size_t>() > 0;
    stats.row({escape(f.label), any ? num(x["mean"]) : "–", any ? num(x["sd"]) : "–", any ? num(x["min"]) : "–",
               any ? num(x["max"]) : "–", any ? num(x["ci95"][0]) + " .. " + num(x["ci95"][1]) : "–", escape(f.unit),
               std::to_string(x["n"].get<size_t>())});
  }
  body += "<h2>Spread over the seeds</h2>\n" + stats.html("spread-table");
  html::Table checks({"check", "stated", "result", "expected", "detail"}, {false, false, false, false, false});
  for (const json& c : a["checks"]) {
    bool ok = c["passed"].get<bool>();
    checks.row({escape(c["name"].get<std::string>()), over_text(c), ok ? "pass" : "FAIL", escape(c["expected"].get<std::string>()),
                escape(c["detail"].get<std::string>())},
               ok ? "" : "bad");
  }
  body += "<h2>Checks</h2>\n" + checks.html("checks-table");
  html::Table runs({"seed", "exit code", "outcome", "failed checks", "report"}, {true, true, false, false, false});
  for (const json& r : a["runs"]) {
    std::string failed;
    if (r.contains("failed_checks"))
      for (const json& c : r["failed_checks"]) failed += (failed.empty() ? "" : "; ") + c.get<std::string>();
    const std::string folder = r["folder"].get<std::string>();
    runs.row({std::to_string(r["seed"].get<uint64_t>()), std::to_string(r["exit_code"].get<int>()), escape(r["outcome"].get<std::string>()),
              escape(failed), "<a href=\"" + escape(folder) + "/report.html\">" + escape(folder) + "</a>"},
             r["exit_code"].get<int>() == 0 ? "" : "bad");
  }
  body += "<h2>Runs</h2>\n" + runs.html("runs-table") + "<h2>Each seed</h2>\n";
  unsigned k = 0;
  for (const Figure& f : figures(a))
    body += "<div class=\"cell\">" + html::plot("plot-seeds-" + std::to_string(k++), figure_spec(f, a["seeds"], "")) + "</div>\n";
  return html::page("dusim: " + name + " over seeds", body);
}

}  // namespace dusim::report
