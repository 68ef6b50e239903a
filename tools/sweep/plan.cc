#include "sweep/plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "common/nearest.h"
#include "config/yaml_reader.h"
#include "scenario/overrides.h"
#include "scenario/scenario.h"
#include "sweep/inputs_hash.h"

namespace dusim::sweep {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The short names --vary accepts for machine keys.
std::string expand(const std::string& k) {
  if (k == "cpus") return "machine.cpus";
  if (k == "quantum") return "machine.quantum_cycles";
  if (k == "protocol") return "caches.protocol";
  return k;
}

// A key --vary takes: a short name, a machine key (checked when the variants
// load), or one of the scenario's --set keys.
void check_key(const std::string& given, const std::string& key, const std::string& text) {
  if (key.find('.') != std::string::npos) return;
  std::vector<std::string> known{"cpus", "quantum", "protocol"};
  for (const std::string& k : scenario::scenario_override_keys())
    if (k.find('<') == std::string::npos) known.push_back(k);
  if (std::find(known.begin(), known.end(), key) != known.end()) return;
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  throw tools::InputError("--vary " + text + ": unknown key '" + given + "'" + tools::did_you_mean(given, known) +
                          " (short keys: " + list + "; or any --set key, e.g. machine.quantum_cycles, workloads.0.hold)");
}

}  // namespace

std::vector<Axis> parse_axes(const std::vector<std::string>& vary) {
  std::vector<Axis> axes;
  for (const std::string& v : vary) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= v.size()) throw tools::InputError("--vary " + v + ": expected KEY=V1,V2,...");
    Axis a{expand(v.substr(0, eq)), {}};
    check_key(v.substr(0, eq), a.key, v);
    std::stringstream ss(v.substr(eq + 1));
    for (std::string x; std::getline(ss, x, ',');) {
      if (x.empty()) throw tools::InputError("--vary " + v + ": an empty value (expected KEY=V1,V2,...)");
      a.values.push_back(x);
    }
    for (const Axis& earlier : axes)
      if (earlier.key == a.key) throw tools::InputError("--vary " + v + ": " + a.key + " is varied twice");
    axes.push_back(a);
  }
  if (axes.empty()) throw tools::InputError("sweep needs at least one --vary KEY=V1,V2,...");
  return axes;
}

std::vector<Variant> variants_of(const std::vector<Axis>& axes) {
  std::vector<std::vector<std::string>> combos{{}};
  for (const Axis& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos)
      for (const std::string& v : a.values) {
        next.push_back(c);
        next.back().push_back(v);
      }
    combos = next;
  }
  std::vector<Variant> out;
  for (const auto& c : combos) {
    Variant v{"", c};
    for (size_t k = 0; k < axes.size(); ++k) v.name += (k ? "_" : "") + scenario::override_label(axes[k].key, c[k]);
    if (v.name.empty()) v.name = "variant";
    out.push_back(v);
  }
  return out;
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// `dusim run` for one variant (argv, no shell).
std::vector<std::string> command_of(const std::string& self, const std::string& scenario, const std::vector<std::string>& sets,
                                    const std::string& dir) {
  std::vector<std::string> argv{self, "run", scenario, "--out", dir};
  for (const std::string& f : sets) argv.insert(argv.end(), {"--set", f});
  argv.push_back("--no-summary");
  return argv;
}

}  // namespace

Plan make_plan(const SweepOptions& o) {
  Plan p;
  p.axes = parse_axes(o.vary);
  scenario::Scenario s = scenario::load_scenario(o.scenario, o.overrides);  // fail early on a bad scenario
  p.scenario = fs::absolute(o.scenario).lexically_normal().string();
  p.name = s.name;
  p.out = fs::absolute(o.out_dir.empty() ? fs::path("out") / (s.name + "-sweep") : fs::path(o.out_dir)).lexically_normal().string();
  p.self = o.self;
  p.overrides = o.overrides;
  for (const scenario::Update& u : s.updates) p.updates.push_back(u.name);
  for (const scenario::Metric& m : s.metrics) p.metrics.push_back(m.name), p.units.push_back(scenario::metric_unit(m));
  for (const std::string& m : o.plot)
    if (std::find(p.metrics.begin(), p.metrics.end(), m) == p.metrics.end())
      throw tools::InputError("--plot " + m + ": the scenario has no metric '" + m + "'" + tools::did_you_mean(m, p.metrics) +
                              " (its metrics: " + (p.metrics.empty() ? std::string("none") : join(p.metrics)) + ")");
  p.plot = o.plot;
  for (const Variant& v : variants_of(p.axes)) {
    PlannedVariant pv{v, o.overrides, 0, (fs::path(p.out) / v.name).string(), "", {}};
    for (size_t k = 0; k < p.axes.size(); ++k) pv.sets.push_back(p.axes[k].key + "=" + v.values[k]);
    scenario::Scenario vs;
    try {
      vs = scenario::load_scenario(o.scenario, pv.sets);
    } catch (const YamlError& e) {
      throw tools::InputError("--vary: variant " + v.name + ": " + e.what());
    }
    pv.seed = vs.seed;
    pv.hash = inputs_hash(vs, pv.sets);
    pv.command = command_of(p.self, p.scenario, pv.sets, pv.dir);
    p.variants.push_back(pv);
  }
  return p;
}

json plan_json(const Plan& p) {
  json axes = json::array(), variants = json::array();
  for (const Axis& a : p.axes) axes.push_back({{"key", a.key}, {"values", a.values}});
  for (const PlannedVariant& pv : p.variants)
    variants.push_back({{"name", pv.v.name}, {"values", pv.v.values}, {"sets", pv.sets}, {"seed", pv.seed}, {"dir", pv.dir},
                        {"hash", pv.hash}, {"command", pv.command}});
  json units = json::object();
  for (size_t k = 0; k < p.metrics.size(); ++k) units[p.metrics[k]] = p.units[k];
  return {{"format", "dusim-sweep-plan/1"}, {"scenario", p.scenario}, {"name", p.name}, {"out", p.out}, {"dusim", p.self},
          {"axes", axes}, {"overrides", p.overrides}, {"updates", p.updates}, {"metric_units", units}, {"plot", p.plot},
          {"variants", variants}};
}

Plan read_plan(const std::string& out_dir) {
  const std::string path = (fs::path(out_dir) / "plan.json").string();
  std::ifstream in(path);
  if (!in) throw tools::InputError(path + ": no sweep plan here (a sweep writes plan.json into its --out folder)");
  std::stringstream text;
  text << in.rdbuf();
  return read_plan_text(text.str(), path);
}

Plan read_plan_text(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "dusim-sweep-plan/1")
    throw tools::InputError(path + ": not a dusim sweep plan (format dusim-sweep-plan/1)");
  Plan p;
  try {
    p.scenario = j["scenario"], p.name = j["name"], p.out = j["out"], p.self = j["dusim"];
    for (const json& a : j["axes"]) p.axes.push_back({a["key"], a["values"]});
    p.overrides = j["overrides"].get<std::vector<std::string>>();
    p.updates = j["updates"].get<std::vector<std::string>>();
    for (const auto& [k, u] : j["metric_units"].items()) p.metrics.push_back(k), p.units.push_back(u);
    p.plot = j["plot"].get<std::vector<std::string>>();
    for (const json& v : j["variants"])
      p.variants.push_back({{v["name"], v["values"]}, v["sets"], v["seed"], v["dir"], v["hash"], v["command"]});
  } catch (const json::exception& e) {
    throw tools::InputError(path + ": a malformed sweep plan: " + e.what());
  }
  return p;
}

}  // namespace dusim::sweep
