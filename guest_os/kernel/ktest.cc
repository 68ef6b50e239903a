// The guest test runner (ktest.h).
#include "kernel/ktest.h"

#include <stdarg.h>

#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/thread.h"

extern "C" const KTestCase __ktests_start[], __ktests_end[];

namespace ktest {
namespace {
volatile u64 g_failures = 0;
SpinLock g_msg_lock;
char g_msg[256];
}  // namespace

void fail(const char* file, int line, const char* fmt, ...) {
  char buf[200];
  va_list ap;
  va_start(ap, fmt);
  kvsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  kprintf("ktest: CHECK FAILED at %s:%d: %s\n", file, line, buf);
  SpinGuard g(g_msg_lock);
  if (atomic_fetch_add(&g_failures, 1) == 0) ksnprintf(g_msg, sizeof g_msg, "%s:%d: %s", file, line, buf);
}

bool failed() { return g_failures != 0; }

u64 arg(const char* key, u64 def) { return bootargs::get_u64(key, def); }

bool start_threads(unsigned count, void (*fn)(void*), void* arg, const char* name) {
  for (unsigned t = 0; t < count; ++t) {
    ThreadOptions o;
    o.cpu = int(t % ncpus());
    o.name = name;
    if (!Thread::create(fn, arg, o)) return false;
  }
  return true;
}

bool run_selected() {
  const char* name = bootargs::get("test");
  if (!name) return false;
  if (strcmp(name, "list") == 0) {
    for (const KTestCase* t = __ktests_start; t < __ktests_end; ++t) kprintf("ktest %s cpus=%s\n", t->name, t->cpus);
    power_off(0);
  }
  const KTestCase* tc = nullptr;
  for (const KTestCase* t = __ktests_start; t < __ktests_end; ++t)
    if (strcmp(t->name, name) == 0) tc = t;
  if (!tc) {
    ksnprintf(g_msg, sizeof g_msg, "no guest test named '%s' (test=list shows them)", name);
    kprintf("ktest %s: FAIL: %s\n", name, g_msg);
    u64 f = irq_save();
    mach::reg(mach::kSimControl, mach::simctl::kArg0) = 1;
    mach::reg(mach::kSimControl, mach::simctl::kArg0 + 8) = uval(g_msg);
    mach::reg(mach::kSimControl, mach::simctl::kTestResult) = uval(name);
    irq_restore(f);
    power_off(1);
  }
  kprintf("ktest %s: start on %u CPUs\n", tc->name, ncpus());
  ev::emit(ev::TEST_BEGIN, uval(tc->name));
  u64 t0 = mach::cycles();
  tc->fn();
  u64 spent = mach::cycles() - t0;
  bool pass = !failed();
  ev::emit(ev::TEST_END, uval(tc->name), pass, spent);
  {
    u64 f = irq_save();
    mach::reg(mach::kSimControl, mach::simctl::kArg0) = pass ? 0 : 1;
    mach::reg(mach::kSimControl, mach::simctl::kArg0 + 8) = pass ? 0 : uval(g_msg);
    mach::reg(mach::kSimControl, mach::simctl::kTestResult) = uval(tc->name);
    irq_restore(f);
  }
  if (pass) kprintf("ktest %s: PASS (%lu cycles)\n", tc->name, spent);
  else kprintf("ktest %s: FAIL: %s\n", tc->name, g_msg);
  power_off(pass ? 0 : 1);
}

}  // namespace ktest
