// Reading a scenario file: one function per section, each checking what it
// reads (file:line:column: key in every error) and resolving names once.
#include <algorithm>
#include <filesystem>

#include "common/boot_args.h"
#include "common/nearest.h"
#include "config/yaml_reader.h"
#include "platform/event_catalog.h"
#include "report/checks.h"
#include "report/event_args.h"
#include "scenario/overrides.h"
#include "scenario/scenario.h"
#include "scenario/workloads.h"

namespace dusim::scenario {

namespace fs = std::filesystem;

namespace {

// Paths in a scenario are relative to its file.
struct Resolver {
  fs::path dir;
  std::string operator()(const std::string& p) const {
    return fs::path(p).is_absolute() ? p : (dir / p).lexically_normal().string();
  }
};

// A time given as at_ms / at_us / at_ns (exactly one), within 0..kMaxTimeNs.
uint64_t read_time(YamlMap& m, const std::string& stem, bool required) {
  int given = 0;
  uint64_t ns = 0;
  for (const auto& [suffix, unit_ns] : {std::pair<const char*, double>{"_ms", 1e6}, {"_us", 1e3}}) {
    const std::string key = stem + suffix;
    if (!m.has(key)) continue;
    ++given;
    std::optional<uint64_t> t = time_ns(m.get<double>(key, 0), unit_ns);
    if (!t) m.fail(key, expected_time(key) + ", got '" + m.raw(key).Scalar() + "'");
    ns = *t;
  }
  if (m.has(stem + "_ns")) ++given, ns = m.get_uint(stem + "_ns", 0, 0, kMaxTimeNs);
  if (given > 1) m.fail(stem + "_ms", "give the time once (" + stem + "_ms, " + stem + "_us or " + stem + "_ns)");
  if (!given && required) m.fail(stem + "_ms", "missing: give " + stem + "_ms, " + stem + "_us or " + stem + "_ns");
  return ns;
}

// "file:line:column: key 'PATH.key': " of `key`'s value in `m`.
std::string where_of(const YamlMap& m, const std::string& key, const YAML::Node& value) {
  return yaml_where(m.file(), value.Mark(), m.key_path(key));
}

// The value of `key` in `m`, which must be a single value (not a list or mapping).
std::string scalar_text(const YAML::Node& value, YamlMap& m, const std::string& key) {
  if (!value.IsScalar()) m.fail(key, "expected a single value");
  return value.Scalar();
}

// The two shapes of a scenario's collections. Both do nothing when `key` is
// absent or null, and return whether it was given.
//
// A list: read(item, index) for each item.
template <class Read>
bool each_item(YamlMap& parent, const std::string& key, const std::string& not_a_list, Read read) {
  YAML::Node n = parent.raw(key);
  if (!n.IsDefined() || n.IsNull()) return false;
  if (!n.IsSequence()) parent.fail(key, not_a_list);
  for (size_t i = 0; i < n.size(); ++i) read(n[i], i);
  return true;
}

// A mapping: read(map, key, value) for each entry, `map` being the mapping
// itself (for map.map(key), map.get_uint(key, ...), errors at the key).
template <class Read>
bool each_entry(YamlMap& parent, const std::string& key, const std::string& not_a_map, Read read) {
  YAML::Node n = parent.raw(key);
  if (!n.IsDefined() || n.IsNull()) return false;
  if (!n.IsMap()) parent.fail(key, not_a_map);
  YamlMap m(n, parent.file(), parent.key_path(key));
  for (const auto& kv : n) read(m, kv.first.as<std::string>(), kv.second);
  return true;
}

// KEY=VALUE for each entry of a mapping of single values; `boot_args`:
// each must be one boot argument.
void read_assignments(YamlMap& parent, const std::string& key, const std::string& not_a_map, std::vector<std::string>& out,
                      bool boot_args = false) {
  each_entry(parent, key, not_a_map, [&](YamlMap& m, const std::string& k, const YAML::Node& v) {
    const std::string value = scalar_text(v, m, k);
    if (std::string p = tools::boot_arg_problem(k, value); boot_args && !p.empty())
      throw YamlError(where_of(m, k, v) + p);
    out.push_back(k + "=" + value);
  });
}

const char* const kMapping = "expected a mapping of keys";

// An item of a list: its own mapping, named KEY[i] in errors.
YamlMap item_map(const YamlMap& parent, const std::string& key, const YAML::Node& item, size_t i) {
  return YamlMap(item, parent.file(), parent.key_path(key) + "[" + std::to_string(i) + "]");
}

// A config is a path relative to the scenario; a bare file name that is not
// beside the scenario names one of the configs dusim ships (configs/), so a
// scenario written outside the repository can say `config: power5-4cpu.yaml`.
std::string machine_config_path(YamlMap& m, const Resolver& resolve, const std::string& cfg) {
  std::error_code ec;  // a name the file system refuses (too long, say) is simply not there
  if (fs::exists(resolve(cfg), ec)) return resolve(cfg);
  fs::path shipped = fs::path(DUSIM_SOURCE_DIR) / "configs" / cfg;
  if (cfg.find('/') == std::string::npos && fs::exists(shipped, ec)) return shipped.string();
  std::vector<std::string> names;
  for (const auto& f : fs::directory_iterator(fs::path(DUSIM_SOURCE_DIR) / "configs"))
    if (f.path().extension() == ".yaml") names.push_back(f.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  m.fail("config", "no such file: " + resolve(cfg) + tools::did_you_mean(fs::path(cfg).filename().string(), names) +
                       " (a bare name may also be one of dusim's configs/: " + list + ")");
}

void read_machine(YamlMap& top, const Resolver& resolve, Scenario& s) {
  YamlMap m = top.map("machine");
  std::string cfg = m.get<std::string>("config", "");
  if (cfg.empty()) m.fail("config", "missing: name a machine config, e.g. ../configs/power5-4cpu.yaml or power5-4cpu.yaml");
  s.machine = load_machine_config(machine_config_path(m, resolve, cfg));
  read_assignments(m, "set", kMapping, s.machine_overrides);
  m.finish();
}

// Its values are checked once the overrides are applied (scenario/workloads.h).
Workload read_workload(YamlMap w) {
  Workload out;
  out.kind = w.get<std::string>("kind", "");
  if (out.kind.empty()) w.fail("kind", "missing: every workload needs a kind");
  out.where["kind"] = where_of(w, "kind", w.raw("kind"));
  YAML::Node cpus = w.raw("cpus");
  if (cpus.IsDefined() && !cpus.IsNull()) out.cpus = scalar_text(cpus, w, "cpus"), out.where["cpus"] = where_of(w, "cpus", cpus);
  each_entry(w, "params", kMapping, [&](YamlMap& m, const std::string& k, const YAML::Node& v) {
    out.params[k] = scalar_text(v, m, k);
    out.where[k] = where_of(m, k, v);
  });
  w.finish();
  return out;
}

// revert: NAME / commit: NAME: an earlier update that loads a module.
void read_target(YamlMap& m, const std::vector<Update>& earlier, Update& up) {
  for (const auto& [action, key] : {std::pair{Action::Revert, "revert"}, std::pair{Action::Commit, "commit"}}) {
    if (!m.has(key)) continue;
    if (up.action != Action::Module || m.has("module"))
      m.fail(key, "an update has exactly one of module, revert and commit");
    up.action = action;
    std::string name = m.get<std::string>(key, "");
    std::vector<std::string> names;
    for (size_t k = 0; k < earlier.size(); ++k) {
      if (earlier[k].name == name) up.target = int(k);
      if (earlier[k].action == Action::Module) names.push_back(earlier[k].name);
    }
    if (up.target < 0)
      m.fail(key, "no earlier update is called '" + name + "'" + tools::did_you_mean(name, names) +
                      " (it names an update listed before it)");
    const Update& t = earlier[size_t(up.target)];
    if (t.action != Action::Module) m.fail(key, "'" + name + "' loads no module: only a module's update can be " + key + "ed");
    if (up.at_ns <= t.at_ns) m.fail(key, "'" + name + "' must be delivered before its " + key + " (at an earlier time)");
    up.module_as_written = std::string(key) + ": " + name;
  }
}

Update read_update(YamlMap m, size_t index, const Resolver& resolve, const std::vector<Update>& earlier) {
  Update up;
  up.name = m.get<std::string>("name", "update" + std::to_string(index));
  // Checks and windows name updates as updates[NAME] and after:NAME.
  if (up.name.empty() || up.name.find_first_of("[]:,") != std::string::npos)
    m.fail("name", "an update's name must be non-empty and without [ ] : or ,");
  up.at_ns = read_time(m, "at", true);
  read_target(m, earlier, up);
  if (up.action == Action::Module) {
    up.module = m.get<std::string>("module", "");
    if (up.module.empty()) m.fail("module", "missing: the update module's C++ source (or revert: NAME, commit: NAME)");
    up.module_as_written = up.module;
    up.module = resolve(up.module);
    std::error_code ec;
    if (!fs::exists(up.module, ec))
      m.fail("module", ec ? "cannot use " + up.module + ": " + ec.message() : "no such file: " + up.module);
  }
  up.cpu = unsigned(m.get_uint("cpu", 0, 0, 63));
  std::optional<Expect> expect = from_name(kExpects, m.get<std::string>("expect", "applied"));
  if (!expect) m.fail("expect", "expected " + names_of(kExpects, " or "));
  up.expect = *expect;
  each_item(m, "cxxflags", "expected a list of compiler flags, e.g. [-O3]", [&](const YAML::Node& x, size_t i) {
    if (!x.IsScalar()) throw YamlError(yaml_where(m.file(), x.Mark(), m.key_path("cxxflags") + "[" + std::to_string(i) + "]") +
                                       "expected a single value");
    up.cxxflags.push_back(x.Scalar());
  });
  m.finish();
  return up;
}

// A list of single values under `key` (args, cflags).
std::vector<std::string> read_scalars(YamlMap& m, const std::string& key, const std::string& not_a_list) {
  std::vector<std::string> out;
  each_item(m, key, not_a_list, [&](const YAML::Node& x, size_t i) {
    if (!x.IsScalar())
      throw YamlError(yaml_where(m.file(), x.Mark(), m.key_path(key) + "[" + std::to_string(i) + "]") + "expected a single value");
    out.push_back(x.Scalar());
  });
  return out;
}

Program read_program(YamlMap m, const Resolver& resolve) {
  Program p;
  const bool has_source = m.has("source"), has_file = m.has("file");
  if (has_source == has_file) m.fail(has_file ? "file" : "source", "a program has exactly one of source (C or C++ to build) and file (an executable)");
  const std::string key = has_source ? "source" : "file";
  p.as_written = m.get<std::string>(key, "");
  if (p.as_written.empty()) m.fail(key, "expected a path");
  std::string path = resolve(p.as_written);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) m.fail(key, ec ? "cannot use " + path + ": " + ec.message() : "no such file: " + path);
  (has_source ? p.source : p.file) = path;
  p.name = m.get<std::string>("name", fs::path(path).stem().string());
  if (p.name.empty() || p.name.size() > 60 || p.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") != std::string::npos)
    m.fail("name", "a program's name is its file name in the initial image: 1-60 letters, digits, '_', '-' or '.'");
  p.args = read_scalars(m, "args", "expected a list of arguments, e.g. [4, 256]");
  for (size_t i = 0; i < p.args.size(); ++i)
    if (p.args[i].empty() || p.args[i].find_first_of(" \n\t") != std::string::npos)
      m.fail("args", "argument " + std::to_string(i) + " is empty or has a space (the guest splits at spaces)");
  p.cflags = read_scalars(m, "cflags", "expected a list of compiler flags, e.g. [-O3]");
  if (has_file && !p.cflags.empty()) m.fail("cflags", "cflags are for a program built from source");
  p.cpu = unsigned(m.get_uint("cpu", 0, 0, 63));
  p.at_ns = read_time(m, "at", false);
  p.expect_exit = int(m.get_uint("expect_exit", 0, 0, 255));
  p.sample = m.get_uint("sample", 1, 0, 1'000'000);
  m.finish();
  return p;
}

// " (did you mean X?; its arguments: a, b, c)".
std::string arguments_of(const report::EventInfo& e, const std::string& got) {
  std::vector<std::string> args;
  for (const char* a : e.args)
    if (a) args.push_back(a);
  std::string l;
  for (const std::string& a : args) l += (l.empty() ? "" : ", ") + a;
  return tools::did_you_mean(got, args) + " (its arguments: " + (l.empty() ? "none" : l) + ")";
}

// OP: EVENT (count) or OP: EVENT.argument (the others), exactly one OP.
void read_metric_source(YamlMap& m, Metric& out) {
  int found = 0;
  std::string spec;
  for (const EnumName<MetricOp>& op : kMetricOps)
    if (m.has(std::string(op.name))) ++found, out.op = op.value, spec = m.get<std::string>(std::string(op.name), "");
  if (found != 1) m.fail(out.name, "give exactly one of " + names_of(kMetricOps));
  const std::string op = to_name(kMetricOps, out.op);
  auto dot = spec.find('.');
  out.event = spec.substr(0, dot);
  if (out.op != MetricOp::Count) {
    if (dot == std::string::npos) m.fail(op, "expected EVENT.argument, got '" + spec + "'");
    out.arg = spec.substr(dot + 1);
  } else if (dot != std::string::npos) {
    m.fail(op, "count takes an event name, got '" + spec + "'");
  }
  const report::EventInfo* e = report::event_by_name(out.event);
  if (!e)
    m.fail(op, "unknown event '" + out.event + "'" + tools::did_you_mean(out.event, report::event_names()) +
                   " (events: guest_os/include/dusim/events.def and update_events.def)");
  out.event_id = e->id;
  if (!out.arg.empty()) {
    out.arg_index = report::arg_index(*e, out.arg);
    if (out.arg_index < 0) m.fail(op, "event " + out.event + " has no argument '" + out.arg + "'" + arguments_of(*e, out.arg));
  }
}

// The update called `name`, as an index into `updates`.
int update_index(YamlMap& m, const std::vector<Update>& updates, const std::string& name) {
  std::vector<std::string> names;
  for (size_t k = 0; k < updates.size(); ++k) {
    if (updates[k].name == name) return int(k);
    names.push_back(updates[k].name);
  }
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  m.fail("window", "the scenario has no update '" + name + "'" + tools::did_you_mean(name, names) +
                       (names.empty() ? std::string(" (it has no updates)") : " (updates: " + list + ")"));
}

// window: before | during | after | all | before:NAME | after:NAME |
// between:A:B; or from_ms / to_ms (either or both) for an absolute range.
MetricWindow read_window(YamlMap& m, const std::vector<Update>& updates) {
  bool range = m.has("from_ms") || m.has("from_us") || m.has("from_ns") || m.has("to_ms") || m.has("to_us") || m.has("to_ns");
  if (range) {
    if (m.has("window")) m.fail("window", "give either window or from_ms/to_ms, not both");
    MetricWindow w(Window::Range);
    w.from_ns = read_time(m, "from", false);
    bool has_to = m.has("to_ms") || m.has("to_us") || m.has("to_ns");
    if (has_to) w.to_ns = read_time(m, "to", false);
    if (has_to && w.to_ns <= w.from_ns) m.fail("to_ms", "the window must end after it starts");
    return w;
  }
  const std::string text = m.get<std::string>("window", "all");
  const std::string expected = "expected " + names_of(kWindows) + ", before:UPDATE, after:UPDATE or between:UPDATE:UPDATE";
  if (std::optional<Window> simple = from_name(kWindows, text)) return MetricWindow(*simple);
  auto colon = text.find(':');
  if (colon == std::string::npos) m.fail("window", expected + ", got '" + text + "'" + tools::did_you_mean(text, {"before", "during", "after", "all"}));
  const std::string kind = text.substr(0, colon), rest = text.substr(colon + 1);
  MetricWindow w;
  if (kind == "before" || kind == "after") {
    w.kind = kind == "before" ? Window::BeforeUpdate : Window::AfterUpdate;
    w.update = update_index(m, updates, rest);
  } else if (kind == "between") {
    auto second = rest.find(':');
    if (second == std::string::npos) m.fail("window", "between takes two updates: between:FIRST:SECOND");
    w.kind = Window::Between;
    w.update = update_index(m, updates, rest.substr(0, second));
    w.until = update_index(m, updates, rest.substr(second + 1));
    if (w.update == w.until) m.fail("window", "between needs two different updates");
  } else {
    m.fail("window", expected + ", got '" + text + "'");
  }
  return w;
}

Metric read_metric(const std::string& name, YamlMap m, const std::vector<Update>& updates) {
  Metric out;
  out.name = name;
  // Checks name metrics as metrics.NAME.
  if (name.empty() || name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
    m.fail(name, "a metric's name may use letters, digits, _ and - only");
  read_metric_source(m, out);
  out.window = read_window(m, updates);
  if (m.has("unit")) {
    std::string unit = m.get<std::string>("unit", "");
    if (unit != "ns" && unit != "cycles") m.fail("unit", "expected cycles or ns");
    out.ns = unit == "ns";
  }
  const report::EventInfo& e = *report::event_by_id(out.event_id);
  if (m.has("timed")) {
    std::string timed = m.get<std::string>("timed", "");
    if (timed != "start" && timed != "end") m.fail("timed", "expected start or end, got '" + timed + "'");
    if (timed == "start") {
      out.start_arg = report::arg_index(e, "latency_cycles");
      if (out.start_arg < 0) m.fail("timed", "event " + out.event + " has no latency_cycles argument to find its start from");
    }
  }
  each_entry(m, "where", kMapping, [&](YamlMap& where, const std::string& arg, const YAML::Node&) {
    int k = report::arg_index(e, arg);
    if (k < 0) where.fail(arg, "event " + out.event + " has no argument '" + arg + "'");
    out.where[arg] = {k, where.get_uint(arg, 0, 0, ~uint64_t(0))};
  });
  m.finish();
  return out;
}

Check read_check(YamlMap m, const YAML::Node& node, size_t i, const std::string& file) {
  Check ch{m.get<std::string>("name", ""), m.get<std::string>("expect", ""), ""};
  if (ch.expect.empty()) m.fail("expect", "missing: an assertion such as 'metrics.x > 0'");
  ch.where = yaml_where(file, node["expect"].Mark(), "checks[" + std::to_string(i) + "].expect");
  if (ch.name.empty()) ch.name = ch.expect;
  std::optional<Over> over = from_name(kOvers, m.get<std::string>("over", "every_seed"));
  if (!over) m.fail("over", "expected " + names_of(kOvers, " or "));
  ch.over = *over;
  m.finish();
  return ch;
}

void read_outputs(YamlMap& top, Scenario& s) {
  std::vector<Output> outputs;
  bool given = each_item(top, "outputs", "expected a list, e.g. [report.json, trace.json, report.html]",
                         [&](const YAML::Node& x, size_t i) {
                           if (!x.IsScalar())
                             throw YamlError(yaml_where(top.file(), x.Mark(), "outputs[" + std::to_string(i) + "]") +
                                             "expected a single value");
                           std::string n = x.Scalar();
                           std::optional<Output> o = from_name(kOutputs, n);
                           if (!o)
                             throw YamlError(yaml_where(top.file(), x.Mark(), "outputs") + "unknown output '" + n + "' (" +
                                             names_of(kOutputs) + ")");
                           outputs.push_back(*o);
                         });
  if (given) s.outputs = outputs;
}

// The name is the output folder's (out/NAME): it must stay one folder
// inside out/, so no '/', no '.' or '..', nothing empty or invisible.
void read_name(YamlMap& top, Scenario& s) {
  s.name = top.get<std::string>("name", fs::path(s.file).stem().string());
  std::string why;
  if (s.name.empty()) why = "it is empty";
  else if (s.name == "." || s.name == "..") why = "'" + s.name + "' is not a folder of its own";
  else if (s.name.find_first_of("/\\") != std::string::npos) why = "'" + s.name + "' has a '/' or '\\'";
  else if (std::any_of(s.name.begin(), s.name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    why = "it has a control character";
  else if (s.name.size() > 128) why = "it is longer than 128 bytes";
  if (!why.empty())
    top.fail("name", "the scenario's name is its output folder's (out/NAME), and " + why +
                         ": use a plain folder name, e.g. letters, digits, '-' and '_'" +
                         (top.has("name") ? "" : " (it defaults to the file's name: set name: to choose)"));
}

// The scenario's sections, in the order their errors are reported.
void read_sections(YamlMap& top, const Resolver& resolve, Scenario& s) {
  read_name(top, s);
  s.description = top.get<std::string>("description", "");
  read_machine(top, resolve, s);
  s.kernel = top.get<std::string>("kernel", "");
  if (!s.kernel.empty()) s.kernel = resolve(s.kernel), s.kernel_where = where_of(top, "kernel", top.raw("kernel"));
  s.seed = top.get_uint("seed", 1, 0, ~uint64_t(0) >> 1);
  s.duration_ns = read_time(top, "duration", true);
  if (s.duration_ns == 0) top.fail(top.has("duration_ms") ? "duration_ms" : top.has("duration_us") ? "duration_us" : "duration_ns",
                                   "the run must last longer than 0");
  if (top.has("sample_us")) s.sample_ns = top.get_uint("sample_us", 10, 1, 1'000'000) * 1000;
  each_item(top, "workloads", "expected a list of workloads", [&](const YAML::Node& w, size_t i) {
    s.workloads.push_back(read_workload(item_map(top, "workloads", w, i)));
  });
  each_item(top, "updates", "expected a list of updates", [&](const YAML::Node& u, size_t i) {
    Update up = read_update(item_map(top, "updates", u, i), i, resolve, s.updates);
    for (const Update& earlier : s.updates)
      if (earlier.name == up.name) item_map(top, "updates", u, i).fail("name", "another update is called '" + up.name + "'");
    s.updates.push_back(up);
  });
  each_item(top, "programs", "expected a list of programs", [&](const YAML::Node& x, size_t i) {
    Program p = read_program(item_map(top, "programs", x, i), resolve);
    for (const Program& q : s.programs)
      if (q.name == p.name) item_map(top, "programs", x, i).fail("name", "another program is called '" + p.name + "'");
    s.programs.push_back(p);
  });
  each_entry(top, "metrics", "expected a mapping of metric names", [&](YamlMap& m, const std::string& name, const YAML::Node&) {
    s.metrics.push_back(read_metric(name, m.map(name), s.updates));
  });
  each_item(top, "checks", "expected a list of checks", [&](const YAML::Node& c, size_t i) {
    s.checks.push_back(read_check(item_map(top, "checks", c, i), c, i, top.file()));
  });
  read_outputs(top, s);
  read_assignments(top, "guest_args", "expected a mapping KEY: VALUE", s.guest_args, true);
  top.finish();
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node doc = load_yaml_file(path);
  YamlMap top(doc, path, "");
  Scenario s;
  s.file = path;
  read_sections(top, Resolver{fs::path(path).parent_path()}, s);
  apply_overrides(s, overrides);
  check_workloads(s);
  // What a check names must exist in the report (after the overrides: they
  // can change the number of CPUs).
  for (const Check& c : s.checks) {
    std::string problem = report::check_problem(c.expect, s);
    if (!problem.empty()) throw YamlError(c.where + problem);
  }
  for (const Program& p : s.programs)
    if (p.cpu >= s.machine.cpus)
      throw YamlError(path + ": program '" + p.name + "' starts on CPU " + std::to_string(p.cpu) + " of a " +
                      std::to_string(s.machine.cpus) + "-CPU machine");
  for (const Update& u : s.updates)
    if (u.cpu >= s.machine.cpus)
      throw YamlError(path + ": update '" + u.name + "' targets CPU " + std::to_string(u.cpu) + " of a " +
                      std::to_string(s.machine.cpus) + "-CPU machine");
  return s;
}

}  // namespace dusim::scenario
