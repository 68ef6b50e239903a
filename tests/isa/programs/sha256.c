/*
 * sha256.c — SHA-256 (rt/sha256.h): the FIPS 180-4 test vectors, a 16 KiB
 * buffer generated in the program hashed whole and in irregular chunks (the
 * two must agree), a hash chain, and an HMAC-like nested construction.
 * Exercises 32-bit rotates, shifts, adds, byte loads and stores.
 */
#include "rt/rt.h"
#include "rt/sha256.h"

static int check_vector(const char *label, const void *msg, size_t len, const char *expect_hex)
{
	unsigned char d[32];
	char hex[65];
	sha256(msg, len, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	int ok = strcmp(hex, expect_hex) == 0;
	printf("  %-10s %s %s\n", label, hex, ok ? "ok" : "MISMATCH");
	return ok;
}

static unsigned char buf[16384];

int main(int argc, char **argv)
{
	int failures = 0;
	printf("sha256 test vectors:\n");
	failures += !check_vector("empty", "", 0,
	                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	failures += !check_vector("abc", "abc", 3,
	                          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	failures += !check_vector("448 bits", two_blocks, sizeof two_blocks - 1,
	                          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	static const char long_msg[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	failures += !check_vector("896 bits", long_msg, sizeof long_msg - 1,
	                          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	/* 20000 x 'a' (expected digest computed on the host), as 20 updates of 1000 bytes */
	{
		sha256_ctx c;
		unsigned char d[32];
		memset(buf, 'a', 1000);
		sha256_init(&c);
		for (int i = 0; i < 20; i++)
			sha256_update(&c, buf, 1000);
		sha256_final(&c, d);
		static const unsigned char expect[32] = {
			0xcc, 0x17, 0xfa, 0xaa, 0xd3, 0x66, 0x49, 0xc4, 0x60, 0x3d, 0xda, 0x4d, 0x8f, 0xf9, 0x7c, 0xb1,
			0x49, 0x72, 0x2a, 0xf0, 0xbc, 0xac, 0x07, 0x46, 0x30, 0x5a, 0x21, 0x34, 0xad, 0x2d, 0x0b, 0x97};
		int ok = memcmp(d, expect, 32) == 0;
		printf("  %-10s ", "20K x 'a'");
		rt_print_hex(d, 32);
		printf(" %s\n", ok ? "ok" : "MISMATCH");
		failures += !ok;
	}

	/* a buffer computed in the program */
	rt_rng rng = {0x5eed5eed5eed5eedULL};
	for (size_t i = 0; i < sizeof buf; i += 8) {
		uint64_t v = rt_next(&rng);
		for (int k = 0; k < 8; k++)
			buf[i + (size_t)k] = (unsigned char)(v >> (56 - 8 * k));
	}
	unsigned char whole[32], pieces[32];
	sha256(buf, sizeof buf, whole);
	sha256_ctx c;
	sha256_init(&c);
	size_t off = 0, step = 1;
	while (off < sizeof buf) {
		size_t n = step < sizeof buf - off ? step : sizeof buf - off;
		sha256_update(&c, buf + off, n);
		off += n;
		step = (step * 7 + 3) % 301;
	}
	sha256_final(&c, pieces);
	printf("buffer 16KiB:  ");
	rt_print_hex(whole, 32);
	printf("\nin pieces:     ");
	rt_print_hex(pieces, 32);
	printf(" %s\n", memcmp(whole, pieces, 32) == 0 ? "agree" : "DISAGREE");
	failures += memcmp(whole, pieces, 32) != 0;

	/* every prefix length 0..200 of the buffer, folded together */
	uint64_t h = 0;
	for (size_t n = 0; n <= 200; n++) {
		unsigned char d[32];
		sha256(buf + n, n, d);
		for (int i = 0; i < 32; i += 8) {
			uint64_t w = 0;
			for (int k = 0; k < 8; k++)
				w = w << 8 | d[i + k];
			h = rt_mix(h, w);
		}
	}
	printf("prefixes:      %016lx\n", (unsigned long)h);

	/* a hash chain */
	unsigned char d[32];
	memcpy(d, whole, 32);
	for (int i = 0; i < 200; i++)
		sha256(d, 32, d);
	printf("chain x200:    ");
	rt_print_hex(d, 32);
	printf("\n");

	/* HMAC-SHA256 (RFC 4231 test case 2) */
	{
		const char *key = "Jefe", *data = "what do ya want for nothing?";
		unsigned char k[64], inner[32], mac[32];
		memset(k, 0, 64);
		memcpy(k, key, strlen(key));
		unsigned char pad[64];
		sha256_ctx hc;
		for (int i = 0; i < 64; i++)
			pad[i] = k[i] ^ 0x36;
		sha256_init(&hc);
		sha256_update(&hc, pad, 64);
		sha256_update(&hc, data, strlen(data));
		sha256_final(&hc, inner);
		for (int i = 0; i < 64; i++)
			pad[i] = k[i] ^ 0x5c;
		sha256_init(&hc);
		sha256_update(&hc, pad, 64);
		sha256_update(&hc, inner, 32);
		sha256_final(&hc, mac);
		static const unsigned char expect[32] = {
			0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
			0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
		printf("hmac:          ");
		rt_print_hex(mac, 32);
		printf(" %s\n", memcmp(mac, expect, 32) == 0 ? "ok" : "MISMATCH");
		failures += memcmp(mac, expect, 32) != 0;
	}
	printf("sha256: %d failures\n", failures);
	return failures;
}
