#include "direct/run_bare.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <nlohmann/json.hpp>

#include "common/boot_args.h"
#include "common/errors.h"
#include "common/interrupt.h"
#include "common/output_file.h"
#include "config/yaml_reader.h"
#include "direct/ending.h"
#include "exit_codes.h"
#include "gdb/machine_target.h"
#include "loader/initrd.h"
#include "platform/machine.h"
#include "report/event_file.h"

namespace dusim::direct {

namespace {

MachineConfig machine_config(const RunBareOptions& o) {
  MachineConfig cfg = load_machine_config(o.config);
  std::vector<std::string> overrides = o.set;
  if (o.cpus) overrides.push_back("machine.cpus=" + std::to_string(o.cpus));
  apply_machine_overrides(cfg, overrides);
  return cfg;
}

// The run to its end, or to the debugger's; nullopt when GDB ended it.
std::optional<Machine::Result> run_machine(Machine& machine, const MachineConfig& cfg, const RunBareOptions& o) {
  if (!o.gdb.wanted()) return machine.run(cfg.ns_to_cycles(o.max_ms * 1'000'000));
  // No time limit: the run lasts as long as the debugger lets it.
  gdb::StubResult g = gdb::run_under_gdb(machine, o.gdb.options());
  if (ended_by_debugger(g)) return std::nullopt;
  return machine.result();  // powered off, or faulted after GDB detached (report printed below)
}

// What --stats-json records as "outcome" (the names of report.json's run.outcome).
const char* outcome_name(Machine::Outcome o) {
  switch (o) {
    case Machine::Outcome::PoweredOff: return "powered_off";
    case Machine::Outcome::Faulted: return "fault";
    case Machine::Outcome::LimitReached: return "time_limit";
    case Machine::Outcome::Interrupted: return "interrupted";
  }
  return "?";
}

void print_stats(Machine& machine, const MachineConfig& cfg, const Machine::Result& r, double secs, const RunBareOptions& o) {
  uint64_t insns = 0;
  for (unsigned n = 0; n < machine.cpu_count(); ++n) insns += machine.cpu(n).cpu.icount;
  if (o.stats) {
    std::fputs(machine.stats_table().c_str(), stderr);
    std::fprintf(stderr, "dusim: simulated %.3f us, %llu instructions, host %.3f s, %.1f MIPS\n",
                 cfg.cycles_to_ns(r.end_cycles) / 1000.0, (unsigned long long)insns, secs, secs > 0 ? insns / secs / 1e6 : 0.0);
  }
  if (!o.stats_json.empty()) {
    nlohmann::json j = machine.stats_json();
    j["simulated_ns"] = cfg.cycles_to_ns(r.end_cycles);
    j["outcome"] = outcome_name(r.outcome);
    tools::write_output(o.stats_json, j.dump(2) + "\n");
  }
}

int exit_code_for(const Machine::Result& r, const RunBareOptions& o) {
  using O = Machine::Outcome;
  Ending how = r.outcome == O::PoweredOff ? Ending::GuestExit : r.outcome == O::LimitReached ? Ending::Limit : Ending::Fault;
  return direct::exit_code_for(how, r.exit_code, r.fault,
                               fmt::format("the guest did not power off within {} ms of simulated time", o.max_ms));
}

}  // namespace

int run_bare(const RunBareOptions& o) {
  try {
    MachineConfig cfg = machine_config(o);
    ElfImage image = ElfImage::load(o.image);
    for (const std::string& a : o.args) {
      size_t eq = a.find('=');
      std::string problem = eq == std::string::npos ? "expected KEY=VALUE" : tools::boot_arg_problem(a.substr(0, eq), a.substr(eq + 1));
      if (!problem.empty()) {
        std::fprintf(stderr, "dusim: --arg %s: %s\n", escaped(a).c_str(), problem.c_str());
        return exit_code::kUsage;
      }
    }
    // Whatever an earlier run left at the output paths goes first (and a
    // path that cannot be written is refused before anything runs).
    if (!o.stats_json.empty()) tools::remove_stale_output(o.stats_json);
    if (!o.events_file.empty()) tools::remove_stale_output(o.events_file);
    std::vector<InitrdFile> files;
    for (const std::string& f : o.files) files.push_back(initrd_file_from_spec(f));
    for (const std::string& t : o.trees)
      for (InitrdFile& f : initrd_tree_from_spec(t)) files.push_back(std::move(f));
    std::vector<uint8_t> initrd = files.empty() ? std::vector<uint8_t>{} : make_initrd(files);
    Machine machine("machine", cfg, image, tools::pack_boot_args(o.args), initrd);
    tools::catch_interrupts();  // SIGINT, SIGTERM: stop at the next quantum, statistics written, then end by the signal
    machine.stop_when(tools::interrupt_flag());
    spdlog::debug("booting {} on {} CPUs ({}, quantum {} cycles)", o.image, cfg.cpus,
                  cfg.caches ? std::string(coherence::to_string(cfg.hierarchy.protocol)) : "no caches", cfg.quantum_cycles);
    auto t0 = std::chrono::steady_clock::now();
    std::optional<Machine::Result> r = run_machine(machine, cfg, o);
    if (!r) return exit_code::kEndedByDebugger;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
    print_stats(machine, cfg, *r, secs, o);
    if (!o.events_file.empty()) tools::write_output(o.events_file, report::event_lines(machine.events().events()));
    if (r->outcome == Machine::Outcome::Interrupted) {
      int sig = tools::interrupted_by();
      std::fprintf(stderr, "dusim: interrupted by %s at %.3f ms simulated\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                   cfg.cycles_to_ns(r->end_cycles) / 1e6);
      tools::end_by_signal(sig);
    }
    return exit_code_for(*r, o);
  } catch (const tools::OutputError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kOutputError;
  } catch (const std::runtime_error& e) {  // bad config or ELF file, boot arguments too large, console file unwritable
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
}

}  // namespace dusim::direct
