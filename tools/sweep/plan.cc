#include "sweep/plan.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "common/errors.h"
#include "common/nearest.h"
#include "scenario/overrides.h"

namespace dusim::sweep {

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

std::vector<std::string> variant_command(const SweepOptions& o, const std::vector<Axis>& axes, const Variant& v,
                                         const std::string& dir) {
  std::vector<std::string> argv{o.self, "run", o.scenario, "--out", dir};
  for (size_t k = 0; k < axes.size(); ++k) argv.insert(argv.end(), {"--set", axes[k].key + "=" + v.values[k]});
  for (const std::string& f : o.overrides) argv.insert(argv.end(), {"--set", f});
  argv.push_back("--no-summary");
  return argv;
}

}  // namespace dusim::sweep
