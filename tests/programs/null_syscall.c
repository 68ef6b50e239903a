// The cost of a system call seen from the program: N getpid() calls (argv[1],
// default 10000) timed with the time base (mftb, readable in problem
// state), and N iterations of an empty loop the same way; prints the
// time-base ticks of each (tools/bench/guest-programs.sh turns them into
// cycles). The output is a measurement, not compared with qemu-ppc64.
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline unsigned long timebase(void) {
  unsigned long t;
  __asm__ volatile("mftb %0" : "=r"(t));
  return t;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 0) : 10000;
  syscall(SYS_getpid);  // the first call's page faults out of the way
  unsigned long t0 = timebase();
  for (long i = 0; i < n; ++i) __asm__ volatile("" ::: "memory");
  unsigned long t1 = timebase();
  for (long i = 0; i < n; ++i) syscall(SYS_getpid);
  unsigned long t2 = timebase();
  printf("calls %ld loop_ticks %lu getpid_ticks %lu\n", n, t1 - t0, t2 - t1);
  return 0;
}
