// A steady stream of descriptor calls from every CPU: T threads (argv[1])
// each open the program's own executable (argv[0], a file of the initial
// image) and make R rounds (argv[2]) of: dup the descriptor, lseek the
// duplicate, read 64 bytes through the original (the two share one open
// file description, so the read starts where the lseek put it), pread 64
// bytes elsewhere, close the duplicate; every byte goes into a checksum.
// Every one of those calls looks its descriptor up in the program's file
// table object (guest_os/objects/file_table.h) through the translation
// table, and dup and close change the table, so while that object is
// hot-swapped the calls go through its mediator. The output depends only
// on the arguments and the file: an update that lost a descriptor, a
// position or a byte would change it.
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char* self;
static long rounds = 500;
static long size;
enum { kSpan = 16384 };

struct result {
  unsigned long sum;
  long errors;
};

static unsigned long fold(unsigned long sum, const unsigned char* b, long n) {
  for (long k = 0; k < n; ++k) sum = (sum ^ b[k]) * 0x100000001b3ul;
  return sum;
}

static void* worker(void* arg) {
  struct result* r = arg;
  unsigned char buf[64];
  int fd = open(self, O_RDONLY);
  if (fd < 0) {
    r->errors = 1;
    return NULL;
  }
  for (long i = 0; i < rounds; ++i) {
    // Within the file's first 16 KiB: its pages are in the file's memory
    // object after the first rounds, so a call's time is the descriptor
    // calls' own, not a page being read in.
    const long at = (i * 4093) % (kSpan - 64), elsewhere = (i * 7919) % (kSpan - 64);
    int dup_fd = dup(fd);
    if (dup_fd < 0 || lseek(dup_fd, at, SEEK_SET) != at) {
      ++r->errors;
      continue;
    }
    if (read(fd, buf, 64) != 64) ++r->errors;
    r->sum = fold(r->sum, buf, 64);
    if (pread(dup_fd, buf, 64, elsewhere) != 64) ++r->errors;
    r->sum = fold(r->sum, buf, 64);
    if (lseek(fd, 0, SEEK_CUR) != at + 64) ++r->errors;  // the read moved the shared position
    if (close(dup_fd) != 0) ++r->errors;
  }
  close(fd);
  return NULL;
}

int main(int argc, char** argv) {
  self = argv[0];
  long threads = argc > 1 ? strtol(argv[1], NULL, 0) : 4;
  if (argc > 2) rounds = strtol(argv[2], NULL, 0);
  if (threads < 1 || threads > 64 || rounds < 1) return 2;
  int fd = open(self, O_RDONLY);
  size = fd < 0 ? 0 : lseek(fd, 0, SEEK_END);
  if (size < kSpan) {
    printf("cannot read %s\n", self);
    return 1;
  }
  close(fd);
  pthread_t t[64];
  struct result r[64] = {{0, 0}};
  for (long i = 0; i < threads; ++i)
    if (pthread_create(&t[i], NULL, worker, &r[i]) != 0) {
      printf("pthread_create %ld failed\n", i);
      return 1;
    }
  long errors = 0, same = 1;
  for (long i = 0; i < threads; ++i) {
    pthread_join(t[i], NULL);
    errors += r[i].errors;
    same &= r[i].sum == r[0].sum;
  }
  printf("%ld threads, %ld rounds each of dup, lseek, read, pread, close: checksum %016lx, %s, %ld errors\n", threads,
         rounds, r[0].sum, same ? "every thread's the same" : "threads differ", errors);
  return errors || !same ? 1 : 0;
}
