// Touches more memory than the machine has (4 GiB of anonymous mappings,
// one store per page): the guest kills it when no frame is left (SIGKILL,
// exit 137). Under qemu-ppc64 on a larger host it would finish; the test
// runs it on the guest only.
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(void) {
  puts("touching 1 GiB at a time");
  fflush(stdout);
  for (int round = 0; round < 4; ++round) {
    char* p = mmap(NULL, 1ul << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      puts("mmap failed");
      return 1;
    }
    for (unsigned long off = 0; off < (1ul << 30); off += 4096) p[off] = 1;
    printf("round %d done\n", round);
    fflush(stdout);
  }
  puts("all touched?");
  return 0;
}
