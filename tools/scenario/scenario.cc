#include "scenario/scenario.h"

#include <filesystem>

#include "config/yaml_reader.h"
#include "platform/event_catalog.h"

namespace dusim::scenario {

namespace fs = std::filesystem;

namespace {

uint64_t ms_to_ns(double ms) { return uint64_t(ms * 1e6 + 0.5); }

// A time given as at_ms / at_us / at_ns (exactly one).
uint64_t read_time(YamlMap& m, const std::string& stem, bool required) {
  int given = 0;
  uint64_t ns = 0;
  if (m.has(stem + "_ms")) ++given, ns = ms_to_ns(m.get<double>(stem + "_ms", 0));
  if (m.has(stem + "_us")) ++given, ns = uint64_t(m.get<double>(stem + "_us", 0) * 1e3 + 0.5);
  if (m.has(stem + "_ns")) ++given, ns = m.get_uint(stem + "_ns", 0, 0, ~uint64_t(0) >> 1);
  if (given > 1) m.fail(stem + "_ms", "give the time once (" + stem + "_ms, " + stem + "_us or " + stem + "_ns)");
  if (!given && required) m.fail(stem + "_ms", "missing: give " + stem + "_ms, " + stem + "_us or " + stem + "_ns");
  return ns;
}

std::string scalar_text(const YAML::Node& n, YamlMap& m, const std::string& key) {
  if (!n.IsScalar()) m.fail(key, "expected a single value");
  return n.Scalar();
}

Workload read_workload(YamlMap w) {
  Workload out;
  out.kind = w.get<std::string>("kind", "");
  if (out.kind.empty()) w.fail("kind", "missing: every workload needs a kind");
  YAML::Node cpus = w.raw("cpus");
  if (cpus.IsDefined() && !cpus.IsNull()) out.cpus = scalar_text(cpus, w, "cpus");
  YamlMap params = w.map("params");
  YAML::Node pn = w.raw("params");
  if (pn.IsDefined() && pn.IsMap())
    for (const auto& kv : pn) out.params[kv.first.as<std::string>()] = scalar_text(kv.second, params, kv.first.as<std::string>());
  w.finish();
  return out;
}

Metric read_metric(const std::string& name, YamlMap m) {
  Metric out;
  out.name = name;
  static const char* const ops[] = {"count", "sum", "mean", "max", "min", "p50", "p99"};
  int found = 0;
  std::string spec;
  for (const char* op : ops)
    if (m.has(op)) ++found, out.op = op, spec = m.get<std::string>(op, "");
  if (found != 1) m.fail(name, "give exactly one of count, sum, mean, max, min, p50, p99");
  // count: EVENT ; the others: EVENT.arg
  auto dot = spec.find('.');
  out.event = spec.substr(0, dot);
  if (out.op != "count") {
    if (dot == std::string::npos) m.fail(out.op, "expected EVENT.argument, got '" + spec + "'");
    out.arg = spec.substr(dot + 1);
  } else if (dot != std::string::npos) {
    m.fail(out.op, "count takes an event name, got '" + spec + "'");
  }
  const report::EventInfo* e = report::event_by_name(out.event);
  if (!e) m.fail(out.op, "unknown event '" + out.event + "' (see guest_os/include/dusim/*.def)");
  if (!out.arg.empty() && report::arg_index(*e, out.arg) < 0) m.fail(out.op, "event " + out.event + " has no argument '" + out.arg + "'");
  out.window = m.get<std::string>("window", "all");
  if (out.window != "before" && out.window != "during" && out.window != "after" && out.window != "all")
    m.fail("window", "expected before, during, after or all");
  out.ns = m.get<std::string>("unit", "cycles") == "ns";
  if (m.has("unit") && m.get<std::string>("unit", "") != "ns" && m.get<std::string>("unit", "") != "cycles")
    m.fail("unit", "expected cycles or ns");
  YamlMap where = m.map("where");
  YAML::Node wn = m.raw("where");
  if (wn.IsDefined() && wn.IsMap()) {
    for (const auto& kv : wn) {
      std::string arg = kv.first.as<std::string>();
      if (report::arg_index(*e, arg) < 0) where.fail(arg, "event " + out.event + " has no argument '" + arg + "'");
      out.where[arg] = where.get_uint(arg, 0, 0, ~uint64_t(0));
    }
  }
  m.finish();
  return out;
}

// Applies the scenario-level --set overrides (not the machine's).
void apply_override(Scenario& s, const std::string& key, const std::string& value, const std::string& text) {
  auto bad = [&](const std::string& why) { throw YamlError("--set " + text + ": " + why); };
  try {
    if (key == "seed") s.seed = std::stoull(value);
    else if (key == "kernel") s.kernel = value;
    else if (key == "duration_ms") s.duration_ns = ms_to_ns(std::stod(value));
    else if (key == "sample_us") {
      uint64_t us = std::stoull(value);
      if (us < 1 || us > 1'000'000) bad("sample_us must be 1..1000000");
      s.sample_ns = us * 1000;
    }
    else if (key.rfind("workloads.", 0) == 0) {
      size_t dot = key.find('.', 10);
      if (dot == std::string::npos) bad("expected workloads.<index>.<param>");
      size_t i = std::stoul(key.substr(10, dot - 10));
      if (i >= s.workloads.size()) bad("there is no workload " + std::to_string(i));
      std::string param = key.substr(dot + 1);
      if (param == "cpus") s.workloads[i].cpus = value;
      else s.workloads[i].params[param] = value;
    } else if (key.rfind("updates.", 0) == 0) {
      size_t dot = key.find('.', 8);
      if (dot == std::string::npos) bad("expected updates.<index>.at_ms");
      size_t i = std::stoul(key.substr(8, dot - 8));
      if (i >= s.updates.size()) bad("there is no update " + std::to_string(i));
      if (key.substr(dot + 1) != "at_ms") bad("only at_ms can be overridden for an update");
      s.updates[i].at_ns = ms_to_ns(std::stod(value));
    } else {
      bad("unknown key '" + key + "'");
    }
  } catch (const std::logic_error&) {  // stoull/stod
    bad("'" + value + "' is not a number");
  }
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node doc = load_yaml_file(path);
  YamlMap top(doc, path, "");
  Scenario s;
  s.file = path;
  fs::path dir = fs::path(path).parent_path();
  auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : (dir / p).lexically_normal().string(); };

