/*
 * args.c — the process start as Linux builds it: argc and argv (including an
 * empty argument and one with spaces), envp, the auxiliary vector (page
 * size, entry point, program headers), stack alignment, and the program
 * break (brk: query, grow, use, shrink) behind a malloc. Exits with argc.
 */
#include "rt/rt.h"

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9

extern char _start[]; /* the ELFv1 entry descriptor (crt0.S) */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

int main(int argc, char **argv)
{
	int failures = 0;
	printf("argc=%d argv[argc]=%s\n", argc, argv[argc] ? "set" : "null");
	failures += argv[argc] != 0;
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] len=%d hash=%016lx \"%s\" atol=%ld\n", i, (int)strlen(argv[i]),
		       (unsigned long)hash_str(argv[i]), argv[i], rt_atol(argv[i]));

	int env_ok = 1;
	for (char **e = rt_envp; *e; e++)
		if (!strchr(*e, '='))
			env_ok = 0;
	printf("environment well-formed: %d\n", env_ok);

	uint64_t pagesz = 0, entry = 0, phnum = 0, phent = 0;
	int have_phdr = 0, n = 0;
	for (uint64_t *a = rt_auxv; a[0] != AT_NULL && n < 100; a += 2, n++) {
		switch (a[0]) {
		case AT_PAGESZ: pagesz = a[1]; break;
		case AT_ENTRY: entry = a[1]; break;
		case AT_PHNUM: phnum = a[1]; break;
		case AT_PHENT: phent = a[1]; break;
		case AT_PHDR: have_phdr = a[1] != 0; break;
		}
	}
	printf("auxv: terminated=%d pagesz=%lu entry_is_start=%d phdr=%d phent=%lu phnum=%lu\n", n < 100,
	       (unsigned long)pagesz, entry == (uint64_t)(uintptr_t)_start, have_phdr,
	       (unsigned long)phent, (unsigned long)phnum);

	printf("stack aligned: %d\n", ((uintptr_t)__builtin_frame_address(0) & 15) == 0);

	/* the program break */
	char *cur = (char *)rt_brk(0);
	char *grown = (char *)rt_brk(cur + (1 << 20));
	printf("brk: grow by 1 MiB -> %ld\n", (long)(grown - cur));
	int grow_ok = grown == cur + (1 << 20);
	failures += !grow_ok;
	if (grow_ok) {
		for (long i = 0; i < (1 << 20); i += 4096)
			cur[i] = (char)(i >> 12);
		long sum = 0;
		for (long i = 0; i < (1 << 20); i += 4096)
			sum += cur[i];
		printf("brk: touched 256 pages, sum=%ld\n", sum);
		char *back = (char *)rt_brk(cur);
		printf("brk: shrink back -> %ld\n", (long)(back - cur));
	}

	/* a malloc on top of brk: many blocks, each filled and checked */
	uint64_t h = 0;
	void *blocks[64];
	for (int i = 0; i < 64; i++) {
		size_t size = (size_t)(i * 997 % 5000) + 1;
		unsigned char *p = (unsigned char *)malloc(size);
		if (!p) {
			printf("malloc failed at %d\n", i);
			failures++;
			break;
		}
		blocks[i] = p;
		memset(p, i, size);
		h = rt_mix(h, (uint64_t)((uintptr_t)p & 15) + size + p[size - 1]);
	}
	for (int i = 63; i >= 0; i--)
		free(blocks[i]);
	printf("malloc: %016lx\n", (unsigned long)h);
	if (failures)
		printf("args: %d failures\n", failures);
	return failures ? 100 + failures : argc;
}
