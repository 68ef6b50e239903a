/*
 * sort.c — sorting and searching: a generic qsort-like quicksort with a
 * comparator (calls through function pointers, byte-wise element swaps),
 * used on ints, 64-bit keys, structs (multi-key) and strings; a stable merge
 * sort, heap sort, LSD radix sort and binary search, all cross-checked.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void insertion(unsigned char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_bytes(base + (j - 1) * size, base + j * size, size);
}

/* Quicksort: median of three, recurse on the smaller side, insertion sort */
/* for short ranges.                                                       */
static NOINLINE void my_qsort(void *vbase, size_t n, size_t size, cmp_fn cmp)
{
	unsigned char *base = (unsigned char *)vbase;
	while (n > 12) {
		unsigned char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
		if (cmp(mid, lo) < 0)
			swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap_bytes(mid, lo, size);
		}
		swap_bytes(mid, base + size, size); /* pivot at index 1 */
		unsigned char *pivot = base + size;
		size_t i = 1, j = n - 1;
		for (;;) {
			do
				i++;
			while (cmp(base + i * size, pivot) < 0);
			do
				j--;
			while (cmp(base + j * size, pivot) > 0);
			if (i >= j)
				break;
			swap_bytes(base + i * size, base + j * size, size);
		}
		swap_bytes(pivot, base + j * size, size);
		size_t left = j, right = n - j - 1;
		if (left < right) {
			my_qsort(base, left, size, cmp);
			base += (j + 1) * size;
			n = right;
		} else {
			my_qsort(base + (j + 1) * size, right, size, cmp);
			n = left;
		}
	}
	insertion(base, n, size, cmp);
}

static NOINLINE void merge_sort(void *vbase, void *vtmp, size_t n, size_t size, cmp_fn cmp)
{
	unsigned char *base = (unsigned char *)vbase, *tmp = (unsigned char *)vtmp;
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(base, tmp, h, size, cmp);
	merge_sort(base + h * size, tmp, n - h, size, cmp);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		if (cmp(base + j * size, base + i * size) < 0)
			memcpy(tmp + k++ * size, base + j++ * size, size);
		else
			memcpy(tmp + k++ * size, base + i++ * size, size);
	}
	while (i < h)
		memcpy(tmp + k++ * size, base + i++ * size, size);
	while (j < n)
		memcpy(tmp + k++ * size, base + j++ * size, size);
	memcpy(base, tmp, n * size);
}

static NOINLINE void heap_sort(int64_t *a, size_t n)
{
	for (size_t start = n / 2; start-- > 0;) {
		size_t root = start;
		while (2 * root + 1 < n) {
			size_t child = 2 * root + 1;
			if (child + 1 < n && a[child] < a[child + 1])
				child++;
			if (a[root] >= a[child])
				break;
			int64_t t = a[root];
			a[root] = a[child];
			a[child] = t;
			root = child;
		}
	}
	for (size_t end = n; end-- > 1;) {
		int64_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		size_t root = 0;
		while (2 * root + 1 < end) {
			size_t child = 2 * root + 1;
			if (child + 1 < end && a[child] < a[child + 1])
				child++;
			if (a[root] >= a[child])
				break;
			t = a[root];
			a[root] = a[child];
			a[child] = t;
			root = child;
		}
	}
}

static NOINLINE void radix_sort_u32(uint32_t *a, uint32_t *tmp, size_t n)
{
	for (int shift = 0; shift < 32; shift += 8) {
		size_t count[257];
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(a[i] >> shift) & 0xff]++] = a[i];
		memcpy(a, tmp, n * sizeof *a);
	}
}

static NOINLINE long bsearch_index(const int64_t *a, size_t n, int64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == key ? (long)lo : -1;
}

/* comparators */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

struct person {
	char name[10];
	uint8_t age;
	int16_t dept;
	uint32_t serial;
};
static int cmp_person(const void *a, const void *b)
{
	const struct person *p = (const struct person *)a, *q = (const struct person *)b;
	if (p->dept != q->dept)
		return p->dept - q->dept;
	if (p->age != q->age)
		return q->age - p->age; /* older first */
	return strcmp(p->name, q->name);
}
static int cmp_dept_only(const void *a, const void *b)
{
	return ((const struct person *)a)->dept - ((const struct person *)b)->dept;
}
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint64_t hash_i64(const int64_t *a, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = rt_mix(h, (uint64_t)a[i]);
	return h;
}

#define N 3000
static int ints[N];
static int64_t keys[N], keys2[N], keys3[N];
static uint32_t words[N], words2[N], wtmp[N];
static struct person people[400], people2[400], ptmp[400];

