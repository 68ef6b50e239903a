#include "report/report_paths.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

#include "common/nearest.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

// One key of report.json: a value, a section of named keys, a list of
// alike elements, or a section whose keys the scenario or the guest chooses.
struct Field;
struct Key {
  enum Kind { Value, Section, List, Named } kind = Value;
  std::string doc;
  std::vector<Field> fields;  // Section, in report order (a vector of a struct, not of a
                              // std::pair, which may not hold the incomplete Key)
  std::shared_ptr<Key> element;  // List; Named: each entry
  const Key* field(const std::string& k) const;
  std::vector<std::string> field_names() const;
};
struct Field {
  std::string name;
  Key key;
};

const Key* Key::field(const std::string& k) const {
  for (const auto& [name, key] : fields)
    if (name == k) return &key;
  return nullptr;
}
std::vector<std::string> Key::field_names() const {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

Key value(std::string doc) { return Key{Key::Value, std::move(doc), {}, nullptr}; }
Key section(std::string doc, std::vector<Field> fields) {
  return Key{Key::Section, std::move(doc), std::move(fields), nullptr};
}
Key list(std::string doc, Key element) { return Key{Key::List, std::move(doc), {}, std::make_shared<Key>(std::move(element))}; }
Key named(std::string doc, Key entry) { return Key{Key::Named, std::move(doc), {}, std::make_shared<Key>(std::move(entry))}; }

Key traffic(const std::string& what) {
  return section(what, {{"instructions", value("instructions executed " + what)},
                        {"misses", value("L1 misses " + what)},
                        {"invalidations", value("invalidations received " + what)},
                        {"c2c_transfers", value("cache-to-cache transfers " + what)},
                        {"bus_transactions", value("bus transactions issued " + what)},
                        {"bus_wait_cycles", value("cycles stalled waiting for the bus to be free (contention) " + what)}});
}

Key coherence_window(const std::string& when) {
  Key per_cpu = traffic("by this CPU, " + when);
  per_cpu.fields.insert(per_cpu.fields.begin(), {"cpu", value("the CPU")});
  return section("coherence traffic " + when,
                 {{"start_ns", value("start of the window " + when + " (ns)")},
                  {"end_ns", value("end of the window " + when + " (ns)")},
                  {"total", traffic("by all CPUs, " + when)},
                  {"per_us", traffic("per microsecond by all CPUs, " + when)},
                  {"per_cpu", list("per CPU", per_cpu)}});
}

// A program's latency of `what` before, during and after the updates.
Key program_latency(const std::string& what) {
  std::vector<Field> windows;
  for (const auto& [key, when] : {std::pair<const char*, std::string>{"before", "before the first update"},
                                  {"during", "during the updates"},
                                  {"after", "after the last update"}})
    windows.push_back({key, section("latency " + when, {{"count", value("events " + when)},
                                                         {"p50_cycles", value("median " + when + " (cycles)")},
                                                         {"p99_cycles", value("99th percentile " + when + " (cycles)")},
                                                         {"max_cycles", value("longest " + when + " (cycles)")}})});
  return section(what + " latency per window", windows);
}

// The report as the builders write it (tools/README.md, "Report keys").
const Key& report_keys() {
  static const Key root = section("report.json", {
      {"scenario", value("the scenario's name")},
      {"description", value("the scenario's description")},
      {"seed", value("the seed passed to the guest")},
      {"machine", section("the machine", {{"config", value("the machine config's name")},
                                         {"cpus", value("number of CPUs")},
                                         {"clock_hz", value("core clock (Hz)")},
                                         {"quantum_cycles", value("temporal-decoupling quantum (cycles)")},
                                         {"sync_policy", value("how CPUs synchronize: ordered (interacting accesses in simulated-time order) or quantum (at quantum boundaries only)")},
                                         {"ipi_latency_cycles", value("cycles from an IPI's send to its arrival; with ordered, also the interrupt lookahead")},
                                         {"caches", value("whether the cache model is on")},
                                         {"protocol", value("coherence protocol")},
                                         {"overrides", list("machine overrides: the scenario's set:, then the command line's --set and --cpus",
                                                            value("a KEY=VALUE override"))}})},
      {"run", section("how the run ended", {{"outcome", value("how the run ended: powered_off, time_limit, fault or interrupted (SIGINT or SIGTERM: the report covers the run up to end_ns)")},
                                           {"duration_ns", value("the scenario's duration (ns)")},
                                           {"end_ns", value("simulated time at the end (ns)")},
                                           {"exit_code", value("the guest's exit code")},
                                           {"events", value("events in the log")},
                                           {"fault", value("the fault report")}})},
      {"updates", list("the updates, in delivery order",
                       section("one update",
                               {{"name", value("the update's name")},
                                {"module", value("the module's source, as the scenario names it (revert: NAME, commit: NAME)")},
                                {"action", value("what the update does: module (load it), revert or commit (an earlier update)")},
                                {"target", value("the update it reverts or commits (null for a module)")},
                                {"expected", value("the expected outcome")},
                                {"requested_ns", value("when the module reached the mailbox (ns)")},
                                {"reason_code", value("0 when applied, else why it was aborted or rejected")},
                                {"status", value("the update's status: not_received, received, loaded, applied, aborted or rejected")},
                                {"completed_ns", value("when the update ended (ns)")},
                                {"latency_ns", value("time from the module's delivery to the update's end (ns)")},
                                {"phases", list("the update's phases",
                                                section("one phase on one CPU", {{"name", value("the phase")},
                                                                                 {"cpu", value("its CPU")},
                                                                                 {"object", value("its object")},
                                                                                 {"start_ns", value("its start (ns)")},
                                                                                 {"end_ns", value("its end (ns)")}}))},
                                {"blocked_calls", section("calls held by the mediator",
                                                          {{"count", value("calls held by the mediator")},
                                                           {"max_ns", value("the longest time a call was held (ns)")},
                                                           {"p50_ns", value("the median time a call was held (ns)")},
                                                           {"p99_ns", value("the 99th percentile of the time a call was held (ns)")}})},
                                {"swaps", section("the hot swaps of single objects",
                                                  {{"count", value("objects hot-swapped (each from INTERPOSE to DESTROY)")},
                                                   {"max_ns", value("the longest single object's swap (ns)")},
                                                   {"p50_ns", value("the median single object's swap (ns)")}})},
                                {"state_transfers", section("state transfers", {{"count", value("state transfers")},
                                                                                {"bytes", value("bytes copied by state transfers")}})},
                                {"objects_swapped", value("objects the update swapped")},
                                {"factories_swapped", value("factories the update swapped")},
                                {"version_check", section("the version check", {{"running", value("the running version")},
                                                                                {"new", value("the new version")},
                                                                                {"accepted", value("whether the new version was accepted")}})},
                                {"factory_swap", section("the factory swap", {{"old_version", value("the old factory's version")},
                                                                              {"new_version", value("the new factory's version")},
                                                                              {"instances", value("instances the factory had")},
                                                                              {"at_ns", value("when the factory reference moved (ns)")}})},
                                {"modules_unloaded", list("modules this update unloaded (their code, data and stubs freed)",
                                                          section("one unloaded module",
                                                                  {{"module_seq", value("the delivery number of the update that loaded it")},
                                                                   {"module", value("that update's name (null: not one of the scenario's)")},
                                                                   {"bytes", value("the module's size (bytes)")},
                                                                   {"at_ns", value("when it was freed (ns)")}}))},
                                {"lazy", section("a lazy class update's conversions (each instance after its next call)",
                                                 {{"armed", value("instances marked for conversion (null until done)")},
                                                  {"converted", value("instances converted")},
                                                  {"first_ns", value("the first conversion (ns)")},
                                                  {"p50_ns", value("when half of them had converted (ns)")},
                                                  {"last_ns", value("the last conversion (ns)")},
                                                  {"done_ns", value("when none was left to convert (ns; null: never)")}})}}))},
      {"coherence", section("coherence traffic per window", {{"before", coherence_window("before the first update")},
                                                             {"during", coherence_window("during the updates")},
                                                             {"after", coherence_window("after the last update")}})},
      {"objects", list("traffic per guest object (address range)",
                       section("one guest object", {{"name", value("the object's name")},
                                                    {"base", value("its address")},
                                                    {"size", value("its size (bytes)")},
                                                    {"misses", value("cache misses on the object")},
                                                    {"invalidations", value("invalidations of the object's lines")},
                                                    {"c2c_transfers", value("cache-to-cache transfers of the object's lines")},
                                                    {"upgrades", value("upgrades of the object's lines")},
                                                    {"writebacks", value("writebacks of the object's lines")},
                                                    {"stall_cycles", value("CPU stall cycles on accesses to the object")}}))},
      {"programs", list("the programs the guest ran as processes (only when the scenario has programs)",
                        section("one program", {
                            {"name", value("its name (its file in the initial image)")},
                            {"from", value("its source or file, as the scenario names it")},
                            {"cpu", value("the CPU of its first thread")},
                            {"start_ns", value("when it started (ns)")},
                            {"end_ns", value("when its last thread ended (ns; null: still running at the end)")},
                            {"finished", value("whether it ended before the run did")},
                            {"exit_status", value("its exit status (128 + signal when killed)")},
                            {"expected_exit", value("the exit status the scenario expects")},
                            {"as_expected", value("it ended with the expected status")},
                            {"threads", value("threads it ran")},
                            {"system_calls", value("system calls it made")},
                            {"page_faults", value("page faults served for it")},
                            {"output_bytes", value("bytes it wrote to standard output and error")},
                            {"output_digest", value("FNV-1a digest of that output (low 52 bits)")},
                            {"syscall_sample", value("every how-many-th call is timed")},
                            {"syscall_latency", program_latency("system-call")},
                            {"fault_latency", program_latency("page-fault")},
                            {"faults_refused", value("page faults no area covered (the process was killed)")},
                            {"held_calls", section("its threads' calls held by a mediator", {
                                {"count", value("calls held")},
                                {"total_cycles", value("cycles they were held, in all")},
                                {"max_cycles", value("the longest hold (cycles)")}})},
                            {"killed", section("how it was killed (null: it was not)", {
                                {"signal", value("the signal")},
                                {"pc", value("where")},
                                {"address", value("the faulting data address")}})}}))},
      {"metrics", named("the scenario's metrics", value("a scenario metric"))},
      {"metric_definitions",
       named("what each metric is", section("one metric's definition",
                                            {{"op", value("the operation")},
                                             {"event", value("the event")},
                                             {"argument", value("the event's argument")},
                                             {"window", value("the window")},
                                             {"where", named("required argument values", value("a required value"))},
                                             {"unit", value("the unit")},
                                             {"meaning", value("the metric in words")},
                                             {"from_ns", value("the window's start (ns)")},
                                             {"to_ns", value("the window's end (ns)")}}))},
  });
  return root;
}

bool is_number(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (size_t k = 0; k < names.size() && k < 12; ++k) s += (k ? ", " : "") + names[k];
  if (names.size() > 12) s += ", ...";
  return s;
}

// The element of `list` (updates[] or objects[]) named or numbered `text`.
const json* element_of(const json& list, const std::string& text) {
  if (!list.is_array()) return nullptr;
  if (is_number(text)) {
    size_t i = std::strtoul(text.c_str(), nullptr, 10);
    return i < list.size() ? &list[i] : nullptr;
  }
  for (const json& e : list)
    if (e.is_object() && e.contains("name") && e["name"].is_string() && e["name"].get<std::string>() == text) return &e;
  return nullptr;
}

void leaves(const Key& k, const std::string& at, std::vector<std::string>& out) {
  switch (k.kind) {
    case Key::Value:
      out.push_back(at);
      break;
    case Key::Section:
      for (const auto& [name, f] : k.fields) leaves(f, at.empty() ? name : at + "." + name, out);
      break;
    case Key::List:
      leaves(*k.element, at + "[]", out);
      break;
    case Key::Named:
      leaves(*k.element, at + ".{name}", out);
      break;
  }
}

}  // namespace

