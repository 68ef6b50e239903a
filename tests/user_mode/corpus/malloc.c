/* malloc.c — glibc's allocator: many sizes, frees in scattered orders,
 * realloc growing and shrinking (mremap for the large ones), calloc,
 * aligned allocation, and blocks above the mmap threshold. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ull;
}

int main(void)
{
	enum { SLOTS = 512 };
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	uint64_t check = 0;
	for (int round = 0; round < 6000; round++) {
		int k = (int)(next() % SLOTS);
		if (slot[k]) {
			for (size_t i = 0; i < size[k]; i += 61) check = check * 131 + slot[k][i]; /* bytes it wrote */
			if (next() % 3 == 0) {
				size_t n = (size_t)(next() % 5000) + 1;
				unsigned char *p = realloc(slot[k], n);
				if (!p) return 1;
				for (size_t i = size[k]; i < n; i++) p[i] = (unsigned char)(i ^ k);
				slot[k] = p;
				size[k] = n;
			} else {
				free(slot[k]);
				slot[k] = NULL;
			}
		} else {
			size_t n = (size_t)(next() % (round % 100 == 0 ? 300000 : 2000)) + 1;
			slot[k] = next() & 1 ? malloc(n) : calloc(n, 1);
			if (!slot[k]) return 1;
			size[k] = n;
			for (size_t i = 0; i < n; i += 61) slot[k][i] = (unsigned char)(i + k);
		}
	}
	printf("checksum %016llx\n", (unsigned long long)check);
	for (int k = 0; k < SLOTS; k++) free(slot[k]);

	unsigned char *big = malloc(1 << 20);
	memset(big, 1, 1 << 20);
	big = realloc(big, 8 << 20);
	size_t ones = 0;
	for (size_t i = 0; i < (1 << 20); i++) ones += big[i];
	big = realloc(big, 4096);
	printf("large realloc kept %zu bytes, first %d\n", ones, big[0]);
	free(big);
	int zeros = 1;
	int *z = calloc(100000, sizeof(int));
	for (int i = 0; i < 100000; i++) zeros &= z[i] == 0;
	printf("calloc zeroed %d\n", zeros);
	free(z);
	void *al = NULL;
	int r = posix_memalign(&al, 4096, 1000);
	printf("posix_memalign %d aligned %d\n", r, (int)((uintptr_t)al % 4096 == 0));
	free(al);
	void *al2 = aligned_alloc(256, 512);
	printf("aligned_alloc aligned %d\n", (int)((uintptr_t)al2 % 256 == 0));
	free(al2);
	char *s = malloc(10);
	strcpy(s, "abc");
	s = realloc(s, 100000);
	printf("realloc kept \"%s\"\n", s);
	free(s);
	printf("malloc(0) is %s\n", malloc(0) ? "a unique pointer" : "null");
	return 0;
}
