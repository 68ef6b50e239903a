/*
 * hello.c — the README's example program: a friendly summary computed on the
 * guest (64-bit big-endian PowerPC, no libc, raw system calls).
 */
#include "rt/rt.h"
#include "rt/sha256.h"

static int count_primes(int limit)
{
	static unsigned char composite[1000];
	int count = 0;
	for (int i = 2; i < limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (int j = i * i; j < limit; j += i)
			composite[j] = 1;
	}
	return count;
}

static uint64_t fib(int n)
{
	uint64_t a = 0, b = 1;
	while (n--) {
		uint64_t t = a + b;
		a = b;
		b = t;
	}
	return a;
}

static int collatz_steps(uint64_t n)
{
	int steps = 0;
	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

int main(int argc, char **argv)
{
	static const char text[] = "hello, dusim";
	unsigned char digest[32];
	union {
		uint32_t word;
		unsigned char bytes[4];
	} endian = {0x01020304};

	printf("hello from ppc64!\n");
	printf("  byte order       : %s-endian\n", endian.bytes[0] == 1 ? "big" : "little");
	printf("  pointer size     : %d bits\n", (int)(8 * sizeof(void *)));
	printf("  arguments        : %d\n", argc - 1);
	for (int i = 1; i < argc; i++)
		printf("    argv[%d] = \"%s\"\n", i, argv[i]);
	printf("  primes below 1000: %d\n", count_primes(1000));
	printf("  fib(90)          : %lu\n", (unsigned long)fib(90));
	printf("  collatz(27)      : %d steps\n", collatz_steps(27));
	sha256(text, sizeof text - 1, digest);
	printf("  sha256(\"%s\"): ", text);
	rt_print_hex(digest, sizeof digest);
	printf("\nbye.\n");
	return 0;
}
