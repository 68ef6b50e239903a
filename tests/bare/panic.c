// Reports one guest test result, then panics three calls deep. The host's
// fault report must name the message, the functions on the back chain and
// the registers; the run ends with exit code 126.
#include "bare.h"

static const char* volatile message = "deliberate panic for the fault-report test";

__attribute__((noinline)) static void innermost(u64 depth) {
  MMIO(SIMCTL_BASE + 0x08) = 0;  // ARG0 = 0: the live registers
  MMIO(SIMCTL_BASE + 0x68) = (u64)message;
  for (;;) {
  }
}
__attribute__((noinline)) void middle_frame(u64 depth) {
  innermost(depth + 1);
  __asm__ volatile("" ::: "memory");  // keep the call a real call
}
__attribute__((noinline)) void outer_frame(u64 depth) {
  middle_frame(depth + 1);
  __asm__ volatile("" ::: "memory");
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  (void)bi;
  if (cpu != 0) for (;;) {}
  MMIO(SIMCTL_BASE + 0x08) = 0;
  MMIO(SIMCTL_BASE + 0x10) = 0;
  MMIO(SIMCTL_BASE + 0x60) = (u64) "panic.reports_a_test";
  event(0x77, 1, 2);
  outer_frame(0);
}
