// The `dusim` command-line tool.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "exit_codes.h"
#include "user_mode/linux_process.h"

namespace {

using namespace dusim;

struct RunElfOptions {
  std::string elf;
  std::vector<std::string> args;
  bool stats = false;
  bool trace = false;
  uint64_t max_insns = 0;
};

int run_elf(const RunElfOptions& o) {
  std::vector<std::string> argv{o.elf};
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  std::vector<std::string> envp{"PATH=/usr/bin:/bin", "LANG=C"};
  try {
    LinuxProcess proc(o.elf, argv, envp);
    spdlog::debug("loaded {}: entry {:#x}, {} symbols", o.elf, proc.cpu().pc, proc.image().symbols().all().size());
    auto t0 = std::chrono::steady_clock::now();
    LinuxProcess::Result r = proc.run(o.max_insns, o.trace);
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
  }
  return exit_code::kSuccess;
}

}  // namespace

int main(int argc, char** argv) {
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
  run_elf_cmd->prefix_command();  // everything after the program goes to the program
  run_elf_cmd->footer("Arguments after PROGRAM are passed to it unchanged.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code::kUsage;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::info);
  spdlog::set_pattern("dusim: %l: %v");

  if (run_elf_cmd->parsed()) {
    elf.args = run_elf_cmd->remaining();
    return run_elf(elf);
  }
  return exit_code::kUsage;
}