std::optional<std::vector<PathStep>> split_path(const std::string& path) {
  std::vector<PathStep> steps;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t end = path.find(']', i);
      if (end == std::string::npos || end == i + 1) return std::nullopt;
      steps.push_back({true, path.substr(i + 1, end - i - 1)});
      i = end + 1;
      continue;
    }
    if (path[i] == '.') {
      if (steps.empty() || i + 1 >= path.size() || path[i + 1] == '.' || path[i + 1] == '[') return std::nullopt;
      ++i;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == i) return std::nullopt;
    steps.push_back({false, path.substr(i, end == std::string::npos ? std::string::npos : end - i)});
    i = end == std::string::npos ? path.size() : end;
  }
  if (steps.empty() || steps[0].index) return std::nullopt;
  return steps;
}

const json* lookup_path(const json& report, const std::string& path) {
  auto steps = split_path(path);
  if (!steps) return nullptr;
  const json* cur = &report;
  for (const PathStep& s : *steps) {
    if (s.index) {
      cur = element_of(*cur, s.text);
    } else {
      if (!cur->is_object() || !cur->contains(s.text)) return nullptr;
      cur = &(*cur)[s.text];
    }
    if (!cur) return nullptr;
  }
  return cur;
}

std::string unknown_report_path(const std::string& path, const scenario::Scenario& s) {
  auto steps = split_path(path);
  if (!steps) return "'" + path + "' is not a report path (KEY.KEY[INDEX].KEY)";
  const Key* k = &report_keys();
  std::string at;
  for (size_t n = 0; n < steps->size(); ++n) {
    const PathStep& st = (*steps)[n];
    const std::string here = at.empty() ? st.text : at + (st.index ? "[" + st.text + "]" : "." + st.text);
    if (n == 0 && (st.text == "checks" || st.text == "host"))
      return "'" + st.text + "' is not available to checks (it is written after them)";
    switch (k->kind) {
      case Key::Value:
        return "'" + at + "' is a value; it has no '" + st.text + "'";
      case Key::Section: {
        if (st.index) return "'" + at + "' is not a list";
        const Key* f = k->field(st.text);
        if (!f) {
          std::vector<std::string> names = k->field_names();
          return "the report has no '" + here + "'" + tools::did_you_mean(st.text, names) + " (" +
                 (at.empty() ? std::string("top-level keys") : "keys of " + at) + ": " + quoted_list(names) + ")";
        }
        k = f;
        break;
      }
      case Key::List: {
        if (!st.index) return "'" + at + "' is a list: name an element, e.g. " + at + "[0]";
        if (at == "updates" || at == "programs") {
          const bool up = at == "updates";
          std::vector<std::string> names;
          if (up)
            for (const scenario::Update& u : s.updates) names.push_back(u.name);
          else
            for (const scenario::Program& p : s.programs) names.push_back(p.name);
          const std::string what = up ? "update" : "program";
          if (is_number(st.text)) {
            if (std::strtoul(st.text.c_str(), nullptr, 10) >= names.size())
              return "the scenario has " + std::to_string(names.size()) + " " + what + "(s): " + here + " will not exist";
          } else if (std::find(names.begin(), names.end(), st.text) == names.end()) {
            return "the scenario has no " + what + " '" + st.text + "'" + tools::did_you_mean(st.text, names) +
                   " (" + what + "s: " + quoted_list(names) + ")";
          }
        } else if (at.size() >= 7 && at.compare(at.size() - 7, 7, "per_cpu") == 0) {
          if (!is_number(st.text)) return "name a CPU by its number: " + at + "[0]";
          if (std::strtoul(st.text.c_str(), nullptr, 10) >= s.machine.cpus)
            return "the machine has " + std::to_string(s.machine.cpus) + " CPUs: " + here + " will not exist";
        } else if (at != "objects" && !is_number(st.text)) {
          return "name an element of " + at + " by its number";
        }
        k = k->element.get();
        break;
      }
      case Key::Named: {
        if (st.index) return "'" + at + "' is not a list: write " + at + ".NAME";
        if (at == "metrics" || at == "metric_definitions") {
          std::vector<std::string> names;
          for (const scenario::Metric& m : s.metrics) names.push_back(m.name);
          if (std::find(names.begin(), names.end(), st.text) == names.end())
            return "the scenario defines no metric '" + st.text + "'" + tools::did_you_mean(st.text, names) +
                   (names.empty() ? std::string(" (it has no metrics)") : " (metrics: " + quoted_list(names) + ")");
        }
        k = k->element.get();
        break;
      }
    }
    at = here;
  }
  if (k->kind == Key::Section)
    return "'" + path + "' is a section, not a value: name one of its keys (" + quoted_list(k->field_names()) + ")";
  if (k->kind != Key::Value) return "'" + path + "' is a collection, not a value: name one of its elements";
  return "";
}

