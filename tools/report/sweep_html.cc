// sweep.html: the variants' table and, per quantity (each update's latency
// and longest blocked call, then each of the scenario's metrics), a plot of
// it against the first varied key, one series per value of the other keys,
// every variant a marker; variants that failed (a check, or a run that did
// not finish) are drawn as red crosses and listed.
#include "report/sweep_html.h"

#include <algorithm>
#include <functional>

#include "report/html_page.h"
#include "report/plots/plots.h"
#include "report/units.h"

namespace dusim::report {

using json = nlohmann::ordered_json;
using html::escape;

namespace {

struct Quantity {
  std::string title, unit;  // "update fix: latency", "µs"
  std::string id;
  std::string path;   // in the seed summary: updates[NAME].latency_ns, metrics.NAME
  double scale;       // from the row's unit to the plot's
  std::function<json(const json& row)> value;  // from a sweep.json row; null when absent
};

// The other keys' values, as one series label: "quantum_cycles=250, protocol=MOESI".
std::string series_of(const std::vector<std::string>& keys, const json& row) {
  if (keys.size() < 2) return "all variants";
  std::string s;
  for (size_t k = 1; k < keys.size(); ++k) s += (k > 1 ? ", " : "") + keys[k] + "=" + row[keys[k]].get<std::string>();
  return s;
}

json number_or_null(const json& v, double scale) {
  if (!v.is_number()) return nullptr;
  return v.get<double>() * scale;
}

// Every update's latency and longest blocked call, then every metric; or,
// when the user picked metrics (--plot), those only.
std::vector<Quantity> quantities(const json& rows, const std::vector<std::string>& updates, const std::vector<std::string>& all_metrics,
                                 const std::vector<std::string>& plot) {
  std::vector<Quantity> q;
  for (size_t k = 0; plot.empty() && k < updates.size(); ++k) {
    q.push_back({"update " + updates[k] + ": latency", "µs", "update-" + std::to_string(k) + "-latency",
                 "updates[" + updates[k] + "].latency_ns", 1e-3,
                 [k](const json& r) { return number_or_null(r["updates"][k]["latency_ns"], 1e-3); }});
    q.push_back({"update " + updates[k] + ": longest blocked call", "µs", "update-" + std::to_string(k) + "-blocked",
                 "updates[" + updates[k] + "].blocked_max_ns", 1e-3,
                 [k](const json& r) { return number_or_null(r["updates"][k]["blocked_max_ns"], 1e-3); }});
  }
  const std::vector<std::string>& metrics = plot.empty() ? all_metrics : plot;
  for (size_t k = 0; k < metrics.size(); ++k) {
    std::string unit;
    for (const json& r : rows)
      if (r["metric_units"].contains(metrics[k])) unit = r["metric_units"][metrics[k]].get<std::string>();
    const std::string name = metrics[k];
    q.push_back({"metric " + name, unit, "metric-" + std::to_string(k), "metrics." + name, 1,
                 [name](const json& r) { return r["metrics"].contains(name) ? number_or_null(r["metrics"][name], 1) : json(nullptr); }});
  }
  return q;
}

bool failed(const json& row) { return row["exit_code"].get<int>() != 0; }

std::string failure_text(const json& row) {
  if (!row["failed_checks"].empty()) {
    std::string s;
    for (const json& c : row["failed_checks"])
      s += (s.empty() ? "" : "; ") + c["name"].get<std::string>() + ": expected " + c["expected"].get<std::string>() + ", got " +
           c["actual"].get<std::string>();
    return s;
  }
  return row["exit_code"].get<int>() ? "exit code " + std::to_string(row["exit_code"].get<int>()) : "";
}

json quantity_spec(const Quantity& q, const std::vector<std::string>& keys, const json& rows) {
  json data = json::array(), order = json::array(), series = json::array();
  double top = 0;
  for (const json& r : rows) {
    const std::string x = r[keys[0]].get<std::string>();
    if (std::find(order.begin(), order.end(), json(x)) == order.end()) order.push_back(x);
    if (std::find(series.begin(), series.end(), json(series_of(keys, r))) == series.end()) series.push_back(series_of(keys, r));
    if (q.value(r).is_number()) top = std::max(top, q.value(r).get<double>());
    data.push_back({{"variant", r["variant"]}, {"x", x}, {"series", series_of(keys, r)}, {"value", q.value(r)},
                    {"status", failed(r) ? "failed" : "passed"}, {"failure", failure_text(r)}});
  }
  const std::string ytitle = q.title + (q.unit.empty() ? "" : " (" + q.unit + ")");
  std::string others;
  for (size_t k = 1; k < keys.size(); ++k) others += (k > 1 ? " and " : "") + keys[k];
  json spec = plots::frame(q.title, "against " + keys[0] + (others.empty() ? "" : "; a line per " + others) +
                                        "; red crosses: variants that failed");
  spec["width"] = 420;
  spec["height"] = 240;
  spec["data"] = {{"values", data}};
  const json x = {{"field", "x"}, {"type", "ordinal"}, {"sort", order}, {"title", keys[0]}, {"axis", {{"labelAngle", 0}}}};
  json y = {{"field", "value"}, {"type", "quantitative"}, {"title", ytitle}, {"axis", {{"format", ",~r"}}}, {"scale", {{"zero", true}}}};
  if (top <= 0) y["scale"]["domain"] = {0, 1};  // all zero: still an axis with ticks
  const json colour = {{"field", "series"}, {"type", "nominal"}, {"title", others}, {"sort", series},
                       {"legend", keys.size() > 1 ? json{{"orient", "bottom"}, {"labelLimit", 400}, {"columns", 2}} : json(nullptr)}};
  const json tip = json::array({{{"field", "variant"}}, {{"field", "value"}, {"title", ytitle}, {"format", ",.3~f"}},
                                {{"field", "status"}}, {{"field", "failure"}}});
  spec["transform"] = json::array({{{"filter", "isValid(datum.value)"}}});
  spec["layer"] = json::array({
      {{"name", "lines"}, {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}}, {"encoding", {{"x", x}, {"y", y}, {"color", colour}}}},
      {{"name", "points"},
       {"transform", json::array({{{"filter", "datum.status == 'passed'"}}})},
       {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
       {"encoding", {{"x", x}, {"y", y}, {"color", colour}, {"tooltip", tip}}}},
      {{"name", "failed"},
       {"transform", json::array({{{"filter", "datum.status == 'failed'"}}})},
       {"mark", {{"type", "point"}, {"shape", "cross"}, {"filled", true}, {"size", 140}, {"color", "#d62728"}}},
       {"encoding", {{"x", x}, {"y", y}, {"tooltip", tip}}}},
  });
  return spec;
}

// Seeds swept: per combination of the other keys, the mean over the seeds
// (a line and a marker) and its 95 % confidence interval (a bar), against
// the first key other than seed.
json interval_spec(const Quantity& q, const std::vector<std::string>& keys, const json& summary) {
  json data = json::array(), order = json::array(), series = json::array();
  for (const json& g : summary) {
    const std::string x = g["keys"][keys[0]].get<std::string>();
    std::string ser = "all variants";
    if (keys.size() > 1) {
      ser.clear();
      for (size_t k = 1; k < keys.size(); ++k) ser += (k > 1 ? ", " : "") + keys[k] + "=" + g["keys"][keys[k]].get<std::string>();
    }
    if (std::find(order.begin(), order.end(), json(x)) == order.end()) order.push_back(x);
    if (std::find(series.begin(), series.end(), json(ser)) == series.end()) series.push_back(ser);
    for (const json& e : g["quantities"])
      if (e["path"] == q.path)
        data.push_back({{"x", x}, {"series", ser}, {"n", e["n"]}, {"value", number_or_null(e["mean"], q.scale)},
                        {"lo", number_or_null(e["ci95_low"].is_null() ? e["mean"] : e["ci95_low"], q.scale)},
                        {"hi", number_or_null(e["ci95_high"].is_null() ? e["mean"] : e["ci95_high"], q.scale)}});
  }
  const std::string ytitle = q.title + (q.unit.empty() ? "" : " (" + q.unit + ")");
  std::string others;
  for (size_t k = 1; k < keys.size(); ++k) others += (k > 1 ? " and " : "") + keys[k];
  json spec = plots::frame(q.title, "mean over the seeds against " + keys[0] + (others.empty() ? "" : "; a line per " + others) +
                                        "; bars: 95 % confidence interval (Student's t)");
  spec["width"] = 420;
  spec["height"] = 240;
  spec["data"] = {{"values", data}};
  const json x = {{"field", "x"}, {"type", "ordinal"}, {"sort", order}, {"title", keys[0]}, {"axis", {{"labelAngle", 0}}}};
  const json y = {{"field", "value"}, {"type", "quantitative"}, {"title", ytitle}, {"axis", {{"format", ",~r"}}}, {"scale", {{"zero", true}}}};
  const json colour = {{"field", "series"}, {"type", "nominal"}, {"title", others}, {"sort", series},
                       {"legend", keys.size() > 1 ? json{{"orient", "bottom"}, {"labelLimit", 400}, {"columns", 2}} : json(nullptr)}};
  const json tip = json::array({{{"field", "series"}}, {{"field", "value"}, {"title", "mean"}, {"format", ",.3~f"}},
                                {{"field", "lo"}, {"title", "95 % CI from"}, {"format", ",.3~f"}},
                                {{"field", "hi"}, {"title", "to"}, {"format", ",.3~f"}}, {{"field", "n"}, {"title", "seeds"}}});
  spec["transform"] = json::array({{{"filter", "isValid(datum.value)"}}});
  spec["layer"] = json::array({
      {{"name", "intervals"}, {"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
       {"encoding", {{"x", x}, {"y", {{"field", "lo"}, {"type", "quantitative"}, {"title", ytitle}}}, {"y2", {{"field", "hi"}}}, {"color", colour}}}},
      {{"name", "lines"}, {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}}, {"encoding", {{"x", x}, {"y", y}, {"color", colour}}}},
      {{"name", "points"}, {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
       {"encoding", {{"x", x}, {"y", y}, {"color", colour}, {"tooltip", tip}}}},
  });
  return spec;
}

std::string variants_table(const std::vector<std::string>& keys, const json& rows, const std::vector<std::string>& updates) {
  std::vector<std::string> head{"variant"};
  std::vector<bool> numeric{false};
  for (const std::string& k : keys) head.push_back(escape(k)), numeric.push_back(true);
  head.insert(head.end(), {"exit code", "checks"}), numeric.insert(numeric.end(), {true, true});
  for (const std::string& u : updates) head.push_back(escape(u) + " latency"), numeric.push_back(true);
  head.push_back("failures"), numeric.push_back(false);
  html::Table t(head, numeric);
  for (const json& r : rows) {
    std::vector<std::string> cells{"<span class=\"nowrap\">" + escape(r["variant"].get<std::string>()) + "</span>"};
    for (const std::string& k : keys) cells.push_back(escape(r[k].get<std::string>()));
    cells.push_back(std::to_string(r["exit_code"].get<int>()));
    cells.push_back(std::to_string(r["checks_passed"].get<unsigned>()) + " of " + std::to_string(r["checks_total"].get<unsigned>()));
    for (const json& u : r["updates"]) cells.push_back(u["latency_ns"].is_number() ? duration(u["latency_ns"].get<uint64_t>()) : "–");
    cells.push_back(escape(failure_text(r)));
    t.row(cells, failed(r) ? "bad" : "");
  }
  return t.html("variants-table");
}

}  // namespace

std::string build_sweep_html(const std::string& scenario, const std::vector<std::string>& keys, const json& rows,
                             const std::vector<std::string>& updates, const std::vector<std::string>& metrics,
                             const std::vector<std::string>& plot, const json& seed_summary) {
  unsigned nfailed = 0;
  for (const json& r : rows) nfailed += failed(r);
  std::string keys_text;
  for (size_t k = 0; k < keys.size(); ++k) keys_text += (k ? " × " : "") + keys[k];
  std::vector<std::string> others;  // the keys but seed, when seeds were swept with others
  for (const std::string& k : keys)
    if (k != "seed") others.push_back(k);
  const bool intervals = !seed_summary.empty() && !others.empty() && others.size() < keys.size();
  const std::string& x = intervals ? others[0] : keys[0];
  std::string body = "<h1>" + escape(scenario) + ": sweep over " + escape(keys_text) + "</h1>\n<p class=\"meta\">" +
                     std::to_string(rows.size()) + " variants, " + std::to_string(nfailed) +
                     " failed; the table is sweep.csv (and sweep.json)" + (intervals ? ", the means over the seeds sweep-summary.csv" : "") +
                     ", each variant's reports are in its folder</p>\n";
  body += "<h2>Variants</h2>\n" + variants_table(keys, rows, updates) + "<h2>Against " + escape(x) +
          (intervals ? ": means over the seeds, 95 % confidence intervals" : "") + "</h2>\n";
  if (rows.empty()) return html::page("dusim sweep: " + scenario, body + "<p>No variant ran.</p>\n");
  for (const Quantity& q : quantities(rows, updates, metrics, plot))
    body += "<div class=\"cell\">" +
            html::plot("plot-" + q.id, intervals ? interval_spec(q, others, seed_summary) : quantity_spec(q, keys, rows)) + "</div>\n";
  return html::page("dusim sweep: " + scenario, body);
}

}  // namespace dusim::report
