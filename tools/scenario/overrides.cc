#include "scenario/overrides.h"

#include <cctype>

#include "common/nearest.h"
#include "config/yaml_reader.h"

namespace dusim::scenario {

namespace {

bool is_machine_key(const std::string& key) {
  return key.rfind("machine.", 0) == 0 || key.rfind("caches.", 0) == 0 || key.rfind("latency.", 0) == 0;
}

// `text` is the whole --set KEY=VALUE.
[[noreturn]] void refuse(const std::string& text, const std::string& why) { throw YamlError("--set " + text + ": " + why); }

// "<prefix><i>.<rest>" -> i and rest.
std::pair<size_t, std::string> indexed(const std::string& key, size_t prefix, const std::string& text, const char* form) {
  size_t dot = key.find('.', prefix);
  if (dot == std::string::npos) refuse(text, std::string("expected ") + form);
  return {std::stoul(key.substr(prefix, dot - prefix)), key.substr(dot + 1)};
}

// One scenario-level override (not the machine's).
void apply_scenario_key(Scenario& s, const std::string& key, const std::string& value, const std::string& text) {
  auto bad = [&](const std::string& why) { refuse(text, why); };
  try {
    if (key == "seed") s.seed = std::stoull(value);
    else if (key == "kernel") s.kernel = value;
    else if (key == "duration_ms") s.duration_ns = ms_to_ns(std::stod(value));
    else if (key == "sample_us") {
      uint64_t us = std::stoull(value);
      if (us < 1 || us > 1'000'000) bad("sample_us must be 1..1000000");
      s.sample_ns = us * 1000;
    } else if (key.rfind("workloads.", 0) == 0) {
      auto [i, param] = indexed(key, 10, text, "workloads.<index>.<param>");
      if (i >= s.workloads.size()) bad("there is no workload " + std::to_string(i));
      if (param == "cpus") s.workloads[i].cpus = value;
      else s.workloads[i].params[param] = value;
    } else if (key.rfind("updates.", 0) == 0) {
      auto [i, field] = indexed(key, 8, text, "updates.<index>.at_ms");
      if (i >= s.updates.size()) bad("there is no update " + std::to_string(i));
      if (field != "at_ms") bad("only at_ms can be overridden for an update");
      s.updates[i].at_ns = ms_to_ns(std::stod(value));
    } else {
      std::vector<std::string> known = scenario_override_keys();
      for (const char* m : {"machine.cpus", "machine.quantum_cycles", "caches.protocol"}) known.push_back(m);
      bad("unknown key '" + key + "'" + tools::did_you_mean(key, known) +
          " (scenario keys: seed, duration_ms, sample_us, kernel, workloads.<i>.<param>, updates.<i>.at_ms; machine keys start "
          "with machine., caches. or latency.)");
    }
  } catch (const std::logic_error&) {  // stoul/stoull/stod
    bad("'" + value + "' is not a number");
  }
}

}  // namespace

std::vector<std::string> scenario_override_keys() {
  return {"seed", "duration_ms", "sample_us", "kernel", "workloads.<i>.<param>", "workloads.<i>.cpus", "updates.<i>.at_ms"};
}

std::string override_label(const std::string& key, const std::string& value) {
  size_t dot = key.rfind('.');
  std::string k = dot == std::string::npos ? key : key.substr(dot + 1);
  size_t slash = value.rfind('/');
  std::string v = slash == std::string::npos ? value : value.substr(slash + 1);
  std::string out = k + "-" + v;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '-';
  return out;
}

void apply_overrides(Scenario& s, const std::vector<std::string>& overrides) {
  std::vector<std::string> machine_sets = s.machine_overrides;
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos) throw YamlError("--set " + o + ": expected KEY=VALUE");
    std::string key = o.substr(0, eq);
    if (is_machine_key(key)) machine_sets.push_back(o);
    else apply_scenario_key(s, key, o.substr(eq + 1), o);
  }
  apply_machine_overrides(s.machine, machine_sets);
}

}  // namespace dusim::scenario
