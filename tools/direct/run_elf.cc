#include "direct/run_elf.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

#include "common/errors.h"
#include "common/interrupt.h"
#include "common/output_file.h"
#include "direct/ending.h"
#include "direct/timing.h"
#include "exit_codes.h"
#include "gdb/linux_process_target.h"
#include "platform/machine_config.h"
#include "user_mode/linux_process.h"

namespace dusim::direct {

namespace {

// The run to its end, or to the debugger's; nullopt when GDB ended it.
std::optional<LinuxProcess::Result> run_process(LinuxProcess& proc, const RunElfOptions& o) {
  if (!o.gdb.wanted()) return proc.run(o.max_insns, o.trace);
  gdb::StubResult g = gdb::run_under_gdb(proc, o.gdb.options(), o.trace);
  if (ended_by_debugger(g)) return std::nullopt;
  if (proc.result()) return *proc.result();  // exited, killed by a signal, or faulted
  return LinuxProcess::Result{LinuxProcess::Outcome::Faulted, g.exit_code, g.fault_report};
}

int exit_code_for(const LinuxProcess::Result& r, const RunElfOptions& o) {
  using O = LinuxProcess::Outcome;
  if (r.outcome == O::Killed) {
    // As a shell reports a process a signal ended: 128 + the signal.
    std::fprintf(stderr, "dusim: the guest was killed by signal %d (%s)\n", r.signal, strsignal(r.signal));
    return 128 + r.signal;
  }
  // (Interrupted: run_elf has ended the tool by the signal before this.)
  Ending how = r.outcome == O::Exited ? Ending::GuestExit : r.outcome == O::LimitReached ? Ending::Limit : Ending::Fault;
  return direct::exit_code_for(how, r.exit_code, r.fault, fmt::format("instruction limit of {} reached", o.max_insns));
}

// What --stats-json records as "outcome".
const char* outcome_name(LinuxProcess::Outcome o) {
  using O = LinuxProcess::Outcome;
  switch (o) {
    case O::Exited: return "exited";
    case O::Faulted: return "fault";
    case O::LimitReached: return "limit";
    case O::Killed: return "killed";
    case O::Interrupted: return "interrupted";
  }
  return "?";
}

void print_stats(const LinuxProcess& proc, const TimingMemory* timing, const LinuxProcess::Result& r, double secs,
                 const RunElfOptions& o) {
  if (o.stats) {
    // Cycles: the simulated time, the furthest any thread's clock got.
    uint64_t insns = proc.total_instructions(), cycles = 0;
    for (const auto& t : proc.threads()) cycles = std::max(cycles, t->cpu.cycles);
    std::string threads = proc.threads().size() > 1 ? fmt::format(" threads={}", proc.threads().size()) : "";
    std::fprintf(stderr, "dusim: instructions=%llu cycles=%llu decoded=%llu%s host_seconds=%.3f mips=%.1f\n",
                 (unsigned long long)insns, (unsigned long long)cycles, (unsigned long long)proc.decodes(),
                 threads.c_str(), secs, secs > 0 ? insns / secs / 1e6 : 0.0);
  }
  if (timing) {
    std::fputs(timing->text().c_str(), stderr);
    if (!o.stats_json.empty()) {
      nlohmann::ordered_json j = timing->stats();
      j["outcome"] = outcome_name(r.outcome);
      tools::write_output(o.stats_json, j.dump(2) + "\n");
    }
  }
}

}  // namespace

int run_elf(const RunElfOptions& o) {
  std::vector<std::string> argv{o.elf};
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  std::vector<std::string> envp{"PATH=/usr/bin:/bin", "LANG=C"};
  try {
    LinuxProcess proc(o.elf, argv, envp, o.process);
    spdlog::debug("loaded {}: entry {:#x}, {} symbols", o.elf, proc.cpu().pc, proc.image().symbols().all().size());
    std::unique_ptr<TimingMemory> timing;
    if (o.timing) {
      MachineConfig cfg = load_machine_config(o.config);
      if (!cfg.caches) throw std::runtime_error(o.config + ": --timing needs the cache model (caches.enabled is false)");
      timing = std::make_unique<TimingMemory>(proc, cfg);
    }
    // An earlier run's file goes first (and a path that cannot be written is refused before anything runs).
    if (!o.stats_json.empty()) tools::remove_stale_output(o.stats_json);
    if (!o.gdb.wanted()) {  // under GDB, its Ctrl-C stops the program instead
      tools::catch_interrupts();  // SIGINT, SIGTERM: stop before the next slice, statistics written, then end by the signal
      proc.stop_when(tools::interrupt_flag());
    }
    auto t0 = std::chrono::steady_clock::now();
    std::optional<LinuxProcess::Result> r = run_process(proc, o);
    if (!r) return exit_code::kEndedByDebugger;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);  // the guest writes its stdout and stderr straight to the host's descriptors
    print_stats(proc, timing.get(), *r, secs, o);
    if (r->outcome == LinuxProcess::Outcome::Interrupted) {
      int sig = tools::interrupted_by();
      std::fprintf(stderr, "dusim: interrupted by %s after %llu instructions\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                   (unsigned long long)proc.total_instructions());
      tools::end_by_signal(sig);
    }
    return exit_code_for(*r, o);
  } catch (const tools::OutputError& e) {
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kOutputError;
  } catch (const std::runtime_error& e) {  // a bad ELF file, an unusable --root; the GDB stub cannot listen
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
}

}  // namespace dusim::direct
