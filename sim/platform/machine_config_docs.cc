// configs/power5.yaml and the reference table of sim/platform/README.md,
// written from machine_params.def (tests/config/config_docs.cc writes and
// checks the files).
#include <fmt/format.h>

#include <algorithm>

#include "platform/machine_config.h"

namespace dusim {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

// A parameter's value in the key's unit, as YAML would have it.
std::string value_text(const MachineParam& p, MachineConfig& cfg) {
  return std::visit(Overloaded{
                        [](std::string* v) { return v->empty() ? std::string("\"\"") : *v; },
                        [](bool* v) { return std::string(*v ? "true" : "false"); },
                        [](coherence::Protocol* v) { return std::string(coherence::to_string(*v)); },
                        [](coherence::Replacement* v) { return std::string(coherence::to_string(*v)); },
                        [](SyncPolicy* v) { return std::string(to_string(*v)); },
                        [&](auto* v) { return std::to_string(uint64_t(*v) / param::scale(p.unit)); },
                    },
                    p.field(cfg));
}

std::string range_text(const MachineParam& p, MachineConfig& cfg) {
  return std::visit(Overloaded{
                        [](std::string*) { return std::string("any text"); },
                        [](bool*) { return std::string("true, false"); },
                        [](coherence::Protocol*) { return std::string("MESI, MOESI"); },
                        [](coherence::Replacement*) { return std::string("lru, tree-plru, random"); },
                        [](SyncPolicy*) { return std::string("ordered, quantum"); },
                        [&](auto*) {
                          return fmt::format("{}–{}{}", p.min, p.max, p.power_of_two ? ", a power of two" : "");
                        },
                    },
                    p.field(cfg));
}

std::vector<std::string> split(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) parts.push_back(key.substr(start, dot - start));
  parts.push_back(key.substr(start));
  return parts;
}

}  // namespace

std::string machine_config_yaml() {
  MachineConfig defaults;
  std::string out =
      "# POWER5-class machine: the defaults every other config builds on. Every key\n"
      "# is optional; a missing one keeps the default shown here. Reference:\n"
      "# sim/platform/README.md, \"Machine configs\".\n"
      "# Written from sim/platform/machine_params.def (and cache_coherence/params.def)\n"
      "# by `cmake --build build --target config-docs`: edit the table, not this file.\n";
  std::vector<std::string> open;  // the maps the previous key was in
  for (const MachineParam& p : machine_params()) {
    std::vector<std::string> parts = split(p.key);
    size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    for (size_t k = common; k + 1 < parts.size(); ++k) out += std::string(2 * k, ' ') + parts[k] + ":\n";
    open.assign(parts.begin(), parts.end() - 1);
    std::string line = std::string(2 * open.size(), ' ') + parts.back() + ": " + value_text(p, defaults);
    std::string unit = p.unit.empty() ? "" : std::string(p.unit) + "; ";
    out += fmt::format("{:<34}# {} ({}{})\n", line, p.description, unit, range_text(p, defaults));
  }
  return out;
}

std::string machine_config_reference() {
  MachineConfig defaults;
  std::string out = "| key | default | unit | range | what |\n|---|---|---|---|---|\n";
  for (const MachineParam& p : machine_params())
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", p.key, value_text(p, defaults), p.unit, range_text(p, defaults),
                       p.description);
  return out;
}

}  // namespace dusim
