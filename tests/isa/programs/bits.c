/*
 * bits.c — shifts and rotates by variable amounts at every width, bit-field
 * extract/insert (rlwinm/rldicl/rlwimi/rldimi), and the bit builtins:
 * clz/ctz/clrsb/popcount/parity/ffs/bswap (cntlzw/cntlzd, popcntb/popcntd,
 * prtyw/prtyd, lwbrx/ldbrx on newer CPUs, libgcc calls on older ones),
 * each checked against a plain loop that computes the same thing.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

static NOINLINE uint64_t shifts64(uint64_t x, unsigned n)
{
	uint64_t h = 0;
	int64_t s = (int64_t)x;
	h = rt_mix(h, x << n);
	h = rt_mix(h, x >> n);
	h = rt_mix(h, (uint64_t)(s >> n));
	h = rt_mix(h, (x << n) | (x >> ((64 - n) & 63)));  /* rotl */
	h = rt_mix(h, (x >> n) | (x << ((64 - n) & 63)));  /* rotr */
	h = rt_mix(h, x & ((1ULL << n) - 1));              /* low mask */
	h = rt_mix(h, x | (1ULL << n));                    /* set bit */
	h = rt_mix(h, x & ~(1ULL << n));                   /* clear bit */
	h = rt_mix(h, (x >> n) & 1);                       /* test bit */
	h = rt_mix(h, x ^ (0x8000000000000000ULL >> n));
	return h;
}

static NOINLINE uint64_t shifts32(uint32_t x, unsigned n)
{
	uint64_t h = 0;
	int32_t s = (int32_t)x;
	h = rt_mix(h, x << n);
	h = rt_mix(h, x >> n);
	h = rt_mix(h, (uint64_t)(int64_t)(s >> n));
	h = rt_mix(h, (x << n) | (x >> ((32 - n) & 31)));
	h = rt_mix(h, (x >> n) | (x << ((32 - n) & 31)));
	h = rt_mix(h, x & ((1u << n) - 1));
	h = rt_mix(h, (uint64_t)((int64_t)((uint64_t)(int64_t)s << 32) >> (32 + n))); /* sign-extended field */
	h = rt_mix(h, (x >> n) & 1);
	return h;
}

static NOINLINE uint64_t shifts16(uint16_t x, int16_t s, unsigned n)
{
	uint64_t h = 0;
	h = rt_mix(h, (uint16_t)(x << n));
	h = rt_mix(h, (uint16_t)(x >> n));
	h = rt_mix(h, (uint64_t)(int64_t)(int16_t)(s >> n));
	h = rt_mix(h, (uint16_t)((x << n) | (x >> ((16 - n) & 15))));
	return h;
}

static NOINLINE uint64_t shifts8(uint8_t x, int8_t s, unsigned n)
{
	uint64_t h = 0;
	h = rt_mix(h, (uint8_t)(x << n));
	h = rt_mix(h, (uint8_t)(x >> n));
	h = rt_mix(h, (uint64_t)(int64_t)(int8_t)(s >> n));
	h = rt_mix(h, (uint8_t)((x << n) | (x >> ((8 - n) & 7))));
	return h;
}

/* Constant shift/rotate/mask patterns that map to single rotate-and-mask insns. */
static NOINLINE uint64_t masks(uint64_t x)
{
	uint64_t h = 0;
	uint32_t w = (uint32_t)x;
	h = rt_mix(h, (x >> 17) & 0xfff);
	h = rt_mix(h, (x << 40) >> 52);
	h = rt_mix(h, x & 0x00ffff0000000000ULL);
	h = rt_mix(h, x & 0xff000000000000ffULL);
	h = rt_mix(h, (w >> 5) & 0x3ff);
	h = rt_mix(h, (w << 7) & 0xff80);
	h = rt_mix(h, (w & 0xf00000ff));
	h = rt_mix(h, (w << 13) | (w >> 19));
	h = rt_mix(h, (x << 29) | (x >> 35));
	h = rt_mix(h, (x & ~0xff00ULL) | ((x << 3) & 0xff00)); /* insert */
	h = rt_mix(h, (w & ~0x0ff0u) | ((w >> 9) & 0x0ff0));
	h = rt_mix(h, x & -x);          /* lowest set bit */
	h = rt_mix(h, x & (x - 1));     /* clear lowest */
	h = rt_mix(h, x | (x + 1));     /* set lowest clear */
	h = rt_mix(h, (uint64_t)((int64_t)x >> 63) ^ x);
	return h;
}

struct fields {
	unsigned a : 3;
	unsigned b : 7;
	signed c : 5;
	unsigned d : 1;
	unsigned long e : 33;
	signed long f : 15;
};

