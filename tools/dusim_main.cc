// The `dusim` command-line tool.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "config/yaml_reader.h"
#include "exit_codes.h"
#include "gdb/linux_process_target.h"
#include "gdb/machine_target.h"
#include "platform/machine.h"
#include "scenario/runner.h"
#include "user_mode/linux_process.h"

namespace {

using namespace dusim;

struct RunElfOptions {
  std::string elf;
  std::vector<std::string> args;
  bool stats = false;
  bool trace = false;
  uint64_t max_insns = 0;
  int gdb_port = -1;  // --gdb: wait for GDB on this port (0: any free port)
  bool gdb_exit_on_disconnect = false;
};

int run_elf(const RunElfOptions& o) {
  std::vector<std::string> argv{o.elf};
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  std::vector<std::string> envp{"PATH=/usr/bin:/bin", "LANG=C"};
  try {
    LinuxProcess proc(o.elf, argv, envp);
    spdlog::debug("loaded {}: entry {:#x}, {} symbols", o.elf, proc.cpu().pc, proc.image().symbols().all().size());
    auto t0 = std::chrono::steady_clock::now();
    LinuxProcess::Result r{};
    if (o.gdb_port >= 0) {
      gdb::StubResult g = gdb::run_under_gdb(proc, {uint16_t(o.gdb_port), o.gdb_exit_on_disconnect}, o.trace);
      if (g.kind == gdb::StubResult::Kind::Killed || g.kind == gdb::StubResult::Kind::ConnectionLost)
        return exit_code::kEndedByDebugger;
      bool exited = g.kind == gdb::StubResult::Kind::Exited;
      r = {exited ? LinuxProcess::Outcome::Exited : LinuxProcess::Outcome::Faulted, g.exit_code, g.fault_report};
    } else {
      r = proc.run(o.max_insns, o.trace);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
    if (o.stats) {
      const ppc::Cpu& c = proc.cpu();
      std::fprintf(stderr, "dusim: instructions=%llu cycles=%llu decoded=%llu host_seconds=%.3f mips=%.1f\n",
                   (unsigned long long)c.icount, (unsigned long long)c.cycles,
                   (unsigned long long)proc.code().decodes, secs, secs > 0 ? c.icount / secs / 1e6 : 0.0);
    }
    switch (r.outcome) {
      case LinuxProcess::Outcome::Exited:
        return r.exit_code;
      case LinuxProcess::Outcome::LimitReached:
        std::fprintf(stderr, "dusim: instruction limit of %llu reached\n", (unsigned long long)o.max_insns);
        return exit_code::kLimitReached;
      case LinuxProcess::Outcome::Faulted:
        std::fputs(r.fault.c_str(), stderr);
        return exit_code::kGuestFault;
    }
  } catch (const BadElf& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  } catch (const std::runtime_error& e) {  // the GDB stub cannot listen
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
  return exit_code::kSuccess;
}

struct RunBareOptions {
  std::string image;
  std::string config = std::string(DUSIM_SOURCE_DIR) + "/configs/power5.yaml";
  unsigned cpus = 0;
  std::vector<std::string> set;
  std::vector<std::string> args;  // KEY=VALUE pairs for the boot-information block
  std::string stats_json;
  bool stats = false;
  uint64_t max_ms = 10'000;
  int gdb_port = -1;  // --gdb: wait for GDB on this port (0: any free port)
  bool gdb_exit_on_disconnect = false;
};

int run_bare(const RunBareOptions& o) {
  try {
    MachineConfig cfg = load_machine_config(o.config);
    std::vector<std::string> overrides = o.set;
    if (o.cpus) overrides.push_back("machine.cpus=" + std::to_string(o.cpus));
    apply_machine_overrides(cfg, overrides);
    ElfImage image = ElfImage::load(o.image);
    std::vector<uint8_t> boot_args;
    for (const std::string& a : o.args) {
      if (a.find('=') == std::string::npos || a.find('\0') != std::string::npos) {
        std::fprintf(stderr, "dusim: --arg %s: expected KEY=VALUE\n", a.c_str());
        return exit_code::kUsage;
      }
      boot_args.insert(boot_args.end(), a.begin(), a.end());
      boot_args.push_back(0);
    }
    boot_args.push_back(0);
    Machine machine("machine", cfg, image, boot_args);
    spdlog::debug("booting {} on {} CPUs ({}, quantum {} cycles)", o.image, cfg.cpus,
                  cfg.caches ? std::string(coherence::to_string(cfg.hierarchy.protocol)) : "no caches", cfg.quantum_cycles);
    auto t0 = std::chrono::steady_clock::now();
    uint64_t max_cycles = cfg.ns_to_cycles(o.max_ms * 1'000'000);
    Machine::Result r;
    if (o.gdb_port >= 0) {
      // No time limit: the run lasts as long as the debugger lets it.
      gdb::StubResult g = gdb::run_under_gdb(machine, {uint16_t(o.gdb_port), o.gdb_exit_on_disconnect});
      if (g.kind == gdb::StubResult::Kind::Killed || g.kind == gdb::StubResult::Kind::ConnectionLost)
        return exit_code::kEndedByDebugger;
      r = machine.result();  // powered off, or faulted after GDB detached (report printed below)
    } else {
      r = machine.run(max_cycles);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
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
      std::ofstream(o.stats_json) << j.dump(2) << "\n";
    }
    switch (r.outcome) {
      case Machine::Outcome::PoweredOff:
        return r.exit_code;
      case Machine::Outcome::LimitReached:
        std::fprintf(stderr, "dusim: the guest did not power off within %llu ms of simulated time\n", (unsigned long long)o.max_ms);
        return exit_code::kLimitReached;
      case Machine::Outcome::Faulted:
        std::fputs(r.fault.c_str(), stderr);
        return exit_code::kGuestFault;
    }
  } catch (const YamlError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  } catch (const BadElf& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  } catch (const std::runtime_error& e) {  // boot arguments too large, console file unwritable
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
  return exit_code::kSuccess;
}

}  // namespace

// The tool's body. SystemC expects its simulations to start in sc_main().
int sc_main(int argc, char** argv) {
  CLI::App app{"dusim: a cycle-approximate simulator of a cache-coherent multi-CPU ppc64 machine for studying live OS updates"};
  app.require_subcommand(1);
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "log debug messages");
  app.add_flag("-q,--quiet", quiet, "log errors only");

  RunElfOptions elf;
  CLI::App* run_elf_cmd = app.add_subcommand("run-elf", "run a static 64-bit big-endian PowerPC Linux program (as qemu-ppc64 does)");
  run_elf_cmd->add_option("program", elf.elf, "the ELF file")->required();
  run_elf_cmd->add_flag("--stats", elf.stats, "print instructions, cycles and host MIPS to stderr at the end");
  run_elf_cmd->add_flag("--trace", elf.trace, "print every executed instruction (disassembled) to stderr");
  run_elf_cmd->add_option("--max-insns", elf.max_insns, "stop after this many instructions (exit code 124)");
  run_elf_cmd->add_option("--gdb", elf.gdb_port, "start halted and wait for GDB on 127.0.0.1:PORT (0: a free port, printed on stderr)")
      ->check(CLI::Range(0, 65535))
      ->excludes("--max-insns");
  run_elf_cmd->add_flag("--gdb-exit-on-disconnect", elf.gdb_exit_on_disconnect,
                        "with --gdb: end the run (exit code 137) if the debugger's connection drops, instead of waiting for a new one");
  run_elf_cmd->prefix_command();  // everything after the program goes to the program
  run_elf_cmd->footer("Arguments after PROGRAM are passed to it unchanged.");

  RunBareOptions bare;
  CLI::App* run_bare_cmd = app.add_subcommand("run-bare", "boot a bare-metal ppc64 image on the simulated multi-CPU machine");
  run_bare_cmd->add_option("image", bare.image, "the ELF image")->required();
  run_bare_cmd->add_option("--config", bare.config, "machine config (YAML)")->capture_default_str();
  run_bare_cmd->add_option("--cpus", bare.cpus, "number of CPUs (overrides the config)")->check(CLI::Range(1, 64));
  run_bare_cmd->add_option("--set", bare.set, "override a config value, e.g. --set caches.protocol=MOESI");
  run_bare_cmd->add_option("--arg", bare.args, "KEY=VALUE for the guest, in the boot-information block's argument area");
  run_bare_cmd->add_flag("--stats", bare.stats, "print per-CPU and per-cache statistics to stderr");
  run_bare_cmd->add_option("--stats-json", bare.stats_json, "write all statistics as JSON to this file");
  CLI::Option* max_ms_opt =
      run_bare_cmd->add_option("--max-ms", bare.max_ms, "simulated milliseconds before giving up (exit code 124)")->capture_default_str();
  run_bare_cmd->add_option("--gdb", bare.gdb_port, "start halted and wait for GDB on 127.0.0.1:PORT (0: a free port, printed on stderr); no time limit")
      ->check(CLI::Range(0, 65535))
      ->excludes(max_ms_opt);
  run_bare_cmd->add_flag("--gdb-exit-on-disconnect", bare.gdb_exit_on_disconnect,
                         "with --gdb: end the run (exit code 137) if the debugger's connection drops, instead of waiting for a new one");

  scenario::RunOptions run_opts;
  bool no_summary = false;
  CLI::App* run_cmd = app.add_subcommand("run", "run a scenario: boot, workloads, updates, checks, reports");
  run_cmd->add_option("scenario", run_opts.scenario, "the scenario (YAML)")->required();
  run_cmd->add_option("--out", run_opts.out_dir, "folder for report.json, trace.json, report.html (default out/NAME)");
  run_cmd->add_option("--set", run_opts.overrides, "override a scenario or machine value, e.g. --set machine.cpus=8");
  run_cmd->add_flag("--no-summary", no_summary, "do not print the terminal summary");

  scenario::SweepOptions sweep_opts;
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "run a scenario's variants and tabulate them");
  sweep_cmd->add_option("scenario", sweep_opts.scenario, "the scenario (YAML)")->required();
  sweep_cmd->add_option("--vary", sweep_opts.vary, "KEY=V1,V2,... (cpus, quantum, protocol, or any --set key)")->required();
  sweep_cmd->add_option("--set", sweep_opts.overrides, "a fixed override for every variant");
  sweep_cmd->add_option("--out", sweep_opts.out_dir, "folder for the variants, sweep.csv and sweep.html");

  std::string validate_path;
  CLI::App* validate_cmd = app.add_subcommand("validate", "check a scenario (compiling its modules) or a machine config");
  validate_cmd->add_option("file", validate_path, "the YAML file")->required();

  // "Simulation stopped by user" after every power-off is noise.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code::kUsage;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::info);
  spdlog::set_pattern("dusim: %l: %v");

  try {
    if (run_elf_cmd->parsed()) {
      elf.args = run_elf_cmd->remaining();
      return run_elf(elf);
    }
    if (run_bare_cmd->parsed()) return run_bare(bare);
    if (validate_cmd->parsed()) return scenario::validate_file(validate_path);
    if (run_cmd->parsed()) {
      run_opts.summary = !no_summary;
      return scenario::run_scenario(run_opts);
    }
    if (sweep_cmd->parsed()) {
      sweep_opts.self = std::filesystem::canonical("/proc/self/exe").string();
      return scenario::sweep(sweep_opts);
    }
  } catch (const YAML::Exception& e) {  // malformed YAML that slipped past the strict reader
    std::fprintf(stderr, "dusim: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dusim: error: %s\n", e.what());
  }
  return exit_code::kUsage;
}

// Our own main() replaces the one in libsystemc so that SystemC's banner,
// which would mix with the guest's console output, can be switched off
// before the SystemC kernel starts.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
