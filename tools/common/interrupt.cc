#include "common/interrupt.h"

#include <unistd.h>

#include <cstdio>
#include <initializer_list>

namespace dusim::tools {

namespace {

volatile std::sig_atomic_t g_signal = 0;

void on_signal(int sig) {
  if (g_signal) {  // the second one: at once
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
  static const char note[] = "\ndusim: interrupted: stopping at the next quantum and writing the reports (again to quit now)\n";
  ssize_t n = ::write(STDERR_FILENO, note, sizeof note - 1);
  (void)n;
}

}  // namespace

void catch_interrupts() {
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