  s.name = top.get<std::string>("name", fs::path(path).stem().string());
  s.description = top.get<std::string>("description", "");
  {
    YamlMap m = top.map("machine");
    std::string cfg = m.get<std::string>("config", "");
    if (cfg.empty()) m.fail("config", "missing: name a machine config, e.g. ../configs/power5-4cpu.yaml");
    if (!fs::exists(resolve(cfg))) m.fail("config", "no such file: " + resolve(cfg));
    s.machine = load_machine_config(resolve(cfg));
    YamlMap set = m.map("set");
    YAML::Node sn = m.raw("set");
    if (sn.IsDefined() && sn.IsMap())
      for (const auto& kv : sn) s.machine_overrides.push_back(kv.first.as<std::string>() + "=" + scalar_text(kv.second, set, kv.first.as<std::string>()));
    m.finish();
  }
  s.kernel = top.get<std::string>("kernel", "");
  if (!s.kernel.empty()) s.kernel = resolve(s.kernel);
  s.seed = top.get_uint("seed", 1, 0, ~uint64_t(0) >> 1);
  s.duration_ns = read_time(top, "duration", true);
  if (top.has("sample_us")) s.sample_ns = top.get_uint("sample_us", 10, 1, 1'000'000) * 1000;
  {
    YAML::Node w = top.raw("workloads");
    if (w.IsDefined() && !w.IsNull()) {
      if (!w.IsSequence()) top.fail("workloads", "expected a list of workloads");
      for (size_t i = 0; i < w.size(); ++i) s.workloads.push_back(read_workload(YamlMap(w[i], path, "workloads[" + std::to_string(i) + "]")));
    }
  }
  {
    YAML::Node u = top.raw("updates");
    if (u.IsDefined() && !u.IsNull()) {
      if (!u.IsSequence()) top.fail("updates", "expected a list of updates");
      for (size_t i = 0; i < u.size(); ++i) {
        YamlMap m(u[i], path, "updates[" + std::to_string(i) + "]");
        Update up;
        up.name = m.get<std::string>("name", "update" + std::to_string(i));
        up.at_ns = read_time(m, "at", true);
        up.module = m.get<std::string>("module", "");
        if (up.module.empty()) m.fail("module", "missing: the update module's C++ source");
        up.module_as_written = up.module;
        up.module = resolve(up.module);
        if (!fs::exists(up.module)) m.fail("module", "no such file: " + up.module);
        up.cpu = unsigned(m.get_uint("cpu", 0, 0, 63));
        up.expect = m.get<std::string>("expect", "applied");
        if (up.expect != "applied" && up.expect != "aborted" && up.expect != "rejected")
          m.fail("expect", "expected applied, aborted or rejected");
        YAML::Node f = m.raw("cxxflags");
        if (f.IsDefined() && f.IsSequence())
          for (const auto& x : f) up.cxxflags.push_back(x.as<std::string>());
        m.finish();
        s.updates.push_back(std::move(up));
      }
    }
  }
  {
    YAML::Node mm = top.raw("metrics");
    if (mm.IsDefined() && !mm.IsNull()) {
      if (!mm.IsMap()) top.fail("metrics", "expected a mapping of metric names");
      YamlMap metrics(mm, path, "metrics");
      for (const auto& kv : mm) {
        std::string name = kv.first.as<std::string>();
        s.metrics.push_back(read_metric(name, metrics.map(name)));
      }
    }
  }
  {
    YAML::Node c = top.raw("checks");
    if (c.IsDefined() && !c.IsNull()) {
      if (!c.IsSequence()) top.fail("checks", "expected a list of checks");
      for (size_t i = 0; i < c.size(); ++i) {
        YamlMap m(c[i], path, "checks[" + std::to_string(i) + "]");
        Check ch{m.get<std::string>("name", ""), m.get<std::string>("expect", "")};
        if (ch.expect.empty()) m.fail("expect", "missing: an assertion such as 'metrics.x > 0'");
        if (ch.name.empty()) ch.name = ch.expect;
        m.finish();
        s.checks.push_back(std::move(ch));
      }
    }
  }
  {
    YAML::Node o = top.raw("outputs");
    if (o.IsDefined() && !o.IsNull()) {
      if (!o.IsSequence()) top.fail("outputs", "expected a list, e.g. [report.json, trace.json, report.html]");
      s.outputs.clear();
      for (const auto& x : o) {
        std::string n = x.as<std::string>();
        if (n != "report.json" && n != "trace.json" && n != "report.html")
          throw YamlError(yaml_where(path, x.Mark(), "outputs") + "unknown output '" + n + "' (report.json, trace.json, report.html)");
        s.outputs.push_back(n);
      }
    }
  }
  {
    YAML::Node g = top.raw("guest_args");
    if (g.IsDefined() && !g.IsNull()) {
      if (!g.IsMap()) top.fail("guest_args", "expected a mapping KEY: VALUE");
      YamlMap ga(g, path, "guest_args");
      for (const auto& kv : g) s.guest_args.push_back(kv.first.as<std::string>() + "=" + scalar_text(kv.second, ga, kv.first.as<std::string>()));
    }
  }
  top.finish();

