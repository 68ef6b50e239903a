// The `dusim` command line: each subcommand's options, and the one function
// that does its work (direct/ for run-elf and run-bare, scenario/ for run
// and validate, sweep/ for sweep, converge/ for converge, lab/ for the teaching labs).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <functional>

#include "common/nearest.h"
#include "converge/converge.h"
#include "direct/run_bare.h"
#include "direct/run_elf.h"
#include "exit_codes.h"
#include "lab/lab.h"
#include "platform/machine.h"
#include "report/open_page.h"
#include "report/web_assets.h"
#include "scenario/run.h"
#include "scenario/seeds.h"
#include "scenario/validate.h"
#include "sweep/sweep.h"

namespace {

using namespace dusim;

// A subcommand, and its work: run when it was the one given.
struct Command {
  CLI::App* cli;
  std::function<int()> action;
};

// A limit given on the command line: digits only, at least 1 (a uint64_t
// option alone would take -1 as 2^64 - 1, that is no limit).
const CLI::Validator kPositiveWhole(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.find_first_not_of('0') == std::string::npos)
        return "expected a whole number of at least 1, got '" + text + "'";
      return "";
    },
    "N>0");

// --gdb (returned, for what it excludes) and --gdb-exit-on-disconnect.
CLI::Option* add_gdb_options(CLI::App& cmd, direct::GdbRequest& g, const std::string& port_note) {
  CLI::Option* port =
      cmd.add_option("--gdb", g.port, "start halted and wait for GDB on 127.0.0.1:PORT (0: a free port, printed on stderr)" + port_note)
          ->check(CLI::Range(0, 65535));
  cmd.add_flag("--gdb-exit-on-disconnect", g.exit_on_disconnect,
               "with --gdb: end the run (exit code 137) if the debugger's connection drops, instead of waiting for a new one");
  return port;
}

Command add_run_elf(CLI::App& app, direct::RunElfOptions& o) {
  CLI::App* cmd = app.add_subcommand("run-elf", "run a static 64-bit big-endian PowerPC Linux program (as qemu-ppc64 does)");
  cmd->add_option("program", o.elf, "the ELF file")->required();
  cmd->add_flag("--stats", o.stats, "print instructions, cycles and host MIPS to stderr at the end");
  cmd->add_flag("--trace", o.trace, "print every executed instruction (disassembled) to stderr");
  cmd->add_option("--max-insns", o.max_insns, "stop after this many instructions (exit code 124)")->check(kPositiveWhole);
  CLI::Option* timing = cmd->add_flag("--timing", o.timing,
                                      "run on one simulated CPU with the cache model of --config (L1I, L1D, L2, memory) and print "
                                      "cycles, CPI, miss rates and stall cycles by cause to stderr at the end");
  o.config = std::string(DUSIM_SOURCE_DIR) + "/configs/power5.yaml";
  cmd->add_option("--config", o.config, "with --timing: the machine config whose caches and latencies are used")
      ->capture_default_str()
      ->needs(timing);
  cmd->add_option("--stats-json", o.stats_json, "with --timing: also write the figures as JSON to this file")->needs(timing);
  add_gdb_options(*cmd, o.gdb, "")->excludes("--max-insns")->excludes(timing);
  cmd->add_option("--root", o.process.root,
                  "host directory the program sees as / (read-only); without it the program can open no file")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--cpus", o.process.cpus, "simulated CPUs: at most this many threads at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--quantum", o.process.quantum_cycles, "cycles each thread runs in turn (the round of the interleaving)")
      ->check(CLI::Range(uint64_t(1), uint64_t(1) << 32))
      ->capture_default_str();
  cmd->add_flag("--strict-syscalls", o.process.strict_syscalls,
                "an unimplemented system call ends the run with a fault report (exit code 126) instead of returning -ENOSYS");
  cmd->prefix_command();  // everything after the program goes to the program
  cmd->fallthrough(false);  // ... even -v or -q
  cmd->footer("Arguments after PROGRAM are passed to it unchanged.");
  return {cmd, [cmd, &o] {
            o.args = cmd->remaining();
            o.process.verbose = cmd->get_parent()->get_option("--verbose")->count() > 0;  // -v: notes on unsupported calls
            return direct::run_elf(o);
          }};
}

