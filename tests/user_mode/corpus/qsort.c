/* qsort.c — glibc's qsort (merge sort with a buffer, or quicksort in place)
 * and bsearch on integers, structures and strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 88172645463325252ull;
static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
struct rec {
	int key;
	int order;
	char name[12];
};
static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->key != y->key) return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
	enum { N = 5000 };
	static int v[N];
	for (int i = 0; i < N; i++) v[i] = (int)(next() % 100000) - 50000;
	qsort(v, N, sizeof v[0], cmp_int);
	long long check = 0;
	int sorted = 1;
	for (int i = 0; i < N; i++) {
		check = check * 31 + v[i];
		if (i && v[i - 1] > v[i]) sorted = 0;
	}
	printf("ints sorted %d, first %d, last %d, checksum %lld\n", sorted, v[0], v[N - 1], check);
	for (int probe = -50000; probe < 50000; probe += 12345) {
		int *hit = bsearch(&probe, v, N, sizeof v[0], cmp_int);
		printf("bsearch %d: %s\n", probe, hit ? "found" : "absent");
	}
	static struct rec recs[300];
	for (int i = 0; i < 300; i++) {
		recs[i].key = (int)(next() % 20);
		recs[i].order = i;
		snprintf(recs[i].name, sizeof recs[i].name, "n%03d", (int)(next() % 1000));
	}
	qsort(recs, 300, sizeof recs[0], cmp_rec);
	for (int i = 0; i < 300; i += 37) printf("rec %d: key %d name %s\n", i, recs[i].key, recs[i].name);
	const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "kiwi", "lemon"};
	char *copy[10];
	for (int i = 0; i < 10; i++) copy[i] = strdup(words[i]);
	qsort(copy, 10, sizeof copy[0], cmp_str);
	for (int i = 0; i < 10; i++) printf("%s%s", copy[i], i < 9 ? " " : "\n");
	for (int i = 0; i < 10; i++) free(copy[i]);
	/* Above glibc's alloca limit: the merge buffer comes from malloc. */
	static int big[40000];
	for (int i = 0; i < 40000; i++) big[i] = (int)(next() >> 40);
	qsort(big, 40000, sizeof big[0], cmp_int);
	long long s = 0;
	for (int i = 0; i < 40000; i += 100) s += big[i];
	printf("large sort sample sum %lld\n", s);
	return 0;
}