static NOINLINE uint64_t bitfields(uint64_t x, struct fields *f)
{
	f->a = (unsigned)x;
	f->b += (unsigned)(x >> 3);
	f->c = (int)(x >> 10) - 9;
	f->d ^= 1;
	f->e = x >> 20;
	f->f = (long)(x >> 40) - 1000;
	uint64_t h = 0;
	h = rt_mix(h, f->a);
	h = rt_mix(h, f->b);
	h = rt_mix(h, (uint64_t)(int64_t)f->c);
	h = rt_mix(h, f->d);
	h = rt_mix(h, f->e);
	h = rt_mix(h, (uint64_t)(int64_t)f->f);
	return h;
}

/* Reference implementations (plain loops) for the builtins. */
static int ref_clz64(uint64_t x)
{
	int n = 0;
	for (uint64_t m = 1ULL << 63; m && !(x & m); m >>= 1)
		n++;
	return n;
}
static int ref_ctz64(uint64_t x)
{
	int n = 0;
	for (uint64_t m = 1; m && !(x & m); m <<= 1)
		n++;
	return n;
}
static int ref_pop64(uint64_t x)
{
	int n = 0;
	for (int i = 0; i < 64; i++)
		n += (int)((x >> i) & 1);
	return n;
}
static uint64_t ref_bswap64(uint64_t x)
{
	uint64_t r = 0;
	for (int i = 0; i < 8; i++)
		r = (r << 8) | ((x >> (8 * i)) & 0xff);
	return r;
}

static NOINLINE uint64_t builtins(uint64_t x)
{
	uint32_t w = (uint32_t)x;
	uint16_t s = (uint16_t)x;
	uint64_t h = 0;
	if (x) {
		h = rt_mix(h, (uint64_t)__builtin_clzll(x));
		h = rt_mix(h, (uint64_t)__builtin_ctzll(x));
		CHECK(__builtin_clzll(x) == ref_clz64(x));
		CHECK(__builtin_ctzll(x) == ref_ctz64(x));
	}
	if (w) {
		h = rt_mix(h, (uint64_t)__builtin_clz(w));
		h = rt_mix(h, (uint64_t)__builtin_ctz(w));
		CHECK(__builtin_clz(w) == ref_clz64(w) - 32);
	}
	h = rt_mix(h, (uint64_t)__builtin_clrsbll((long long)x));
	h = rt_mix(h, (uint64_t)__builtin_clrsb((int)w));
	h = rt_mix(h, (uint64_t)__builtin_popcountll(x));
	h = rt_mix(h, (uint64_t)__builtin_popcount(w));
	h = rt_mix(h, (uint64_t)__builtin_popcount(s));
	h = rt_mix(h, (uint64_t)__builtin_parityll(x));
	h = rt_mix(h, (uint64_t)__builtin_parity(w));
	h = rt_mix(h, (uint64_t)__builtin_ffsll((long long)x));
	h = rt_mix(h, (uint64_t)__builtin_ffs((int)w));
	h = rt_mix(h, __builtin_bswap64(x));
	h = rt_mix(h, __builtin_bswap32(w));
	h = rt_mix(h, __builtin_bswap16(s));
	CHECK(__builtin_popcountll(x) == ref_pop64(x));
	CHECK(__builtin_parityll(x) == (ref_pop64(x) & 1));
	CHECK(__builtin_popcount(w) == ref_pop64(w));
	CHECK(__builtin_bswap64(x) == ref_bswap64(x));
	CHECK(__builtin_bswap32(w) == (uint32_t)(ref_bswap64(w) >> 32));
	CHECK(__builtin_ffsll((long long)x) == (x ? ref_ctz64(x) + 1 : 0));
	return h;
}

/* Byte-reversed loads and stores through memory (lhbrx/lwbrx/ldbrx, sthbrx...). */
typedef uint32_t __attribute__((may_alias)) u32_alias;
typedef uint16_t __attribute__((may_alias)) u16_alias;
static NOINLINE uint64_t byterev_mem(const uint64_t *in, uint64_t *out, uint32_t *out32,
                                     uint16_t *out16, int n)
{
	uint64_t h = 0;
	for (int i = 0; i < n; i++) {
		out[i] = __builtin_bswap64(in[i]);
		out32[i] = __builtin_bswap32(((const u32_alias *)in)[i]);
		out16[i] = __builtin_bswap16(((const u16_alias *)in)[i]);
		h = rt_mix(h, out[i] ^ out32[i] ^ out16[i]);
	}
	return h;
}

