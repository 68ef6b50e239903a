// Faults, for the host to check its fault report: a deliberate panic a few
// calls deep in a thread, a failed assertion, and an unhandled exception (an
// illegal instruction) whose trap frame goes to the host. Each test's
// KTEST_REPORT lines say what the report must show (the run's exit code is
// 126, a guest fault); tests/guest/CMakeLists.txt checks them.
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

// Kept out of line and with external names, so the backtrace shows them.
extern "C" __attribute__((noinline)) void fault_test_innermost(u64 depth) {
  panic("deliberate panic for the fault report test (depth %lu)", depth);
}
extern "C" __attribute__((noinline)) void fault_test_middle(u64 depth) {
  fault_test_innermost(depth + 1);
  asm volatile("" ::: "memory");
}
extern "C" __attribute__((noinline)) void fault_test_outer(void*) {
  fault_test_middle(1);
  asm volatile("" ::: "memory");
}

KTEST(panic_report, "1,4") {
  // The panic comes from the last CPU (@LAST_CPU@ in the report patterns below).
  ThreadOptions o;
  o.cpu = int(ncpus() - 1);
  o.name = "panicking thread";
  Thread::create(fault_test_outer, nullptr, o);
  Latch never(1);
  never.wait();
}
KTEST_REPORT(panic_report, "guest panic: deliberate panic for the fault report test");
KTEST_REPORT(panic_report, "at pc 0x[0-9a-f]+ <[^>]+>");
KTEST_REPORT(panic_report, "backtrace:");
KTEST_REPORT(panic_report, "fault_test_innermost");
KTEST_REPORT(panic_report, "fault_test_middle");
KTEST_REPORT(panic_report, "fault_test_outer");
KTEST_REPORT(panic_report, "thread_main");
KTEST_REPORT(panic_report, "registers:");
KTEST_REPORT(panic_report, "r1 +[0-9a-f]{16}");
KTEST_REPORT(panic_report, "lr +[0-9a-f]{16}");
KTEST_REPORT(panic_report, "msr +[0-9a-f]{16}");
KTEST_REPORT(panic_report, "last events of cpu");
KTEST_REPORT(panic_report, "guest fault on cpu @LAST_CPU@:");

extern "C" __attribute__((noinline)) void fault_test_assert(u64 v) {
  KASSERT(v == 42);
  asm volatile("" ::: "memory");
}

KTEST(assert_report, "1") {
  volatile u64 v = 41;
  fault_test_assert(v);
  KEXPECT(false, "a failed assertion returned");
}
KTEST_REPORT(assert_report, "guest panic: assertion failed: v == 42");
KTEST_REPORT(assert_report, "backtrace:");
KTEST_REPORT(assert_report, "fault_test_assert");
KTEST_REPORT(assert_report, "registers:");

extern "C" __attribute__((noinline)) void fault_test_illegal(void*) {
  asm volatile(".long 0" ::: "memory");  // not an instruction: program interrupt
}

KTEST(exception_report, "1,2") {
  ThreadOptions o;
  o.cpu = int(ncpus() - 1);
  Thread::create(fault_test_illegal, nullptr, o);
  Latch never(1);
  never.wait();
}
KTEST_REPORT(exception_report, "guest panic: unhandled exception 0x700 \\(program\\)");
KTEST_REPORT(exception_report, "vector 0x700");
KTEST_REPORT(exception_report, "at pc 0x[0-9a-f]+ <fault_test_illegal");
KTEST_REPORT(exception_report, "backtrace:");
KTEST_REPORT(exception_report, "registers:");
