// Faults, for the host to check its fault report (tests/guest/CMakeLists.txt
// asserts on the report text): a deliberate panic a few calls deep in a
// thread, a failed assertion, and an unhandled exception (an illegal
// instruction) whose trap frame goes to the host.
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
  ThreadOptions o;
  o.cpu = int(ncpus() - 1);
  o.name = "panicking thread";
  Thread::create(fault_test_outer, nullptr, o);
  Latch never(1);
  never.wait();
}

extern "C" __attribute__((noinline)) void fault_test_assert(u64 v) {
  KASSERT(v == 42);
  asm volatile("" ::: "memory");
}

KTEST(assert_report, "1") {
  volatile u64 v = 41;
  fault_test_assert(v);
  KEXPECT(false, "a failed assertion returned");
}

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
