/*
 * bench_sort.c — benchmark: sorting. ROUNDS times: fill an array of 1M 64-bit
 * keys with pseudo-random values and sort it with a comparator-driven
 * quicksort (median of three, insertion sort below 16 elements), then verify
 * and checksum it. Usage: bench_sort.elf [rounds] (default 8).
 */
#include "rt/rt.h"

#define N (1u << 20)

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

typedef int (*cmp_fn)(const void *, const void *);

static void sort_u64(uint64_t *a, long lo, long hi, cmp_fn cmp) /* inclusive bounds */
{
	while (hi - lo > 16) {
		long mid = lo + (hi - lo) / 2;
		if (cmp(&a[mid], &a[lo]) < 0) { uint64_t t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
		if (cmp(&a[hi], &a[lo]) < 0) { uint64_t t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
		if (cmp(&a[hi], &a[mid]) < 0) { uint64_t t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
		uint64_t pivot = a[mid];
		long i = lo, j = hi;
		while (i <= j) {
			while (cmp(&a[i], &pivot) < 0)
				i++;
			while (cmp(&a[j], &pivot) > 0)
				j--;
			if (i <= j) {
				uint64_t t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				j--;
			}
		}
		if (j - lo < hi - i) {
			sort_u64(a, lo, j, cmp);
			lo = i;
		} else {
			sort_u64(a, i, hi, cmp);
			hi = j;
		}
	}
	for (long i = lo + 1; i <= hi; i++) {
		uint64_t x = a[i];
		long j = i - 1;
		while (j >= lo && cmp(&a[j], &x) > 0) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = x;
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? rt_atol(argv[1]) : 8;
	uint64_t *a = (uint64_t *)malloc(N * sizeof *a);
	if (!a) {
		printf("bench_sort: cannot allocate\n");
		return 1;
	}
	rt_rng rng = {0x50f7ab1e50f7ab1eULL};
	uint64_t h = 0;
	int sorted = 1;
	for (long r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < N; i++)
			a[i] = rt_next(&rng);
		sort_u64(a, 0, N - 1, cmp_u64);
		for (unsigned i = 1; i < N; i++)
			if (a[i - 1] > a[i])
				sorted = 0;
		h = rt_mix(h, a[0] ^ a[N / 2] ^ a[N - 1]);
	}
	printf("bench_sort: %ld x %u keys, sorted=%d, checksum %016lx\n", rounds, N, sorted,
	       (unsigned long)h);
	return sorted ? 0 : 1;
}
