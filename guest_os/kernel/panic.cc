// Panics and power-off.
//
// A panic prints the message and a guest-side backtrace (symbolized with the
// embedded symbol table) on the console, then hands the message and the
// register frame to the host through sim-control's PANIC register; the host
// prints its fault report and ends the run with exit code 126. A dusim
// without the PANIC register ignores the write, so the kernel then powers
// off with 126 itself.
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/ksym.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/trap.h"

namespace {
volatile u64 g_panicking = 0;
char g_early_panic_buf[256];  // before the per-CPU area exists

void print_unlocked(const char* fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = kvsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  console_write_unlocked(buf, uval(n < int(sizeof buf) ? n : int(sizeof buf) - 1));
}

void print_pc(const char* prefix, uval pc) {
  ksym::Symbol s;
  uval off;
  if (ksym::find(pc, &s, &off)) print_unlocked("%s0x%lx %s+0x%lx\n", prefix, pc, s.name, off);
  else print_unlocked("%s0x%lx\n", prefix, pc);
}

bool plausible_stack(uval sp) { return sp && (sp & 15) == 0 && sp < 0xf0000000ul; }

void print_backtrace(uval sp, unsigned max) {
  for (unsigned i = 0; i < max && plausible_stack(sp); ++i) {
    uval next = *reinterpret_cast<uval*>(sp);
    if (!plausible_stack(next) || next <= sp) break;
    print_pc("  called from ", *reinterpret_cast<uval*>(next + 16));
    sp = next;
  }
}

[[noreturn]] void panic_common(const TrapFrame* f, const char* fmt, va_list ap) {
  asm volatile("mtmsrd %0,1" ::"r"(0ul) : "memory");  // EE off
  u64 cpu = mach::reg(mach::kIntc, mach::intc::kWhoAmI);
  if (atomic_fetch_add(&g_panicking, 1) != 0) {
    // Another CPU (or this one, recursively) is already panicking: the host
    // stops the machine on the first PANIC; make sure we never continue.
    for (;;) mach::cpu_relax();
  }
  char* msg = g_ncpus && cpu < kMaxCpus && g_percpu[cpu].self ? g_percpu[cpu].panic_buf : g_early_panic_buf;
  kvsnprintf(msg, 256, fmt, ap);
  print_unlocked("\n*** PANIC on CPU %lu: %s\n", cpu, msg);
  uval sp;
  if (f) {
    print_pc("  at ", f->pc);
    print_pc("  lr ", f->lr);
    sp = f->gpr[1];
  } else {
    asm volatile("mr %0,1" : "=r"(sp));
  }
  print_backtrace(sp, 24);
  ev::emit(ev::PANIC, uval(msg), uval(f));
  mach::reg(mach::kSimControl, mach::simctl::kArg0) = uval(f);
  mach::reg(mach::kSimControl, mach::simctl::kPanic) = uval(msg);
  mach::reg(mach::kSimControl, mach::simctl::kPowerOff) = 126;
  for (;;) mach::cpu_relax();
}
}  // namespace

void panic(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  panic_common(nullptr, fmt, ap);
}

void panic_frame(const TrapFrame* f, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  panic_common(f, fmt, ap);
}

void power_off(int code) {
  ev::emit(ev::POWER_OFF, u64(code));
  mach::reg(mach::kSimControl, mach::simctl::kPowerOff) = u64(code);
  for (;;) mach::cpu_relax();
}

namespace ev {
bool trace_threads, trace_switches, trace_ipis, trace_locks;

void name_range(const char* name, uval base, uval size) {
  u64 f = irq_save();
  mach::reg(mach::kSimControl, mach::simctl::kRangeBase) = base;
  mach::reg(mach::kSimControl, mach::simctl::kRangeSize) = size;
  mach::reg(mach::kSimControl, mach::simctl::kRangeName) = uval(name);
  irq_restore(f);
}
}  // namespace ev
