#include "sweep/summary.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "report/seed_stats.h"

namespace dusim::sweep {

using json = nlohmann::ordered_json;

namespace {

struct Quantity {
  std::string path, column;
  std::function<json(const json& row)> value;
};

std::vector<Quantity> quantities(const Plan& p) {
  std::vector<Quantity> q;
  for (size_t k = 0; k < p.updates.size(); ++k)
    for (const char* c : {"latency_ns", "blocked_max_ns"}) {
      const std::string u = p.updates[k];
      q.push_back({"updates[" + u + "]." + c, u + "." + c, [k, c](const json& r) { return r["updates"][k][c]; }});
    }
  for (size_t k = 0; k < p.metrics.size(); ++k) {
    const std::string m = p.metrics[k];
    q.push_back({"metrics." + m, metric_column(m, p.units[k]),
                 [m](const json& r) { return r["metrics"].contains(m) ? r["metrics"][m] : json(nullptr); }});
  }
  return q;
}

// Numbers as the report writes them: integers stay integers, others to 6 places.
json rounded(double v) { return std::round(v * 1e6) / 1e6; }

std::string cell(const json& v) { return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

bool seeds_swept(const Plan& p) {
  return std::any_of(p.axes.begin(), p.axes.end(), [](const Axis& a) { return a.key == "seed"; });
}

std::string metric_column(const std::string& name, const std::string& unit) {
  const std::string tail = "_" + unit;
  if (unit.empty() || (name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0)) return name;
  return name + tail;
}

json seed_summary(const Plan& p, const json& rows) {
  json out = json::array();
  if (!seeds_swept(p)) return out;
  std::vector<std::string> keys;
  for (const Axis& a : p.axes)
    if (a.key != "seed") keys.push_back(a.key);
  // Groups in the order their first row comes.
  std::vector<json> group_keys;
  std::vector<std::vector<const json*>> members;
  for (const json& r : rows) {
    json k = json::object();
    for (const std::string& key : keys) k[key] = r[key];
    auto it = std::find(group_keys.begin(), group_keys.end(), k);
    if (it == group_keys.end()) group_keys.push_back(k), members.emplace_back();
    members[size_t(std::find(group_keys.begin(), group_keys.end(), k) - group_keys.begin())].push_back(&r);
  }
  const std::vector<Quantity> qs = quantities(p);
  for (size_t g = 0; g < group_keys.size(); ++g) {
    json qj = json::array();
    for (const Quantity& q : qs) {
      std::vector<double> x;
      for (const json* r : members[g])
        if (json v = q.value(*r); v.is_number()) x.push_back(v.get<double>());
      if (x.empty()) continue;
      const report::Spread sp = report::spread_of(x);
      const double mean = sp.mean;
      json sd = nullptr, lo = nullptr, hi = nullptr;
      if (x.size() > 1) sd = rounded(sp.sd), lo = rounded(sp.ci_low), hi = rounded(sp.ci_high);
      qj.push_back({{"path", q.path}, {"column", q.column}, {"n", x.size()}, {"mean", rounded(mean)}, {"sd", sd}, {"ci95_low", lo},
                    {"ci95_high", hi}});
    }
    out.push_back({{"keys", group_keys[g]}, {"quantities", qj}});
  }
  return out;
}

std::string summary_csv(const Plan& p, const json& summary) {
  std::string csv;
  for (const Axis& a : p.axes)
    if (a.key != "seed") csv += a.key + ",";
  csv += "quantity,n,mean,sd,ci95_low,ci95_high\n";
  for (const json& g : summary)
    for (const json& q : g["quantities"]) {
      for (const auto& [k, v] : g["keys"].items()) csv += cell(v) + ",";
      csv += q["column"].get<std::string>() + "," + cell(q["n"]) + "," + cell(q["mean"]) + "," + cell(q["sd"]) + "," + cell(q["ci95_low"]) +
             "," + cell(q["ci95_high"]) + "\n";
    }
  return csv;
}

}  // namespace dusim::sweep
