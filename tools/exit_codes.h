// Exit codes of the `dusim` tool: the single source; README.md's "Exit
// codes" table lists each (tests/tools/check_cli.sh checks they agree).
#pragma once

#include <csignal>

namespace dusim::exit_code {
constexpr int kSuccess = 0;
constexpr int kSweepIncomplete = 1;  // sweep --collect: some variants have not finished
// run-elf / run-bare: otherwise the guest's own exit code (0-255 it chose).
constexpr int kOutputError = 120;  // an output file (report, table, --stats-json, --events) could not be written
constexpr int kCheckFailed = 123;  // a scenario check failed
constexpr int kLimitReached = 124; // instruction or time limit reached before the guest ended
constexpr int kUsage = 125;        // bad command line, missing or malformed input file
constexpr int kGuestFault = 126;   // the guest faulted (report on stderr)
// SIGINT or SIGTERM: the run stopped at its next quantum, wrote what it had
// (run.outcome: interrupted) and then ended itself by the same signal, so a
// shell sees 128 + N (130, 143) and a script's loop stops too.
constexpr int kInterruptedBySigint = 128 + SIGINT;   // 130
constexpr int kInterruptedBySigterm = 128 + SIGTERM; // 143
// 128 + SIGKILL, as a shell reports a killed program: ended by the debugger
// (GDB's kill, or a lost connection with --gdb-exit-on-disconnect).
constexpr int kEndedByDebugger = 137;
// 122: the ./dusim script could not build the tool.
constexpr int kBuildFailed = 122;
}  // namespace dusim::exit_code
