#include "scenario/runner.h"

#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../exit_codes.h"
#include "config/yaml_reader.h"
#include "platform/event_catalog.h"
#include "platform/machine.h"
#include "report/checks.h"
#include "report/report_builder.h"
#include "scenario/module_build.h"
#include "scenario/scenario.h"

namespace dusim::scenario {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string default_kernel() { return std::string(DUSIM_GUEST_DIR) + "/guest_os/kernel.elf"; }

// Compiles every module; prints the compiler's messages on failure.
bool build_modules(const Scenario& s, const std::string& dir, std::vector<ModuleBuild>& out) {
  for (const Update& u : s.updates) {
    ModuleBuild b = build_module(u.module, dir, std::string(DUSIM_SOURCE_DIR) + "/guest_os", u.cxxflags);
    if (!b.ok) {
      std::fprintf(stderr, "dusim: %s: update '%s': module %s does not compile:\n%s", s.file.c_str(), u.name.c_str(),
                   u.module.c_str(), b.compiler_output.c_str());
      return false;
    }
    out.push_back(std::move(b));
  }
  return true;
}

std::vector<report::ObjectTraffic> object_traffic(Machine& m) {
  std::vector<report::ObjectTraffic> out;
  const coherence::MemorySystem* ms = m.memory_system();
  if (!ms) return out;
  const auto& ranges = ms->ranges().all();
  for (unsigned r = 0; r < ranges.size(); ++r) {
    report::ObjectTraffic o{ranges[r].name, ranges[r].base, ranges[r].size};
    for (unsigned c = 0; c < m.config().cpus; ++c) {
      for (auto port : {coherence::MemorySystem::Port::Data, coherence::MemorySystem::Port::Instruction}) {
        const coherence::CacheCounters& k = ms->ranged_stats(int(c), port).range(r);
        o.misses += k.misses();
        o.invalidations += k.invalidations_received;
        o.c2c += k.c2c_received;
        o.upgrades += k.upgrades;
        o.writebacks += k.writebacks;
      }
      o.stall_cycles += m.cpu(c).stall_by_range[r];
    }
    out.push_back(o);
  }
  return out;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

}  // namespace

int run_scenario(const RunOptions& o) {
  Scenario s;
  try {
    s = load_scenario(o.scenario, o.overrides);
  } catch (const YamlError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
  fs::path out = o.out_dir.empty() ? fs::path("out") / s.name : fs::path(o.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "dusim: cannot create output folder %s: %s\n", out.string().c_str(), ec.message().c_str());
    return exit_code::kUsage;
  }
  std::vector<ModuleBuild> modules;
  if (!build_modules(s, (out / "modules").string(), modules)) return exit_code::kUsage;

  std::string kernel = s.kernel.empty() ? default_kernel() : s.kernel;
  ElfImage image;
  try {
    image = ElfImage::load(kernel);
  } catch (const BadElf& e) {
    std::fprintf(stderr, "dusim: %s: kernel image: %s\n", s.file.c_str(), e.what());
    return exit_code::kUsage;
  }
  std::vector<uint8_t> args;
  for (const std::string& a : boot_args(s)) {
    args.insert(args.end(), a.begin(), a.end());
    args.push_back(0);
  }
  args.push_back(0);

  const uint64_t duration = s.machine.ns_to_cycles(s.duration_ns);
  Machine machine("machine", s.machine, image, args);
  machine.sample_traffic_every(std::max<uint64_t>(1, s.machine.ns_to_cycles(s.sample_ns)));
  // The coherence windows end where updates end: sample exactly there too.
  std::vector<uint32_t> ends;
  for (const char* n : {"UPDATE_APPLIED", "UPDATE_ABORTED", "MODULE_REJECTED"})
    if (const report::EventInfo* e = report::event_by_name(n)) ends.push_back(e->id);
  machine.sample_traffic_on_events(ends);
  for (size_t k = 0; k < s.updates.size(); ++k)
    machine.schedule_blob(s.machine.ns_to_cycles(s.updates[k].at_ns), modules[k].bytes, s.updates[k].cpu);

  const bool tty = isatty(STDERR_FILENO);
  auto t0 = std::chrono::steady_clock::now();
  auto progress = [&](uint64_t cycles) {
    if (!tty) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t insns = 0;
    for (unsigned n = 0; n < machine.cpu_count(); ++n) insns += machine.cpu(n).cpu.icount;
    std::fprintf(stderr, "\r%s: %.3f of %.3f ms simulated (%3.0f%%), %.1f MIPS   ", s.name.c_str(),
                 s.machine.cycles_to_ns(cycles) / 1e6, s.duration_ns / 1e6, 100.0 * double(cycles) / double(duration),
                 secs > 0 ? insns / secs / 1e6 : 0.0);
  };
  Machine::Result r = machine.run(duration, progress, std::max<uint64_t>(1, duration / 100));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (tty) std::fprintf(stderr, "\r%*s\r", 100, "");

  report::RunData run;
  run.scenario = &s;
  run.events = &machine.events().events();
  run.samples = &machine.traffic_samples();
  run.final_sample.cycles = r.end_cycles;
  for (unsigned n = 0; n < machine.cpu_count(); ++n) run.final_sample.cpus.push_back(machine.traffic(n));
  run.objects = object_traffic(machine);
  run.outcome = r.outcome == Machine::Outcome::Faulted ? "fault" : r.outcome == Machine::Outcome::PoweredOff ? "powered_off" : "time_limit";
  run.exit_code = r.exit_code;
  run.end_ns = std::min(s.duration_ns, s.machine.cycles_to_ns(r.end_cycles));
  if (r.outcome == Machine::Outcome::LimitReached) run.end_ns = s.duration_ns;
  run.fault = r.fault;
  run.host_seconds = secs;
  uint64_t insns = 0;
  for (unsigned n = 0; n < machine.cpu_count(); ++n) insns += machine.cpu(n).cpu.icount;
  run.mips = secs > 0 ? insns / secs / 1e6 : 0;

  json rep = report::build_report(run);
  json trace = report::build_trace(run, rep);
  for (const std::string& name : s.outputs) {
    if (name == "report.json") write_file(out / name, rep.dump(2) + "\n");
    if (name == "trace.json") write_file(out / name, trace.dump() + "\n");
    if (name == "report.html") write_file(out / name, report::build_html(rep, trace));
  }
  if (o.summary) std::fputs(report::build_summary(rep).c_str(), stdout);
  std::printf("  reports in %s\n", out.string().c_str());
  if (r.outcome == Machine::Outcome::Faulted) {
    std::fputs(r.fault.c_str(), stderr);
    return exit_code::kGuestFault;
  }
  for (const json& c : rep["checks"])
    if (!c["passed"].get<bool>()) return exit_code::kCheckFailed;
  return exit_code::kSuccess;
}

int validate_file(const std::string& path) {
  try {
    YAML::Node doc = load_yaml_file(path);
    // A scenario names its machine config (machine: {config: ...}); a machine
    // config describes the machine itself.
    bool is_scenario = false;
    for (const auto& kv : doc)
      if (kv.first.as<std::string>() == "machine" && kv.second.IsMap())
        for (const auto& m : kv.second) is_scenario = is_scenario || m.first.as<std::string>() == "config";
    if (!is_scenario) {
      MachineConfig cfg = load_machine_config(path);
      std::printf("%s: ok (machine config '%s': %u CPUs, %s)\n", path.c_str(), cfg.name.c_str(), cfg.cpus,
                  cfg.caches ? std::string(coherence::to_string(cfg.hierarchy.protocol)).c_str() : "no caches");
      return exit_code::kSuccess;
    }
    Scenario s = load_scenario(path);
    for (const Check& c : s.checks) {
      std::string why = report::check_syntax(c.expect);
      if (!why.empty()) throw YamlError(path + ": check '" + c.name + "': " + why);
    }
    std::vector<ModuleBuild> modules;
    std::string dir = (fs::temp_directory_path() / fmt::format("dusim-validate-{}", getpid())).string();
    bool ok = build_modules(s, dir, modules);
    fs::remove_all(dir);
    if (!ok) return exit_code::kUsage;
    std::printf("%s: ok (scenario '%s': %u CPUs, %zu workloads, %zu updates, %zu checks)\n", path.c_str(), s.name.c_str(),
                s.machine.cpus, s.workloads.size(), s.updates.size(), s.checks.size());
    return exit_code::kSuccess;
  } catch (const YamlError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
}

}  // namespace dusim::scenario
