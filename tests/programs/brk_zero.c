// The brk heap given back and grown again reads zeros, as on Linux: grows
// the heap by 256 KiB, fills it, shrinks it back, grows it again and counts
// the bytes that are not zero (glibc's calloc trusts fresh heap to be
// zero). Then callocs after malloc trimmed its heap. Prints the counts;
// exit 0 when both are 0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  const long n = 256 * 1024;
  char* base = sbrk(0);
  if (sbrk(n) == (void*)-1) return 2;
  memset(base, 0xaa, n);
  if (sbrk(-n) == (void*)-1) return 3;
  if (sbrk(n) != base) return 4;
  long dirty = 0;
  for (long i = 0; i < n; ++i) dirty += base[i] != 0;
  if (sbrk(-n) == (void*)-1) return 5;

  // malloc takes these from the brk heap (each is below its mmap
  // threshold) and, once they are all free, trims its top (brk shrinks);
  // callocs then extend the heap again and do not clear what they get from
  // the extension themselves.
  enum { kChunks = 16, kChunk = 64 * 1024 };
  char* p[kChunks];
  for (int i = 0; i < kChunks; ++i) {
    if (!(p[i] = malloc(kChunk))) return 6;
    memset(p[i], 0x55, kChunk);
  }
  char* top = sbrk(0);
  for (int i = kChunks - 1; i >= 0; --i) free(p[i]);
  if ((char*)sbrk(0) >= top) return 8;  // (no trim: the test would test nothing)
  long dirty2 = 0;
  for (int i = 0; i < kChunks; ++i) {
    char* z = calloc(1, kChunk);
    if (!z) return 7;
    for (long k = 0; k < kChunk; ++k) dirty2 += z[k] != 0;
  }
  printf("non-zero bytes after regrowing: %ld, in calloc after a trim: %ld\n", dirty, dirty2);
  return dirty || dirty2;
}
