// A parallel program's start-up: T threads (argv[1], default 4) each touch
// fresh memory (argv[2] pages each, default 256) and sum what they wrote;
// the main thread joins them and checks every sum. The output depends on
// nothing but the arguments.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long pages_each = 256;

static void* worker(void* arg) {
  unsigned long id = (unsigned long)arg;
  unsigned long n = pages_each * 4096 / sizeof(unsigned long);
  unsigned long* mem = malloc(n * sizeof(unsigned long));
  if (!mem) return (void*)1;
  unsigned long sum = 0;
  for (unsigned long i = 0; i < n; i += 512) mem[i] = id * 1000003ul + i;
  for (unsigned long i = 0; i < n; i += 512) sum += mem[i];
  free(mem);
  return (void*)sum;
}

int main(int argc, char** argv) {
  unsigned long threads = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
  if (argc > 2) pages_each = strtoul(argv[2], NULL, 0);
  if (threads < 1 || threads > 64) return 2;
  pthread_t t[64];
  for (unsigned long i = 0; i < threads; ++i)
    if (pthread_create(&t[i], NULL, worker, (void*)i) != 0) {
      printf("pthread_create %lu failed\n", i);
      return 1;
    }
  unsigned long bad = 0;
  for (unsigned long i = 0; i < threads; ++i) {
    void* r;
    pthread_join(t[i], &r);
    unsigned long n = pages_each * 4096 / sizeof(unsigned long), want = 0;
    for (unsigned long k = 0; k < n; k += 512) want += i * 1000003ul + k;
    if ((unsigned long)r != want) ++bad;
  }
  printf("%lu threads touched %lu pages each: %s\n", threads, pages_each, bad ? "WRONG SUMS" : "all sums right");
  return bad ? 1 : 0;
}
