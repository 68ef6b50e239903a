// The spread over seeds and the aggregate report (seed_stats.h).
#include "report/seed_stats.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "report/checks.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

double student_t95(unsigned df) {
  // The 0.975 quantiles for 1..30 degrees of freedom; beyond, linear in 1/df
  // through 40, 60, 120 and infinity (error below 0.001).
  static const double t[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                             2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                             2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (df == 0) return NAN;
  if (df <= 30) return t[df - 1];
  static const double dfs[] = {30, 40, 60, 120}, ts[] = {2.0423, 2.0211, 2.0003, 1.9799};
  const double x = 1.0 / df;
  for (int k = 0; k < 3; ++k)
    if (df <= dfs[k + 1]) {
      double x0 = 1 / dfs[k], x1 = 1 / dfs[k + 1];
      return ts[k] + (ts[k + 1] - ts[k]) * (x0 - x) / (x0 - x1);
    }
  return 1.9600 + (1.9799 - 1.9600) * x * 120;
}

Spread spread_of(const std::vector<double>& v) {
  Spread s;
  s.n = v.size();
  if (v.empty()) return s;
  s.min = s.max = v[0];
  double sum = 0;
  for (double x : v) {
    sum += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean = sum / double(s.n);
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = s.n > 1 ? std::sqrt(ss / double(s.n - 1)) : 0;
  double half = s.n > 1 ? student_t95(unsigned(s.n - 1)) * s.sd / std::sqrt(double(s.n)) : 0;
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  return s;
}

json mean_report(const std::vector<const json*>& reports) {
  if (reports.empty()) return nullptr;
  const json& first = *reports[0];
  bool all_numbers = true;
  for (const json* r : reports) all_numbers = all_numbers && r->is_number();
  if (all_numbers) {
    double sum = 0;
    for (const json* r : reports) sum += r->get<double>();
    return sum / double(reports.size());
  }
  if (first.is_object()) {
    json out = json::object();
    for (auto it = first.begin(); it != first.end(); ++it) {
      std::vector<const json*> at;
      for (const json* r : reports)
        if (r->is_object() && r->contains(it.key())) at.push_back(&(*r)[it.key()]);
      out[it.key()] = at.size() == reports.size() ? mean_report(at) : it.value();
    }
    return out;
  }
  if (first.is_array()) {
    bool same = true;
    for (const json* r : reports) same = same && r->is_array() && r->size() == first.size();
    if (!same) return first;
    json out = json::array();
    for (size_t k = 0; k < first.size(); ++k) {
      std::vector<const json*> at;
      for (const json* r : reports) at.push_back(&(*r)[k]);
      out.push_back(mean_report(at));
    }
    return out;
  }
  return first;
}

namespace {

// A figure's spread, and its value in each seed's report (null where absent).
json spread_json(const std::vector<SeedRun>& runs, const std::function<const json*(const json&)>& at) {
  std::vector<double> present;
  json values = json::array();
  for (const SeedRun& r : runs) {
    const json* v = r.report.is_null() ? nullptr : at(r.report);
    if (v && v->is_number()) {
      present.push_back(v->get<double>());
      values.push_back(*v);
    } else {
      values.push_back(nullptr);
    }
  }
  Spread s = spread_of(present);
  if (!s.n) return {{"n", 0}, {"values", values}};
  return {{"n", s.n},   {"mean", s.mean}, {"sd", s.sd}, {"min", s.min}, {"max", s.max}, {"ci95", {s.ci_low, s.ci_high}},
          {"values", values}};
}

const json* member(const json& j, const std::string& key) { return j.is_object() && j.contains(key) ? &j[key] : nullptr; }

json metrics_section(const scenario::Scenario& s, const std::vector<SeedRun>& runs) {
  json m = json::object();
  for (const scenario::Metric& metric : s.metrics)
    m[metric.name] = spread_json(runs, [&](const json& r) -> const json* {
      const json* ms = member(r, "metrics");
      return ms ? member(*ms, metric.name) : nullptr;
    });
  return m;
}

json updates_section(const scenario::Scenario& s, const std::vector<SeedRun>& runs) {
  json out = json::array();
  for (size_t k = 0; k < s.updates.size(); ++k) {
    auto update = [k](const json& r) -> const json* {
      const json* us = member(r, "updates");
      return us && us->is_array() && us->size() > k ? &(*us)[k] : nullptr;
    };
    auto field = [&](const char* a, const char* b) {
      return spread_json(runs, [=](const json& r) -> const json* {
        const json* u = update(r);
        const json* v = u ? member(*u, a) : nullptr;
        return v && b ? member(*v, b) : v;
      });
    };
    unsigned as_expected = 0;
    const std::string want(scenario::to_name(scenario::kExpects, s.updates[k].expect));
    for (const SeedRun& r : runs) {
      const json* u = r.report.is_null() ? nullptr : update(r.report);
      as_expected += u && u->value("status", "") == want;
    }
    out.push_back({{"name", s.updates[k].name},
                   {"expected", want},
                   {"as_expected_in", as_expected},
                   {"latency_ns", field("latency_ns", nullptr)},
                   {"objects_swapped", field("objects_swapped", nullptr)},
                   {"blocked_calls", field("blocked_calls", "count")},
                   {"blocked_max_ns", field("blocked_calls", "max_ns")}});
  }
  return out;
}

// A check over every seed's report: it passes when it passes in each.
json check_every_seed(const std::string& name, const std::string& expr, const std::vector<SeedRun>& runs) {
  json failed = json::array(), actual = json::array();
  std::string detail;
  for (const SeedRun& r : runs) {
    if (r.report.is_null()) {
      failed.push_back(r.seed);
      actual.push_back("no report");
      continue;
    }
    CheckResult c = evaluate_check(expr, r.report);
    actual.push_back(c.actual);
    if (!c.passed) {
      failed.push_back(r.seed);
      if (detail.empty()) detail = "seed " + std::to_string(r.seed) + ": " + c.detail;
    }
  }
  return {{"name", name},          {"over", "every_seed"},     {"passed", failed.empty()},
          {"expected", expr},      {"failed_seeds", failed},   {"actual", actual},
          {"detail", failed.empty() ? "holds for every seed" : detail}};
}

json check_mean(const std::string& name, const std::string& expr, const json& means) {
  CheckResult c = evaluate_check(expr, means);
  return {{"name", name}, {"over", "mean"}, {"passed", c.passed}, {"expected", expr}, {"actual", c.actual},
          {"detail", "over the means: " + c.detail}};
}

json checks_section(const scenario::Scenario& s, const std::vector<SeedRun>& runs) {
  std::vector<const json*> reports;
  for (const SeedRun& r : runs)
    if (!r.report.is_null()) reports.push_back(&r.report);
  const json means = mean_report(reports);
  json checks = json::array();
  checks.push_back(check_every_seed("the run ended without a guest fault", "run.outcome != fault", runs));
  for (const scenario::Update& u : s.updates) {
    std::string want(scenario::to_name(scenario::kExpects, u.expect));
    checks.push_back(check_every_seed("update " + u.name + " is " + want, "updates[" + u.name + "].status == " + want, runs));
  }
  for (const scenario::Check& c : s.checks)
    checks.push_back(c.over == scenario::Over::Mean ? check_mean(c.name, c.expect, means) : check_every_seed(c.name, c.expect, runs));
  return checks;
}

}  // namespace

json build_seeds_report(const scenario::Scenario& s, const std::vector<SeedRun>& runs) {
  json seeds = json::array(), list = json::array();
  double wall = 0;
  const json* first = nullptr;
  for (const SeedRun& r : runs) {
    seeds.push_back(r.seed);
    json run = {{"seed", r.seed}, {"folder", r.folder}, {"exit_code", r.exit_code}};
    if (r.report.is_null()) {
      run["outcome"] = "no report";
    } else {
      if (!first) first = &r.report;
      run["outcome"] = r.report["run"]["outcome"];
      json failed = json::array();
      for (const json& c : r.report["checks"])
        if (!c["passed"].get<bool>()) failed.push_back(c["name"]);
      run["failed_checks"] = failed;
      wall += r.report["host"]["wall_seconds"].get<double>();
    }
    list.push_back(run);
  }
  json a;
  a["scenario"] = s.name;
  a["description"] = s.description;
  a["seeds"] = seeds;
  a["machine"] = first ? (*first)["machine"] : json(nullptr);
  a["runs"] = list;
  a["metrics"] = metrics_section(s, runs);
  a["metric_definitions"] = first ? (*first)["metric_definitions"] : json::object();
  a["updates"] = updates_section(s, runs);
  a["checks"] = checks_section(s, runs);
  a["host"] = {{"wall_seconds", wall}};
  return a;
}

}  // namespace dusim::report