Command add_run_bare(CLI::App& app, direct::RunBareOptions& o) {
  o.config = std::string(DUSIM_SOURCE_DIR) + "/configs/power5.yaml";
  CLI::App* cmd = app.add_subcommand("run-bare", "boot a bare-metal ppc64 image on the simulated multi-CPU machine");
  cmd->add_option("image", o.image, "the ELF image")->required();
  cmd->add_option("--config", o.config, "machine config (YAML)")->capture_default_str();
  cmd->add_option("--cpus", o.cpus, "number of CPUs (overrides the config)")->check(CLI::Range(1, 64));
  cmd->add_option("--set", o.set, "override a config value, e.g. --set caches.protocol=MOESI");
  cmd->add_option("--arg", o.args, "KEY=VALUE for the guest, in the boot-information block's argument area");
  cmd->add_option("--file", o.files,
                  "NAME=HOST_PATH (or HOST_PATH: named by its base name): a file of the initial image the guest kernel "
                  "reads its programs from (a cpio archive below the boot stacks)");
  cmd->add_option("--tree", o.trees,
                  "NAME=HOST_DIR: the directory NAME of the initial image, with everything below HOST_DIR in it "
                  "(directories, files, symbolic links as they are)");
  cmd->add_flag("--stats", o.stats, "print per-CPU and per-cache statistics to stderr");
  cmd->add_option("--stats-json", o.stats_json, "write all statistics as JSON to this file");
  cmd->add_option("--events", o.events_file, "write the event log to this file, one JSON object per line");
  CLI::Option* max_ms =
      cmd->add_option("--max-ms", o.max_ms, "simulated milliseconds before giving up (exit code 124)")
          ->check(kPositiveWhole)
          ->check(CLI::Range(uint64_t(1), uint64_t(1'000'000)))  // 1000 s, as a scenario's times
          ->capture_default_str();
  add_gdb_options(*cmd, o.gdb, "; no time limit")->excludes(max_ms);
  return {cmd, [&o] { return direct::run_bare(o); }};
}

Command add_run(CLI::App& app, scenario::RunOptions& o, unsigned& cpus, std::string& seeds) {
  CLI::App* cmd = app.add_subcommand("run", "run a scenario: boot, workloads, updates, checks, reports");
  cmd->add_option("scenario", o.scenario, "the scenario (YAML)")->required();
  cmd->add_option("--out", o.out_dir,
                  "folder for report.json, trace.json, report.html (default out/NAME; with --set or --cpus, "
                  "out/NAME--KEY-VALUE_..., so the scenario's own report is not replaced)");
  cmd->add_option("--set", o.overrides, "override a scenario or machine value, e.g. --set machine.cpus=8");
  cmd->add_option("--cpus", cpus, "number of CPUs (short for --set machine.cpus=N)")->check(CLI::Range(1, 64));
  cmd->add_flag_callback("--no-summary", [&o] { o.summary = false; }, "do not print the terminal summary");
  cmd->add_option("--events", o.events_file, "also write the event log to this file, one JSON object per line");
  cmd->add_option("--seeds", seeds,
                  "run once per seed (e.g. 1-10 or 1,3,5), each seed's reports in OUT/seed-N, and write the spread of every "
                  "figure over them (mean, sd, min, max, 95 % CI) to OUT/report.json, summary.txt and report.html");
  cmd->footer("-q: print only what failed (no progress line, no summary; the guest's console goes to OUT/console.txt); -v: the summary lists every phase, per-CPU rates "
              "and what each metric is, and debug messages are logged.");
  return {cmd, [&o, &cpus, &seeds] {
            if (cpus) o.overrides.push_back("machine.cpus=" + std::to_string(cpus));
            if (!seeds.empty()) return scenario::run_seeds(o, seeds, std::filesystem::canonical("/proc/self/exe").string());
            return scenario::run_scenario(o);
          }};
}

