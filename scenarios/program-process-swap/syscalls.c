// A steady stream of system calls from every CPU: T threads (argv[1]) each
// make N getpid() calls (argv[2]) and check every answer against the first;
// the main thread joins them and prints the totals. Every call reaches the
// program's process object (guest_os/objects/program_process.cc) through
// the translation table, so while that object is hot-swapped the calls go
// through its mediator. The output depends only on the arguments: an update
// that lost, duplicated or misrouted a call would change it.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long calls_each = 20000;
static long first_pid;

static void* worker(void* arg) {
  long wrong = 0;
  for (long i = 0; i < calls_each; ++i)
    if (syscall(SYS_getpid) != first_pid) ++wrong;
  return (void*)wrong;
}

int main(int argc, char** argv) {
  long threads = argc > 1 ? strtol(argv[1], NULL, 0) : 4;
  if (argc > 2) calls_each = strtol(argv[2], NULL, 0);
  if (threads < 1 || threads > 64 || calls_each < 1) return 2;
  first_pid = syscall(SYS_getpid);
  pthread_t t[64];
  for (long i = 0; i < threads; ++i)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0) {
      printf("pthread_create %ld failed\n", i);
      return 1;
    }
  long wrong = 0;
  for (long i = 0; i < threads; ++i) {
    void* r;
    pthread_join(t[i], &r);
    wrong += (long)r;
  }
  printf("%ld threads made %ld getpid calls each: %ld wrong answers\n", threads, calls_each, wrong);
  return wrong ? 1 : 0;
}
