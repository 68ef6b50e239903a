/*
 * bench_sha256.c — benchmark: SHA-256 over a large buffer generated in the
 * program (4 MiB, on the brk heap), hashed ROUNDS times with the digest of
 * each round folded into the buffer. Usage: bench_sha256.elf [rounds]
 * (default 32). Prints the final digest; built at -O2 for the default CPU.
 */
#include "rt/rt.h"
#include "rt/sha256.h"

#define BUF_SIZE (4u << 20)

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? rt_atol(argv[1]) : 32;
	unsigned char *buf = (unsigned char *)malloc(BUF_SIZE);
	if (!buf) {
		printf("bench_sha256: cannot allocate %u bytes\n", BUF_SIZE);
		return 1;
	}
	rt_rng rng = {0x8badf00d8badf00dULL};
	for (unsigned i = 0; i < BUF_SIZE; i += 8) {
		uint64_t v = rt_next(&rng);
		memcpy(buf + i, &v, 8);
	}
	unsigned char d[32];
	for (long r = 0; r < rounds; r++) {
		sha256(buf, BUF_SIZE, d);
		memcpy(buf + (size_t)(r * 32) % (BUF_SIZE - 32), d, 32);
	}
	printf("bench_sha256: %ld x %u bytes, digest ", rounds, BUF_SIZE);
	rt_print_hex(d, 32);
	printf("\n");
	return 0;
}
