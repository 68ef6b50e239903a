#include "sweep/plan.h"

#include <filesystem>
#include <sstream>

#include "common/errors.h"

namespace dusim::sweep {

namespace {

// The short names --vary accepts for machine keys.
std::string expand(const std::string& k) {
  if (k == "cpus") return "machine.cpus";
  if (k == "quantum") return "machine.quantum_cycles";
  if (k == "protocol") return "caches.protocol";
  return k;
}

// A variant's name gives each axis by the last part of its key.
std::string label(const std::string& key) { return std::filesystem::path(key).extension().string().substr(1); }

}  // namespace

std::vector<Axis> parse_axes(const std::vector<std::string>& vary) {
  std::vector<Axis> axes;
  for (const std::string& v : vary) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq + 1 >= v.size()) throw tools::InputError("--vary " + v + ": expected KEY=V1,V2,...");
    Axis a{expand(v.substr(0, eq)), {}};
    std::stringstream ss(v.substr(eq + 1));
    for (std::string x; std::getline(ss, x, ',');)
      if (!x.empty()) a.values.push_back(x);
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
    for (size_t k = 0; k < axes.size(); ++k) v.name += (k ? "_" : "") + label(axes[k].key) + "-" + c[k];
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
