// Executes a supervisor instruction (mfmsr) in problem state: SIGILL, exit 132.
#include <stdio.h>

int main(void) {
  puts("reading the MSR");
  fflush(stdout);
  unsigned long msr;
  __asm__ volatile("mfmsr %0" : "=r"(msr));
  printf("MSR %lx\n", msr);
  return 0;
}