std::string report_path_meaning(const std::string& path, const json& report) {
  auto steps = split_path(path);
  if (!steps) return "";
  if ((*steps)[0].text == "metrics" && steps->size() == 2) {
    const json* m = lookup_path(report, "metric_definitions." + (*steps)[1].text + ".meaning");
    return m && m->is_string() ? m->get<std::string>() : "";
  }
  const Key* k = &report_keys();
  std::string prefix;
  const json* cur = &report;
  for (const PathStep& st : *steps) {
    if (k->kind == Key::Section && !st.index) {
      k = k->field(st.text);
    } else if ((k->kind == Key::List && st.index) || (k->kind == Key::Named && !st.index)) {
      k = k->element.get();
    } else {
      return "";
    }
    if (!k) return "";
    if (cur) cur = st.index ? element_of(*cur, st.text) : (cur->is_object() && cur->contains(st.text) ? &(*cur)[st.text] : nullptr);
    if (st.index && cur && cur->is_object() && cur->contains("name") && cur->at("name").is_string())
      prefix = std::string((*steps)[0].text == "updates"    ? "update "
                           : (*steps)[0].text == "programs" ? "program "
                                                            : "object ") +
               cur->at("name").get<std::string>() + ": ";
  }
  return k->kind == Key::Value ? prefix + k->doc : "";
}

std::vector<std::string> declared_leaf_paths() {
  std::vector<std::string> out;
  leaves(report_keys(), "", out);
  return out;
}

}  // namespace dusim::report
