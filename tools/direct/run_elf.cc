#include "direct/run_elf.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "direct/ending.h"
#include "exit_codes.h"
#include "gdb/linux_process_target.h"
#include "user_mode/linux_process.h"

namespace dusim::direct {

namespace {

// The run to its end, or to the debugger's; nullopt when GDB ended it.
std::optional<LinuxProcess::Result> run_process(LinuxProcess& proc, const RunElfOptions& o) {
  if (!o.gdb.wanted()) return proc.run(o.max_insns, o.trace);
  gdb::StubResult g = gdb::run_under_gdb(proc, o.gdb.options(), o.trace);
  if (ended_by_debugger(g)) return std::nullopt;
  bool exited = g.kind == gdb::StubResult::Kind::Exited;
  return LinuxProcess::Result{exited ? LinuxProcess::Outcome::Exited : LinuxProcess::Outcome::Faulted, g.exit_code, g.fault_report};
}

int exit_code_for(const LinuxProcess::Result& r, const RunElfOptions& o) {
  using O = LinuxProcess::Outcome;
  Ending how = r.outcome == O::Exited ? Ending::GuestExit : r.outcome == O::LimitReached ? Ending::Limit : Ending::Fault;
  return direct::exit_code_for(how, r.exit_code, r.fault, fmt::format("instruction limit of {} reached", o.max_insns));
}

}  // namespace

int run_elf(const RunElfOptions& o) {
  std::vector<std::string> argv{o.elf};
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  std::vector<std::string> envp{"PATH=/usr/bin:/bin", "LANG=C"};
  try {
    LinuxProcess proc(o.elf, argv, envp);
    spdlog::debug("loaded {}: entry {:#x}, {} symbols", o.elf, proc.cpu().pc, proc.image().symbols().all().size());
    auto t0 = std::chrono::steady_clock::now();
    std::optional<LinuxProcess::Result> r = run_process(proc, o);
    if (!r) return exit_code::kEndedByDebugger;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
    if (o.stats) {
      const ppc::Cpu& c = proc.cpu();
      std::fprintf(stderr, "dusim: instructions=%llu cycles=%llu decoded=%llu host_seconds=%.3f mips=%.1f\n",
                   (unsigned long long)c.icount, (unsigned long long)c.cycles,
                   (unsigned long long)proc.code().decodes, secs, secs > 0 ? c.icount / secs / 1e6 : 0.0);
    }
    return exit_code_for(*r, o);
  } catch (const std::runtime_error& e) {  // a bad ELF file; the GDB stub cannot listen
    std::fprintf(stderr, "dusim: %s\n", e.what());
    return exit_code::kUsage;
  }
}

}  // namespace dusim::direct
