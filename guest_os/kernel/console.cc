// Console output through the UART (one byte per register write).
#include "kernel/console.h"

#include "kernel/machine.h"
#include "kernel/spinlock.h"

namespace {
SpinLock g_console_lock;
}

void console_write_unlocked(const char* s, uval len) {
  for (uval i = 0; i < len; ++i) mach::reg(mach::kUart, mach::uart::kTx) = u8(s[i]);
}

void console_write(const char* s, uval len) {
  SpinGuard g(g_console_lock);
  console_write_unlocked(s, len);
}

void kvprintf(const char* fmt, va_list ap) {
  char buf[512];
  int n = kvsnprintf(buf, sizeof buf, fmt, ap);
  if (n > int(sizeof buf) - 1) n = sizeof buf - 1;
  console_write(buf, uval(n));
}

void kprintf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
}
