// `dusim sweep`: runs a scenario's variants, each in its own process (a
// SystemC simulation can be elaborated once per process), then writes one
// combined table (sweep.csv, printed too) and a plot (sweep.html) of update
// latency and blocked time against the first varied value.
#include <sys/wait.h>

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../exit_codes.h"
#include "config/yaml_reader.h"
#include "scenario/runner.h"
#include "scenario/scenario.h"

namespace dusim::scenario {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string alias(const std::string& k) {
  if (k == "cpus") return "machine.cpus";
  if (k == "quantum") return "machine.quantum_cycles";
  if (k == "protocol") return "caches.protocol";
  return k;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

json value_at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return nullptr;
    cur = &(*cur)[k];
  }
  return *cur;
}

}  // namespace

int sweep(const SweepOptions& o) {
  struct Axis {
    std::string key;
    std::vector<std::string> values;
  };
  std::vector<Axis> axes;
  for (const std::string& v : o.vary) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq + 1 >= v.size()) {
      std::fprintf(stderr, "dusim: --vary %s: expected KEY=V1,V2,...\n", v.c_str());
      return exit_code::kUsage;
    }
    Axis a{alias(v.substr(0, eq)), {}};
    std::stringstream ss(v.substr(eq + 1));
    for (std::string x; std::getline(ss, x, ',');)
      if (!x.empty()) a.values.push_back(x);
    axes.push_back(a);
  }
  if (axes.empty()) {
    std::fprintf(stderr, "dusim: sweep needs at least one --vary KEY=V1,V2,...\n");
    return exit_code::kUsage;
  }
  Scenario s;
  try {
    s = load_scenario(o.scenario, o.overrides);  // fail early on a bad scenario
  } catch (const YamlError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
  fs::path out = o.out_dir.empty() ? fs::path("out") / (s.name + "-sweep") : fs::path(o.out_dir);
  fs::create_directories(out);

  // Every combination, the first axis varying slowest.
  std::vector<std::vector<std::string>> combos{{}};
  for (const Axis& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos)
      for (const std::string& v : a.values) {
        auto d = c;
        d.push_back(v);
        next.push_back(d);
      }
    combos = next;
  }
  json rows = json::array();
  std::string csv;
  for (const Axis& a : axes) csv += a.key + ",";
  csv += "exit_code,update_status,update_latency_ns,blocked_calls,blocked_max_ns,checks_passed,checks_total";
  for (const Metric& m : s.metrics) csv += "," + m.name;  // the scenario's own facts, per variant
  csv += ",wall_seconds\n";
  std::printf("%s", csv.c_str());
  int worst = 0;
  for (const auto& c : combos) {
    std::string name, sets;
    for (size_t k = 0; k < axes.size(); ++k) {
      name += (k ? "_" : "") + fs::path(axes[k].key).extension().string().substr(1) + "-" + c[k];
      sets += " --set " + quote(axes[k].key + "=" + c[k]);
    }
    if (name.empty()) name = "variant";
    for (const std::string& f : o.overrides) sets += " --set " + quote(f);
    fs::path dir = out / name;
    std::string cmd = quote(o.self) + " run " + quote(o.scenario) + " --out " + quote(dir.string()) + sets + " --no-summary > " +
                      quote((out / (name + ".log")).string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (rc != 0 && rc != exit_code::kCheckFailed) worst = std::max(worst, rc);
    json rep;
    std::ifstream in(dir / "report.json");
    if (in) in >> rep;
    json row;
    for (size_t k = 0; k < axes.size(); ++k) row[axes[k].key] = c[k];
    row["exit_code"] = rc;
    json u = rep.contains("updates") && !rep["updates"].empty() ? rep["updates"][0] : json();
    row["update_status"] = value_at(u, {"status"});
    row["update_latency_ns"] = value_at(u, {"latency_ns"});
    row["blocked_calls"] = value_at(u, {"blocked_calls", "count"});
    row["blocked_max_ns"] = value_at(u, {"blocked_calls", "max_ns"});
    unsigned passed = 0, total = 0;
    if (rep.contains("checks"))
      for (const json& ch : rep["checks"]) ++total, passed += ch["passed"].get<bool>();
    row["checks_passed"] = passed;
    row["checks_total"] = total;
    row["wall_seconds"] = value_at(rep, {"host", "wall_seconds"});
    row["metrics"] = rep.contains("metrics") ? rep["metrics"] : json::object();
    std::string line;
    for (const std::string& v : c) line += v + ",";
    auto txt = [](const json& v) { return v.is_null() ? std::string("") : v.is_string() ? v.get<std::string>() : v.dump(); };
    line += fmt::format("{},{},{},{},{},{},{}", rc, txt(row["update_status"]), txt(row["update_latency_ns"]),
                        txt(row["blocked_calls"]), txt(row["blocked_max_ns"]), passed, total);
    for (const Metric& m : s.metrics) line += "," + txt(row["metrics"].contains(m.name) ? row["metrics"][m.name] : json());
    line += "," + txt(row["wall_seconds"]) + "\n";
    std::printf("%s", line.c_str());
    std::fflush(stdout);
    csv += line;
    rows.push_back(row);
  }
  std::ofstream(out / "sweep.csv") << csv;
  std::ofstream(out / "sweep.json") << rows.dump(2) << "\n";
  // A small self-contained plot: latency and longest blocked call against
  // the first varied key.
  std::string points_lat, points_blk, labels;
  double vmax = 1;
  for (const json& r : rows) {
    for (const char* k : {"update_latency_ns", "blocked_max_ns"})
      if (r[k].is_number()) vmax = std::max(vmax, r[k].get<double>());
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    double x = 60 + 900.0 * (rows.size() > 1 ? double(i) / double(rows.size() - 1) : 0.5);
    auto y = [&](const json& v) { return 330 - (v.is_number() ? v.get<double>() : 0) / vmax * 300; };
    points_lat += fmt::format("{:.1f},{:.1f} ", x, y(rows[i]["update_latency_ns"]));
    points_blk += fmt::format("{:.1f},{:.1f} ", x, y(rows[i]["blocked_max_ns"]));
    std::string label;
    for (size_t k = 0; k < axes.size(); ++k) label += (k ? " " : "") + rows[i][axes[k].key].get<std::string>();
    labels += fmt::format("<text x='{:.1f}' y='350' text-anchor='middle' font-size='11'>{}</text>", x, label);
  }
  std::ofstream(out / "sweep.html")
      << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>dusim sweep</title></head><body style='font:14px sans-serif'>"
      << "<h1>" << s.name << ": sweep over " << axes[0].key << "</h1>"
      << "<svg id='plot-sweep' data-drawn='" << rows.size() << "' width='1000' height='380' style='border:1px solid #ddd'>"
      << "<polyline fill='none' stroke='#4e79a7' stroke-width='2' points='" << points_lat << "'/>"
      << "<polyline fill='none' stroke='#e15759' stroke-width='2' points='" << points_blk << "'/>" << labels
      << fmt::format("<text x='60' y='20' font-size='12'>max {:.0f} ns</text>", vmax)
      << "<text x='700' y='20' font-size='12' fill='#4e79a7'>update latency (ns)</text>"
      << "<text x='700' y='36' font-size='12' fill='#e15759'>longest blocked call (ns)</text></svg>"
      << "<pre>" << csv << "</pre></body></html>\n";
  std::printf("sweep: %zu variants; table %s, plot %s\n", rows.size(), (out / "sweep.csv").string().c_str(),
              (out / "sweep.html").string().c_str());
  return worst;
}

}  // namespace dusim::scenario
