#include "direct/run_elf.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "exit_codes.h"
#include "gdb/linux_process_target.h"
#include "user_mode/linux_process.h"

namespace dusim::direct {

namespace {

// The run to its end, or to the debugger's; nullopt when GDB ended it.
std::optional<LinuxProcess::Result> run_process(LinuxProcess& proc, const RunElfOptions& o) {
  if (o.gdb_port < 0) return proc.run(o.max_insns, o.trace);
  gdb::StubResult g = gdb::run_under_gdb(proc, {uint16_t(o.gdb_port), o.gdb_exit_on_disconnect}, o.trace);
  if (g.kind == gdb::StubResult::Kind::Killed || g.kind == gdb::StubResult::Kind::ConnectionLost) return std::nullopt;
  bool exited = g.kind == gdb::StubResult::Kind::Exited;
  return LinuxProcess::Result{exited ? LinuxProcess::Outcome::Exited : LinuxProcess::Outcome::Faulted, g.exit_code, g.fault_report};
}

int exit_code_for(const LinuxProcess::Result& r, const RunElfOptions& o) {
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
  return exit_code::kSuccess;
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
