// SIGINT and SIGTERM during a simulation (README.md, "Exit codes"): the
// first one asks the machine to stop at its next quantum (the run then
// writes its reports, marked run.outcome: interrupted, flushes the console
// and ends itself by the same signal: exit status 128 + N); a second one
// ends the tool at once, as the signal's default action does.
#pragma once

#include <csignal>

namespace dusim::tools {

// What a second signal does: end the tool at once (a simulation), or only
// count (`sweep`, which passes each one on to its running variants).
enum class SecondSignal { EndsAtOnce, Counted };
// Installs the handlers (idempotent); a signal the tool was started with
// ignored (nohup, a non-interactive shell's `cmd &`) stays ignored. `note`
// (a string literal) is written to stderr when the first one arrives (null:
// the simulation's "stopping at the next quantum" note).
void catch_interrupts(SecondSignal second = SecondSignal::EndsAtOnce, const char* note = nullptr);
// The flag the handlers set: the signal's number, 0 until one arrives
// (for Machine::stop_when).
const volatile std::sig_atomic_t* interrupt_flag();
// The signal that asked the run to stop, or 0.
int interrupted_by();
// How many SIGINTs and SIGTERMs have arrived (SecondSignal::Counted).
int interrupt_count();
// Flushes every output stream (stdout, a console file) and ends the process by `sig`'s default action
// (a shell sees 128 + sig, and a loop it runs stops too).
[[noreturn]] void end_by_signal(int sig);

}  // namespace dusim::tools
