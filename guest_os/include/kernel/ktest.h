// Guest tests. A test is a function registered with KTEST(name, "cpus"):
// the string lists the CPU counts the host runs it on ("1,4,16"); the host
// build (tests/guest/CMakeLists.txt) reads these declarations from the
// sources and registers one ctest case per test and CPU count, each booting
// the kernel with `--arg test=NAME`. The test runs in a kernel thread on
// CPU 0 once every CPU is up; it reports through sim-control's TEST_RESULT
// register and the kernel powers off with 0 (pass) or 1 (fail).
//
//   KTEST(locks_no_lost_update, "2,4,16") {
//     ...
//     KEXPECT(total == expected, "total %lu, expected %lu", total, expected);
//   }
//
// KEXPECT records a failure (the first message is kept) and continues;
// KREQUIRE records and returns from the test. Both may be used from any
// thread the test creates.
//
// A fault test makes the kernel fault on purpose, so the host's fault report
// (and exit code 126) is its outcome; what that report must show is declared
// beside the test, one extended regular expression per line, and checked by
// the host (tests/guest/CMakeLists.txt reads these lines; @LAST_CPU@ stands
// for the run's highest CPU number):
//
//   KTEST_REPORT(panic_report, "backtrace:");
#pragma once

#include "kernel/types.h"

struct KTestCase {
  const char* name;
  const char* cpus;
  void (*fn)();
};

namespace ktest {
void fail(const char* file, int line, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
bool failed();
// Runs the test named by boot argument `test`; false when there is none.
bool run_selected();
u64 arg(const char* key, u64 def);  // boot argument, for test parameters
// Starts `count` counted kernel threads running fn(arg), thread t on CPU
// t % ncpus(); false when one could not be created (those before it run).
// The test's thread.
bool start_threads(unsigned count, void (*fn)(void*), void* arg, const char* name = nullptr);
}  // namespace ktest

#define KTEST(name, cpus)                                                                               \
  static void ktest_fn_##name();                                                                        \
  __attribute__((section(".ktests"), used, aligned(8))) static const KTestCase ktest_case_##name = { \
      #name, cpus, ktest_fn_##name};                                                                    \
  static void ktest_fn_##name()

#define KTEST_REPORT(name, pattern) static_assert(sizeof(pattern) > 1, #name ": an empty report pattern")

#define KEXPECT(cond, ...)                                         \
  do {                                                             \
    if (unlikely(!(cond))) ktest::fail(__FILE__, __LINE__, __VA_ARGS__); \
  } while (0)
#define KREQUIRE(cond, ...)                           \
  do {                                                \
    if (unlikely(!(cond))) {                          \
      ktest::fail(__FILE__, __LINE__, __VA_ARGS__);   \
      return;                                         \
    }                                                 \
  } while (0)
