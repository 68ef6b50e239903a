// A memory-intensive parallel program's start-up, over and over: each of R
// rounds (argv[2]) starts T threads (argv[1]), one per CPU, and each thread
// maps P fresh pages (argv[3]) with mmap, stores into every page, reads
// them back, sums what it read, unmaps them and ends; the main thread joins
// the round and checks every sum. Every first touch is a page fault in an
// anonymous mapping, which the guest serves through the program's region
// (guest_os/objects/program_process.cc). The output depends only on the
// arguments.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static unsigned long pages = 64;

static void* worker(void* arg) {
  unsigned long id = (unsigned long)arg;
  char* mem = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return (void*)~0ul;
  for (unsigned long k = 0; k < pages; ++k) *(unsigned long*)(mem + k * 4096) = id * 7919 + k;
  unsigned long sum = 0;
  for (unsigned long k = 0; k < pages; ++k) sum += *(unsigned long*)(mem + k * 4096);
  munmap(mem, pages * 4096);
  return (void*)sum;
}

int main(int argc, char** argv) {
  unsigned long threads = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
  unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 8;
  if (argc > 3) pages = strtoul(argv[3], NULL, 0);
  if (threads < 1 || threads > 64 || !rounds || !pages) return 2;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);  // (at least PTHREAD_STACK_MIN, 128 KiB on ppc64)
  unsigned long wrong = 0;
  for (unsigned long r = 0; r < rounds; ++r) {
    pthread_t t[64];
    for (unsigned long i = 0; i < threads; ++i)
      if (pthread_create(&t[i], &attr, worker, (void*)(r * threads + i)) != 0) {
        printf("round %lu: pthread_create %lu failed\n", r, i);
        return 1;
      }
    for (unsigned long i = 0; i < threads; ++i) {
      void* res;
      pthread_join(t[i], &res);
      unsigned long id = r * threads + i, want = 0;
      for (unsigned long k = 0; k < pages; ++k) want += id * 7919 + k;
      if ((unsigned long)res != want) ++wrong;
    }
  }
  printf("%lu rounds of %lu threads, %lu fresh pages each: %lu wrong sums\n", rounds, threads, pages, wrong);
  return wrong ? 1 : 0;
}