Command add_sweep(CLI::App& app, sweep::SweepOptions& o) {
  CLI::App* cmd = app.add_subcommand("sweep", "run a scenario's variants (here, -j at a time, or on Slurm) and tabulate them");
  cmd->add_option("scenario", o.scenario, "the scenario (YAML)");
  cmd->add_option("--vary", o.vary, "KEY=V1,V2,... (cpus, quantum, protocol, or any --set key)");
  cmd->add_option("--set", o.overrides, "a fixed override for every variant");
  cmd->add_option("--out", o.out_dir, "folder for the plan, the variants, sweep.csv and sweep.html");
  cmd->add_option("-j,--jobs", o.jobs, "variants run at a time (default: the number of cores)")->check(CLI::PositiveNumber);
  cmd->add_flag("--force", o.force, "run every variant again, even those that finished to this plan");
  cmd->add_flag("--dry-run", o.dry_run, "print the plan (plan.json) and run nothing");
  cmd->add_option("--plot", o.plot, "the metrics sweep.html plots, METRIC[,METRIC] (default: every one)")->delimiter(',');
  cmd->add_flag("--slurm", o.slurm.submit, "submit the plan to Slurm as one job array, and a job that collects the table");
  cmd->add_option("--partition", o.slurm.partition, "with --slurm: the partition (sbatch --partition)");
  cmd->add_option("--time", o.slurm.time, "with --slurm: each task's time limit (sbatch --time, e.g. 30:00)");
  cmd->add_option("--cpus-per-task", o.slurm.cpus_per_task, "with --slurm: sbatch --cpus-per-task")->check(CLI::PositiveNumber);
  cmd->add_option("--collect", o.collect, "tabulate the sweep in DIR (its plan.json) and name missing or failed variants");
  cmd->add_option("--task", o.task, "run Slurm array task K's variants of the plan in --out (what the batch script runs)")
      ->check(CLI::NonNegativeNumber);
  cmd->footer("Without --collect or --task: SCENARIO and at least one --vary are needed. "
              "Variants that finished to the same plan (same inputs hash) are not run again; see tools/README.md, \"Sweeps\".");
  return {cmd, [&o] {
            o.self = std::filesystem::canonical("/proc/self/exe").string();
            return sweep::sweep(o);
          }};
}

Command add_converge(CLI::App& app, converge::ConvergeOptions& o) {
  CLI::App* cmd = app.add_subcommand("converge", "run a scenario at several quanta and compare every figure with the finest");
  cmd->add_option("scenario", o.scenario, "the scenario (YAML)")->required();
  cmd->add_option("--quanta", o.quanta, "quanta in cycles, comma-separated; the smallest is the reference (default 1,10,100,1000)");
  cmd->add_option("--seeds", o.seeds, "run seeds 1..N at each quantum and compare means, with the spread (default: the scenario's seed)");
  cmd->add_option("--set", o.overrides, "a fixed override for every run (e.g. machine.sync_policy=quantum)");
  cmd->add_option("--check", o.checks, "NAME or NAME=PERCENT: exit 123 unless this figure is within PERCENT (default 10) of the "
                                       "reference, or within the spread over seeds, at every quantum");
  cmd->add_option("--out", o.out_dir, "folder for the runs, converge.csv, converge.json and converge.html");
  return {cmd, [&o] {
            o.self = std::filesystem::canonical("/proc/self/exe").string();
            return converge::converge(o);
          }};
}

Command add_validate(CLI::App& app, std::string& path, std::vector<std::string>& overrides) {
  CLI::App* cmd = app.add_subcommand("validate", "check a scenario (compiling its modules) or a machine config");
  cmd->add_option("file", path, "the YAML file")->required();
  cmd->add_option("--set", overrides, "an override, as run takes it, e.g. --set kernel=other.elf");
  return {cmd, [&path, &overrides] { return scenario::validate_file(path, overrides); }};
}

Command add_open(CLI::App& app, std::string& path) {
  CLI::App* cmd = app.add_subcommand("open", "open a run's report.html (or a sweep's sweep.html) in a browser, or print its path");
  cmd->add_option("path", path, "a report folder (out/NAME), a sweep folder or an .html file")->required();
  cmd->footer("Uses $BROWSER, else xdg-open, chromium or firefox, when there is a display ($DISPLAY or $WAYLAND_DISPLAY); "
              "otherwise prints the page's path: it is one self-contained file, to open anywhere.");
  return {cmd, [&path] { return report::open_page(path); }};
}

