#include "scenario/overrides.h"

#include <cctype>
#include <charconv>
#include <optional>

#include "common/nearest.h"
#include "config/yaml_reader.h"

namespace dusim::scenario {

namespace {

bool is_machine_key(const std::string& key) {
  return key.rfind("machine.", 0) == 0 || key.rfind("caches.", 0) == 0 || key.rfind("latency.", 0) == 0 ||
         key.rfind("mmu.", 0) == 0;
}

// `text` is the whole --set KEY=VALUE.
[[noreturn]] void refuse(const std::string& text, const std::string& why) { throw YamlError("--set " + escaped(text) + ": " + why); }

// "--set TEXT: key 'KEY': ", as a scenario file's errors name their key.
std::string where(const std::string& text, const std::string& key) { return "--set " + escaped(text) + ": key '" + escaped(key) + "': "; }

// The whole of `text` as a number, or nullopt (no sign, space or trailing characters).
std::optional<uint64_t> whole(const std::string& text) {
  uint64_t v;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}
std::optional<double> number(const std::string& text) {
  double v;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// "workloads.<i>.<rest>": the workload or update i of `count` and rest.
std::pair<size_t, std::string> indexed(const std::string& key, size_t prefix, size_t count, const std::string& text,
                                       const char* form, const char* noun) {
  size_t dot = key.find('.', prefix);
  if (dot == std::string::npos || dot + 1 == key.size()) refuse(text, std::string("expected ") + form);
  const std::string index = key.substr(prefix, dot - prefix);
  std::optional<uint64_t> i = whole(index);
  if (!i || *i >= count) {
    std::string have = count == 0 ? "none" : count == 1 ? "1: 0" : std::to_string(count) + ": 0-" + std::to_string(count - 1);
    throw YamlError(where(text, key) + "'" + index + "' is not " + noun + "'s index (the scenario has " + have + ")");
  }
  return {size_t(*i), key.substr(dot + 1)};
}

// A time in ms for `key`.
uint64_t time_of(const std::string& value, const std::string& key, const std::string& text) {
  std::optional<double> ms = number(value);
  std::optional<uint64_t> ns = ms ? time_ns(*ms, 1e6) : std::nullopt;
  if (!ns) throw YamlError(where(text, key) + expected_time(key) + ", got '" + value + "'");
  return *ns;
}

// One scenario-level override (not the machine's).
void apply_scenario_key(Scenario& s, const std::string& key, const std::string& value, const std::string& text) {
  auto whole_in = [&](uint64_t lo, uint64_t hi) {
    std::optional<uint64_t> v = whole(value);
    if (!v || *v < lo || *v > hi)
      throw YamlError(where(text, key) + "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                      ", got '" + value + "'");
    return *v;
  };
  if (key == "seed") {
    s.seed = whole_in(0, ~uint64_t(0) >> 1);
  } else if (key == "kernel") {
    s.kernel = value, s.kernel_where = where(text, key);
  } else if (key == "duration_ms") {
    s.duration_ns = time_of(value, key, text);
    if (s.duration_ns == 0) throw YamlError(where(text, key) + "the run must last longer than 0");
  } else if (key == "sample_us") {
    s.sample_ns = whole_in(1, 1'000'000) * 1000;
  } else if (key.rfind("workloads.", 0) == 0) {
    auto [i, param] = indexed(key, 10, s.workloads.size(), text, "workloads.<index>.<param>", "a workload");
    Workload& w = s.workloads[i];
    if (param == "cpus") w.cpus = value;
    else w.params[param] = value;
    w.where[param] = where(text, key);  // checked with the rest (scenario/workloads.h)
  } else if (key.rfind("updates.", 0) == 0) {
    auto [i, field] = indexed(key, 8, s.updates.size(), text, "updates.<index>.at_ms", "an update");
    if (field != "at_ms") throw YamlError(where(text, key) + "only at_ms can be overridden for an update");
    s.updates[i].at_ns = time_of(value, key, text);
  } else if (key.rfind("guest_args.", 0) == 0 && key.size() > 11) {
    // One boot argument (replacing the scenario's own value of it), e.g.
    // guest_args.mmu=on; the value is checked with the rest of guest_args.
    std::string arg = key.substr(11);
    std::string entry = arg + "=" + value;
    bool replaced = false;
    for (std::string& a : s.guest_args)
      if (a.rfind(arg + "=", 0) == 0) a = entry, replaced = true;
    if (!replaced) s.guest_args.push_back(entry);
  } else {
    std::vector<std::string> known = scenario_override_keys();
    for (const char* m : {"machine.cpus", "machine.quantum_cycles", "caches.protocol"}) known.push_back(m);
    refuse(text, "unknown key '" + key + "'" + tools::did_you_mean(key, known) +
                     " (scenario keys: seed, duration_ms, sample_us, kernel, workloads.<i>.<param>, updates.<i>.at_ms, guest_args.<key>; machine keys "
                     "start with machine., caches., latency. or mmu.)");
  }
}

}  // namespace

std::vector<std::string> scenario_override_keys() {
  return {"seed",      "duration_ms", "sample_us", "kernel", "workloads.<i>.<param>", "workloads.<i>.cpus", "updates.<i>.at_ms",
          "guest_args.<key>"};
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
    if (eq == std::string::npos || eq == 0) refuse(o, "expected KEY=VALUE");
    std::string key = o.substr(0, eq);
    if (const char* c = forbidden_character(o)) throw YamlError(where(o, key) + c + " cannot be part of a --set");
    if (is_machine_key(key)) machine_sets.push_back(o);
    else apply_scenario_key(s, key, o.substr(eq + 1), o);
  }
  apply_machine_overrides(s.machine, machine_sets);
  // report.json's machine section lists them all: the scenario's, then the command line's.
  s.machine_overrides = machine_sets;
}

}  // namespace dusim::scenario