  std::vector<std::string> machine_sets = s.machine_overrides;
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos) throw YamlError("--set " + o + ": expected KEY=VALUE");
    std::string key = o.substr(0, eq);
    if (key.rfind("machine.", 0) == 0 || key.rfind("caches.", 0) == 0 || key.rfind("latency.", 0) == 0)
      machine_sets.push_back(o);
    else
      apply_override(s, key, o.substr(eq + 1), o);
  }
  apply_machine_overrides(s.machine, machine_sets);
  for (const Update& u : s.updates)
    if (u.cpu >= s.machine.cpus) throw YamlError(path + ": update '" + u.name + "' targets CPU " + std::to_string(u.cpu) + " of a " + std::to_string(s.machine.cpus) + "-CPU machine");
  return s;
}

std::vector<std::string> boot_args(const Scenario& s) {
  std::vector<std::string> a{"seed=" + std::to_string(s.seed), "workloads=" + std::to_string(s.workloads.size())};
  for (size_t i = 0; i < s.workloads.size(); ++i) {
    const Workload& w = s.workloads[i];
    std::string p = "w" + std::to_string(i) + ".";
    a.push_back(p + "kind=" + w.kind);
    a.push_back(p + "cpus=" + w.cpus);
    for (const auto& [k, v] : w.params) a.push_back(p + k + "=" + v);
  }
  a.insert(a.end(), s.guest_args.begin(), s.guest_args.end());
  return a;
}

}  // namespace dusim::scenario