Command add_lab(CLI::App& app, lab::LabOptions& o) {
  CLI::App* cmd = app.add_subcommand("lab", "the teaching labs: list them, start one, grade your work (labs/README.md)");
  cmd->add_option("action", o.action, "list, start or check")->required()->check(CLI::IsMember({"list", "start", "check"}));
  cmd->add_option("number", o.number, "the lab (start, check)")->check(CLI::Range(1, 99));
  cmd->add_option("--work", o.work_dir, "the folder that holds your labs (default labs/work; lab N's files are in WORK/N)");
  cmd->add_option("--results", o.results, "check: write the results JSON here (default WORK/N/results/results.json)");
  cmd->footer("check: -v (--verbose) also prints every failing number and each test's report paths. The exit code is 0 at full "
              "marks, 123 below them, 125 for a lab that does not exist or is not started.");
  return {cmd, [cmd, &o] {
            o.verbose = cmd->get_parent()->get_option("--verbose")->count() > 0;
            o.self = std::filesystem::canonical("/proc/self/exe").string();
            return lab::lab_command(o);
          }};
}

// `./dusim test` is the script's (it builds, then runs ctest); listed here so
// that --help shows it.
Command add_test(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("test", "build and run the test suite (ctest; arguments go to ctest, e.g. -L scenario)");
  cmd->allow_extras();
  return {cmd, [] {
            std::fprintf(stderr, "dusim: `test` is run by the ./dusim script: ./dusim test [ctest arguments]\n");
            return exit_code::kUsage;
          }};
}

const char* const kCommands[] = {"run-elf", "run-bare", "run", "sweep", "converge", "validate", "open", "lab", "test"};

// The first word that is not an option, when it names no command (CLI11
// would say only "A subcommand is required").
bool unknown_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.empty() || a[0] == '-') continue;
    std::vector<std::string> names(std::begin(kCommands), std::end(kCommands));
    if (std::find(names.begin(), names.end(), a) != names.end()) return false;
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    std::fprintf(stderr, "dusim: unknown command '%s'%s (commands: %s; ./dusim --help)\n", a.c_str(), tools::did_you_mean(a, names).c_str(),
                 list.c_str());
    return true;
  }
  return false;
}

// The subcommand's exit code; an exception that escaped it is an input error.
int run_guarded(const std::function<int()>& action) {
  try {
    return action();
  } catch (const YAML::Exception& e) {  // malformed YAML that slipped past the strict reader
    std::fprintf(stderr, "dusim: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dusim: error: %s\n", e.what());
  }
  return exit_code::kUsage;
}

}  // namespace

// The tool's body. SystemC expects its simulations to start in sc_main().
int sc_main(int argc, char** argv) {
  CLI::App app{"dusim: a cycle-approximate simulator of a cache-coherent multi-CPU ppc64 machine for studying live OS updates",
               "./dusim"};
  app.require_subcommand(1);
  app.fallthrough();  // -v and -q also after the command: ./dusim run X.yaml -q
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "log debug messages; `run` prints every phase and what each metric is");
  app.add_flag("-q,--quiet", quiet, "log errors only; `run` prints only what failed");
  app.set_version_flag("--version", std::string("dusim ") + DUSIM_VERSION + " (SystemC " + sc_core::sc_release() + "; plots: " +
                                        std::string(report::web::plot_library_versions()) + ")");
  if (unknown_command(argc, argv)) return exit_code::kUsage;

  direct::RunElfOptions elf;
  direct::RunBareOptions bare;
  scenario::RunOptions run;
  unsigned run_cpus = 0;
  std::string run_seeds;
  sweep::SweepOptions sweep;
  converge::ConvergeOptions converge;
  std::string validate, open;
  lab::LabOptions labs;
  std::vector<std::string> validate_sets;
  const std::vector<Command> commands{add_run_elf(app, elf), add_run_bare(app, bare), add_run(app, run, run_cpus, run_seeds),
                                      add_sweep(app, sweep),   add_converge(app, converge), add_validate(app, validate, validate_sets),
                                      add_open(app, open),     add_lab(app, labs),      add_test(app)};  // in the order --help lists them

  // "Simulation stopped by user" after every power-off is noise.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code::kUsage;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::info);
  run.verbosity = quiet ? scenario::Verbosity::Quiet : verbose ? scenario::Verbosity::Verbose : scenario::Verbosity::Normal;
  spdlog::set_pattern("dusim: %l: %v");
  for (const Command& c : commands)
    if (c.cli->parsed()) return run_guarded(c.action);
  return exit_code::kUsage;
}

// Our own main() replaces the one in libsystemc so that SystemC's banner,
// which would mix with the guest's console output, can be switched off
// before the SystemC kernel starts.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
