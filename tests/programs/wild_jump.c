// Jumps to memory no segment covers: the guest kills the process
// (SIGSEGV, exit 139) with a report and keeps running.
#include <stdio.h>

int main(void) {
  puts("jumping to 0x7000000");
  fflush(stdout);
  // A branch through CTR (a C call through a pointer would first load the
  // ELFv1 descriptor from there, a data fault).
  __asm__ volatile("lis 9,0x700\n mtctr 9\n bctrl" ::: "r9", "ctr", "lr", "memory");
  puts("still here?");
  return 0;
}
