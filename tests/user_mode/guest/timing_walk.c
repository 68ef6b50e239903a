/*
 * timing_walk.c — loops whose cache misses can be counted by hand, for
 * `dusim run-elf --timing` (tests/user_mode/check_timing.py).
 *
 *   timing_walk.elf stride SIZE PASSES  one load per 128-byte line of the
 *       first SIZE bytes of a static array, in address order
 *   timing_walk.elf chase SIZE PASSES   a chain through those lines in one
 *       random cycle (Sattolo's shuffle): every load depends on the last
 *   timing_walk.elf code small|big PASSES  straight-line code of 32 KiB or
 *       128 KiB (8192 or 32768 nops), run PASSES times
 *
 * Each pass makes SIZE/128 loads (or fetches SIZE/128 lines of code). With
 * LRU a working set within a cache misses only the first time; one larger
 * than it, walked in a fixed cyclic order, misses on every access (each set
 * sees more lines in turn than it has ways). The checker runs 1 and 3
 * passes and compares the difference, so start-up and set-up cancel.
 */
#include "rt.h"

#define LINE 128
#define MAX (8u << 20)

static char data[MAX] __attribute__((aligned(4096)));

static void code_small(void) { __asm__ volatile(".rept 8192\n nop\n .endr" ::: "memory"); }
static void code_big(void) { __asm__ volatile(".rept 32768\n nop\n .endr" ::: "memory"); }

static unsigned long stride(unsigned long size, long passes) {
	unsigned long sum = 0;
	for (long p = 0; p < passes; ++p)
		for (unsigned long i = 0; i < size; i += LINE) sum += *(volatile unsigned long *)(data + i);
	return sum;
}

static unsigned long chase(unsigned long size, long passes) {
	unsigned long n = size / LINE, seed = 12345;
	/* Sattolo: one cycle through all n lines. perm[] lives in each line's
	   second word while it is built. */
	for (unsigned long i = 0; i < n; ++i) *(unsigned long *)(data + i * LINE + 8) = i;
	for (unsigned long i = n - 1; i > 0; --i) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		unsigned long j = (seed >> 33) % i;
		unsigned long *a = (unsigned long *)(data + i * LINE + 8), *b = (unsigned long *)(data + j * LINE + 8);
		unsigned long t = *a;
		*a = *b;
		*b = t;
	}
	for (unsigned long i = 0; i < n; ++i)
		*(char **)(data + i * LINE) = data + *(unsigned long *)(data + i * LINE + 8) * LINE;
	char *p = data;
	for (long k = 0; k < passes; ++k)
		for (unsigned long i = 0; i < n; ++i) p = *(char *volatile *)p;
	return (unsigned long)(p - data);
}

int main(int argc, char **argv) {
	if (argc != 4) {
		printf("usage: timing_walk.elf stride|chase SIZE PASSES, or timing_walk.elf code small|big PASSES\n");
		return 2;
	}
	long passes = rt_atol(argv[3]);
	if (strcmp(argv[1], "code") == 0) {
		void (*f)(void) = strcmp(argv[2], "big") == 0 ? code_big : code_small;
		for (long p = 0; p < passes; ++p) f();
		printf("code %s: %ld passes\n", argv[2], passes);
		return 0;
	}
	unsigned long size = (unsigned long)rt_atol(argv[2]);
	if (size < LINE || size > MAX || size % LINE) {
		printf("SIZE must be a multiple of %d up to %u\n", LINE, MAX);
		return 2;
	}
	unsigned long r = strcmp(argv[1], "chase") == 0 ? chase(size, passes) : stride(size, passes);
	printf("%s %lu bytes: %ld passes (%lu)\n", argv[1], size, passes, r);
	return 0;
}