int main(int argc, char **argv)
{
	rt_rng rng = {0xfeedfacecafef00dULL};
	int failures = 0;

	for (int i = 0; i < N; i++) {
		ints[i] = (int)(rt_next(&rng) % 2001) - 1000;
		keys[i] = keys2[i] = keys3[i] = (int64_t)rt_next(&rng);
		words[i] = words2[i] = (uint32_t)rt_next(&rng);
	}

	my_qsort(ints, N, sizeof ints[0], cmp_int);
	int ok = 1;
	uint64_t h = 0;
	for (int i = 0; i < N; i++) {
		if (i && ints[i - 1] > ints[i])
			ok = 0;
		h = rt_mix(h, (uint64_t)(int64_t)ints[i]);
	}
	printf("ints: sorted=%d min=%d median=%d max=%d hash=%016lx\n", ok, ints[0], ints[N / 2],
	       ints[N - 1], (unsigned long)h);
	failures += !ok;
	my_qsort(ints, N, sizeof ints[0], cmp_int_desc);
	printf("ints desc: first=%d last=%d\n", ints[0], ints[N - 1]);

	my_qsort(keys, N, sizeof keys[0], cmp_i64);
	merge_sort(keys2, keys3 /* scratch */, N, sizeof keys2[0], cmp_i64);
	for (int i = 0; i < N; i++)
		keys3[i] = keys[(i * 7919) % N];
	heap_sort(keys3, N);
	printf("i64: quick=%016lx merge=%016lx heap=%016lx\n", (unsigned long)hash_i64(keys, N),
	       (unsigned long)hash_i64(keys2, N), (unsigned long)hash_i64(keys3, N));
	failures += memcmp(keys, keys2, sizeof keys) != 0;
	failures += memcmp(keys, keys3, sizeof keys) != 0;
	printf("i64: min=%ld max=%ld\n", (long)keys[0], (long)keys[N - 1]);
	long found = 0, missing = 0;
	for (int i = 0; i < N; i += 7) {
		long k = bsearch_index(keys, N, keys[i]);
		found += k == i;
		missing += bsearch_index(keys, N, keys[i] + 1) < 0;
	}
	printf("bsearch: found %ld, missing %ld\n", found, missing);

	radix_sort_u32(words, wtmp, N);
	my_qsort(words2, N, sizeof words2[0], cmp_u32);
	uint64_t hw = 0;
	for (int i = 0; i < N; i++)
		hw = rt_mix(hw, words[i]);
	failures += memcmp(words, words2, sizeof words) != 0;
	printf("u32 radix: %016lx agree=%d\n", (unsigned long)hw,
	       memcmp(words, words2, sizeof words) == 0);

	static const char *first[] = {"ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal",
	                              "ivy", "jo"};
	memset(people, 0, sizeof people);
	for (int i = 0; i < 400; i++) {
		snprintf(people[i].name, sizeof people[i].name, "%s%d", first[rt_next(&rng) % 10],
		         (int)(rt_next(&rng) % 100));
		people[i].age = (uint8_t)(18 + rt_next(&rng) % 50);
		people[i].dept = (int16_t)(rt_next(&rng) % 9) - 4;
		people[i].serial = (uint32_t)i;
	}
	memcpy(people2, people, sizeof people);
	my_qsort(people, 400, sizeof people[0], cmp_person);
	uint64_t hp = 0;
	for (int i = 0; i < 400; i++)
		hp = rt_mix(hp, people[i].serial);
	printf("people: %016lx first=%s/%d/%d last=%s/%d/%d\n", (unsigned long)hp, people[0].name,
	       people[0].age, people[0].dept, people[399].name, people[399].age, people[399].dept);
	/* stability: merge sort by department keeps the original serial order */
	merge_sort(people2, ptmp, 400, sizeof people2[0], cmp_dept_only);
	int stable = 1;
	for (int i = 1; i < 400; i++)
		if (people2[i - 1].dept == people2[i].dept && people2[i - 1].serial > people2[i].serial)
			stable = 0;
	printf("merge sort stable=%d\n", stable);
	failures += !stable;

	const char *wordsv[] = {"update", "mediator", "factory", "quiescence", "generation",
	                        "object", "translation", "table", "hot", "swap", "state",
	                        "transfer", "module", "loader", "epoch", "coherence", "cache",
	                        "ppc64", "dusim", "k42", "a", "ab", "abc", "Zebra"};
	size_t nw = sizeof wordsv / sizeof wordsv[0];
	my_qsort(wordsv, nw, sizeof wordsv[0], cmp_str);
	printf("strings:");
	for (size_t i = 0; i < nw; i++)
		printf(" %s", wordsv[i]);
	printf("\n");

	printf("sort: %d failures\n", failures);
	return failures;
}
