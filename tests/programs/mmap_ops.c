// mmap beyond plain anonymous memory, checked against qemu-ppc64: the
// argument errors; MAP_FIXED over part of a mapping (that page reads zero,
// the rest keeps its bytes); mremap shrinking,
// growing and moving with the contents kept, across the pieces MAP_FIXED
// left; a private mapping of a file (the program's own: argv[0]) that reads
// as the file and whose stores stay private. Prints what it saw. (Not
// here: MAP_FIXED_NOREPLACE, which qemu-ppc64 7.2 takes as a hint, and
// growing in place, which depends on the layout.)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096L

static long err(void* r) { return r == MAP_FAILED ? -errno : 0; }

int main(int argc, char** argv) {
  (void)argc;
  printf("len 0: %ld\n", err(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
  printf("neither private nor shared: %ld\n", err(mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0)));
  printf("bad fd: %ld\n", err(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0)));
  printf("unaligned offset: %ld\n", err(mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100)));

  char* m = mmap(0, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 2;
  for (int i = 0; i < 5; ++i) memset(m + i * PAGE, 'a' + i, PAGE);
  printf("fixed unaligned: %ld\n", err(mmap(m + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)));
  char* f = mmap(m + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("fixed over page 1: %s; it reads %d, page 0 '%c', page 2 '%c'\n", f == m + PAGE ? "in place" : "elsewhere",
         m[PAGE], m[0], m[2 * PAGE]);

  char* g = mremap(m, 5 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
  if (g == MAP_FAILED) return 3;
  printf("mremap grows: '%c' %d '%c' '%c' '%c', new page %d\n", g[0], g[PAGE], g[2 * PAGE], g[3 * PAGE + 7],
         g[5 * PAGE - 1], g[40 * PAGE]);
  g[63 * PAGE] = 'z';
  char* h = mremap(g, 64 * PAGE, 2 * PAGE, 0);
  printf("mremap shrinks in place: %s, '%c'\n", h == g ? "yes" : "no", h[0]);
  printf("mremap of unmapped memory: %ld\n", err(mremap((void*)0x40000000, PAGE, 2 * PAGE, MREMAP_MAYMOVE)));
  munmap(h, 2 * PAGE);

  int fd = open(argv[0], O_RDONLY);
  if (fd < 0) return 4;
  char* e = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char* e1 = mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
  if (e == MAP_FAILED || e1 == MAP_FAILED) return 5;
  char buf[PAGE];
  lseek(fd, PAGE, SEEK_SET);
  long n = read(fd, buf, PAGE);
  printf("file mapping: magic %s, class %d, offset %ld reads as the file: %s, as the other mapping: %s\n",
         memcmp(e, "\177ELF", 4) ? "wrong" : "ELF", e[4], PAGE, n == PAGE && !memcmp(e + PAGE, buf, PAGE) ? "yes" : "no",
         !memcmp(e1, e + PAGE, PAGE) ? "yes" : "no");
  e[0] = 'X';
  lseek(fd, 0, SEEK_SET);
  read(fd, buf, 4);
  printf("a store to it stays private: file '%c', other mapping unchanged: %s\n", buf[0] == 0x7f ? '?' : buf[0],
         e1[0] == e[PAGE] ? "yes" : "no");
  return 0;
}