/* Reading the same bytes as little-endian by hand and via unions. */
static NOINLINE uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Gray code, bit reversal and other classic tricks. */
static NOINLINE uint64_t tricks(uint64_t x)
{
	uint64_t h = 0;
	uint64_t g = x ^ (x >> 1);
	uint64_t b = g;
	for (uint64_t m = g >> 1; m; m >>= 1)
		b ^= m;
	CHECK(b == x);
	h = rt_mix(h, g);
	uint64_t r = x;
	r = ((r >> 1) & 0x5555555555555555ULL) | ((r & 0x5555555555555555ULL) << 1);
	r = ((r >> 2) & 0x3333333333333333ULL) | ((r & 0x3333333333333333ULL) << 2);
	r = ((r >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((r & 0x0f0f0f0f0f0f0f0fULL) << 4);
	r = __builtin_bswap64(r);
	h = rt_mix(h, r);
	/* next permutation of bits (Gosper's hack) */
	if (x) {
		uint64_t c = x & -x, rr = x + c;
		if (rr)
			h = rt_mix(h, (((rr ^ x) >> 2) / c) | rr);
	}
	/* round up to a power of two */
	uint64_t p = x - 1;
	p |= p >> 1;
	p |= p >> 2;
	p |= p >> 4;
	p |= p >> 8;
	p |= p >> 16;
	p |= p >> 32;
	h = rt_mix(h, p + 1);
	/* is power of two, sign, absolute value without branches */
	h = rt_mix(h, (uint64_t)(x && !(x & (x - 1))));
	int64_t s = (int64_t)x, m = s >> 63;
	h = rt_mix(h, (uint64_t)((s ^ m) - m));
	h = rt_mix(h, (uint64_t)((s > 0) - (s < 0)));
	return h;
}

int main(int argc, char **argv)
{
	rt_rng rng = {0x9e3779b97f4a7c15ULL};
	static uint64_t vals[48];
	static const uint64_t fixed[] = {0, 1, 0x80, 0x8000000000000000ULL, ~0ULL,
	                                 0x00000000ffffffffULL, 0xffffffff00000000ULL,
	                                 0x0123456789abcdefULL, 0x5555555555555555ULL, 0x100};
	for (unsigned i = 0; i < 48; i++)
		vals[i] = i < 10 ? fixed[i] : rt_next(&rng) >> (i & 31);

	uint64_t h64 = 0, h32 = 0, h16 = 0, h8 = 0, hm = 0, hb = 0, ht = 0, hf = 0;
	struct fields f;
	memset(&f, 0, sizeof f);
	for (int i = 0; i < 48; i++) {
		uint64_t x = vals[i];
		for (unsigned n = 0; n < 64; n++)
			h64 = rt_mix(h64, shifts64(x, n));
		for (unsigned n = 0; n < 32; n++)
			h32 = rt_mix(h32, shifts32((uint32_t)x, n));
		for (unsigned n = 0; n < 16; n++)
			h16 = rt_mix(h16, shifts16((uint16_t)x, (int16_t)x, n));
		for (unsigned n = 0; n < 8; n++)
			h8 = rt_mix(h8, shifts8((uint8_t)x, (int8_t)x, n));
		hm = rt_mix(hm, masks(x));
		hb = rt_mix(hb, builtins(x));
		ht = rt_mix(ht, tricks(x));
		hf = rt_mix(hf, bitfields(x, &f));
	}
	printf("bits:\n");
	printf("  shifts64  %016lx\n", (unsigned long)h64);
	printf("  shifts32  %016lx\n", (unsigned long)h32);
	printf("  shifts16  %016lx\n", (unsigned long)h16);
	printf("  shifts8   %016lx\n", (unsigned long)h8);
	printf("  masks     %016lx\n", (unsigned long)hm);
	printf("  builtins  %016lx\n", (unsigned long)hb);
	printf("  tricks    %016lx\n", (unsigned long)ht);
	printf("  bitfields %016lx\n", (unsigned long)hf);

	static uint64_t in[16], out[16];
	static uint32_t out32[16];
	static uint16_t out16[16];
	for (int i = 0; i < 16; i++)
		in[i] = rt_next(&rng);
	printf("  byterev   %016lx\n", (unsigned long)byterev_mem(in, out, out32, out16, 16));
	union {
		uint64_t v;
		unsigned char b[8];
	} u = {0x0102030405060708ULL};
	printf("  le64      %016lx first byte %d\n", (unsigned long)load_le64(u.b), u.b[0]);

	for (int i = 0; i < 6; i++) {
		uint64_t x = vals[i + 7];
		printf("  %016lx clz=%d ctz=%d pop=%d par=%d bswap=%016lx\n", (unsigned long)x,
		       x ? __builtin_clzll(x) : 64, x ? __builtin_ctzll(x) : 64, __builtin_popcountll(x),
		       __builtin_parityll(x), (unsigned long)__builtin_bswap64(x));
	}
	printf("bits: %d failures\n", rt_failures);
	return rt_failures ? 1 : 0;
}
