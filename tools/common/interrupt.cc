#include "common/interrupt.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace dusim::tools {

namespace {

volatile std::sig_atomic_t g_signal = 0, g_count = 0;
SecondSignal g_second = SecondSignal::EndsAtOnce;
const char* g_note = "\ndusim: interrupted: stopping at the next quantum and writing the reports (again to quit now)\n";
size_t g_note_len = std::strlen(g_note);

void on_signal(int sig) {
  if (g_count < 1000) g_count = g_count + 1;
  if (g_signal) {
    if (g_second == SecondSignal::Counted) return;
    std::signal(sig, SIG_DFL);  // the second one: at once
    std::raise(sig);
    return;
  }
  g_signal = sig;
  ssize_t n = ::write(STDERR_FILENO, g_note, g_note_len);
  (void)n;
}

}  // namespace

void catch_interrupts(SecondSignal second, const char* note) {
  g_second = second;
  if (note) g_note = note, g_note_len = std::strlen(note);
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old = {};
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // ignored by whoever started us (nohup, a shell's `cmd &`): stays so
    sigaction(sig, &sa, nullptr);
  }
}

const volatile std::sig_atomic_t* interrupt_flag() { return &g_signal; }

int interrupted_by() { return g_signal; }

int interrupt_count() { return g_count; }

void end_by_signal(int sig) {
  std::fflush(nullptr);  // every output stream: stdout, and a console file (machine.console)
  std::signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  std::raise(sig);
  ::_exit(128 + sig);  // not reached
}

}  // namespace dusim::tools
