// Exit codes of the `dusim` tool (documented in README.md, "Exit codes").
#pragma once

namespace dusim::exit_code {
constexpr int kSuccess = 0;
// run-elf / run-bare: otherwise the guest's own exit code (0-255 it chose).
constexpr int kCheckFailed = 123;  // a scenario check failed
constexpr int kLimitReached = 124; // instruction or time limit reached before the guest ended
constexpr int kUsage = 125;        // bad command line, missing or malformed input file
constexpr int kGuestFault = 126;   // the guest faulted (report on stderr)
// 128 + SIGKILL, as a shell reports a killed program: ended by the debugger
// (GDB's kill, or a lost connection with --gdb-exit-on-disconnect).
constexpr int kEndedByDebugger = 137;
// 122: the ./dusim script could not build the tool.
}  // namespace dusim::exit_code
