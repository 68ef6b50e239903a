// Signals, clocks and output across three class updates: T threads
// (argv[1], one per CPU) each make R rounds (argv[2]) of
//   - rt_sigaction: a handler for its own signal A, then raise(A);
//   - a handler with SA_RESETHAND for its own signal B, raise(B), and
//     rt_sigaction asks that B's action is the default again;
//   - A blocked, raised, pending (rt_sigpending), unblocked: delivered;
//   - CLOCK_MONOTONIC read, and CLOCK_MONOTONIC_COARSE 16 times back to
//     back; neither may go back;
// and the first thread writes a line per round in two writes. Each thread
// has signals of its own (realtime signals), so no thread's reset can
// meet another's raise. Every action is kept in the program's signal
// table object, every clock read is a call on its clock object and every
// write one on its console stream object (guest_os/objects/), all hot-
// swapped while this runs. The output depends only on the arguments;
// it ends with a line per thread, and the exit status is 1 if any count
// is not what the rounds make.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tally {
  long a, b, reset, pending, back, coarse_back;
};
static long threads = 4, rounds = 200;
static struct tally result[16];
static __thread long got_a, got_b;

static void on_a(int sig) { (void)sig; ++got_a; }
static void on_b(int sig) { (void)sig; ++got_b; }

static void install(int sig, void (*h)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static long ns_of(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void* run(void* arg) {
  const long me = (long)arg;
  const int sig_a = SIGRTMIN + 2 * (int)me, sig_b = sig_a + 1;
  struct tally* t = &result[me];
  long last = 0, last_coarse = 0;
  char line[64];
  for (long r = 0; r < rounds; ++r) {
    install(sig_a, on_a, 0);
    raise(sig_a);
    install(sig_b, on_b, SA_RESETHAND);
    raise(sig_b);
    struct sigaction now;
    sigaction(sig_b, NULL, &now);
    if (now.sa_handler == SIG_DFL) ++t->reset;
    sigset_t set, was;
    sigemptyset(&set);
    sigaddset(&set, sig_a);
    sigprocmask(SIG_BLOCK, &set, &was);
    raise(sig_a);
    sigset_t pend;
    sigpending(&pend);
    if (sigismember(&pend, sig_a)) ++t->pending;
    sigprocmask(SIG_SETMASK, &was, NULL);
    const long m = ns_of(CLOCK_MONOTONIC);
    if (m < last) ++t->back;
    last = m;
    for (int k = 0; k < 16; ++k) {  // (back to back: a clock's swap falls between two of them)
      const long c = ns_of(CLOCK_MONOTONIC_COARSE);
      if (c < last_coarse) ++t->coarse_back;
      last_coarse = c;
    }
    if (me == 0) {  // a line in two writes
      int n = snprintf(line, sizeof line, "round %ld", r);
      write(1, line, (size_t)n);
      write(1, ": signals delivered\n", 20);
    }
  }
  t->a = got_a;
  t->b = got_b;
  return NULL;
}

int main(int argc, char** argv) {
  if (argc > 1) threads = atol(argv[1]);
  if (argc > 2) rounds = atol(argv[2]);
  if (threads < 1 || threads > 8 || rounds < 1) return 2;
  pthread_t tid[16];
  for (long i = 1; i < threads; ++i) pthread_create(&tid[i], NULL, run, (void*)i);
  run((void*)0);
  for (long i = 1; i < threads; ++i) pthread_join(tid[i], NULL);
  int bad = 0;
  for (long i = 0; i < threads; ++i) {
    const struct tally* t = &result[i];
    printf("thread %ld: A %ld, B %ld, B reset %ld, A pending %ld, clock back %ld, coarse back %ld\n", i, t->a, t->b,
           t->reset, t->pending, t->back, t->coarse_back);
    bad |= t->a != 2 * rounds || t->b != rounds || t->reset != rounds || t->pending != rounds || t->back ||
           t->coarse_back;
  }
  printf("%s\n", bad ? "WRONG" : "all as expected");
  return bad;
}
