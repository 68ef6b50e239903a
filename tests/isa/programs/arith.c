/*
 * arith.c — integer arithmetic at every width: 64/32/16/8-bit, signed and
 * unsigned; add/sub/mul/neg, division and modulo by variables and by
 * constants (GCC turns those into multiply-high sequences or shifts with
 * carry fix-ups), comparisons, min/max/abs, logic ops, conversions between
 * widths, overflow builtins and 128-bit arithmetic.
 *
 * No undefined behaviour: signed wrap-around is computed in the unsigned type
 * of the same width; MIN / -1 and division by zero are skipped. Output is the
 * same at every optimisation level and on every CPU target.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

#define NVALS 40
static uint64_t vals[NVALS];

static const uint64_t edges[] = {
	0, 1, 2, 3, 7, 10, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xffffffffffffffffULL, 0xfffffffffffffffeULL,
	0xfffffffffffffffdULL, 0xfffffffffffffff6ULL, 0xffffffffffffff80ULL,
	0xdeadbeefULL, 0x123456789abcdef0ULL, 0xfedcba9876543210ULL, 1000, 1000000007,
};

/* One function per type: every operation, hashed in a fixed order. */
#define DEFINE_ARITH(NAME, T, WU, SIGNED, MINV)                                          \
	static NOINLINE uint64_t arith_##NAME(T a, T b)                                      \
	{                                                                                    \
		uint64_t h = 0;                                                                  \
		h = rt_mix(h, (uint64_t)(T)((WU)a + (WU)b));                                     \
		h = rt_mix(h, (uint64_t)(T)((WU)a - (WU)b));                                     \
		h = rt_mix(h, (uint64_t)(T)((WU)a * (WU)b));                                     \
		h = rt_mix(h, (uint64_t)(T)(0 - (WU)a));                                         \
		h = rt_mix(h, (uint64_t)(T)((WU)a * 3u + (WU)b));                                \
		h = rt_mix(h, (uint64_t)(T)((WU)a * (WU)b + (WU)a));                             \
		if (b != 0 && !(SIGNED && sizeof(T) >= 4 && a == (T)(MINV) && b == (T)-1)) {     \
			h = rt_mix(h, (uint64_t)(T)(a / b));                                         \
			h = rt_mix(h, (uint64_t)(T)(a % b));                                         \
		}                                                                                \
		h = rt_mix(h, (uint64_t)(T)(a / 3));                                             \
		h = rt_mix(h, (uint64_t)(T)(a % 3));                                             \
		h = rt_mix(h, (uint64_t)(T)(a / 7));                                             \
		h = rt_mix(h, (uint64_t)(T)(a % 7));                                             \
		h = rt_mix(h, (uint64_t)(T)(a / 10));                                            \
		h = rt_mix(h, (uint64_t)(T)(a % 10));                                            \
		h = rt_mix(h, (uint64_t)(T)(a / 16));                                            \
		h = rt_mix(h, (uint64_t)(T)(a % 16));                                            \
		h = rt_mix(h, (uint64_t)(T)(a / 1000));                                          \
		h = rt_mix(h, (uint64_t)(T)(a % 1000));                                          \
		h = rt_mix(h, (uint64_t)(T)(a / 0x7fff));                                        \
		h = rt_mix(h, (uint64_t)(T)(a / 255));                                           \
		h = rt_mix(h, (uint64_t)(T)(a >> 3));                                            \
		h = rt_mix(h, (uint64_t)(T)((WU)a << 5));                                        \
		h = rt_mix(h, (uint64_t)((a < b) | (a <= b) << 1 | (a == b) << 2 | (a != b) << 3 | \
		                         (a > b) << 4 | (a >= b) << 5));                         \
		h = rt_mix(h, (uint64_t)(T)(a < b ? a : b));                                     \
		h = rt_mix(h, (uint64_t)(T)(a > b ? a : b));                                     \
		h = rt_mix(h, (uint64_t)(T)(a < 0 ? 0 - (WU)a : (WU)a));                         \
		h = rt_mix(h, (uint64_t)(T)(a & b));                                             \
		h = rt_mix(h, (uint64_t)(T)(a | b));                                             \
		h = rt_mix(h, (uint64_t)(T)(a ^ b));                                             \
		h = rt_mix(h, (uint64_t)(T)~a);                                                  \
		h = rt_mix(h, (uint64_t)(T)(a & ~b));                                            \
		h = rt_mix(h, (uint64_t)(T)(a | ~b));                                            \
		h = rt_mix(h, (uint64_t)(T)~(a | b));                                            \
		h = rt_mix(h, (uint64_t)(T)~(a & b));                                            \
		h = rt_mix(h, (uint64_t)(T)~(a ^ b));                                            \
		h = rt_mix(h, (uint64_t)(a == 0) + 2 * (uint64_t)(b != 0) + 4 * (uint64_t)(a < 0));\
		return h;                                                                        \
	}

#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wsign-compare"
DEFINE_ARITH(u64, uint64_t, uint64_t, 0, 0)
DEFINE_ARITH(s64, int64_t, uint64_t, 1, 0x8000000000000000ULL)
DEFINE_ARITH(u32, uint32_t, uint32_t, 0, 0)
DEFINE_ARITH(s32, int32_t, uint32_t, 1, 0x80000000u)
DEFINE_ARITH(u16, uint16_t, uint32_t, 0, 0)
DEFINE_ARITH(s16, int16_t, uint32_t, 1, 0x8000)
DEFINE_ARITH(u8, uint8_t, uint32_t, 0, 0)
DEFINE_ARITH(s8, int8_t, uint32_t, 1, 0x80)

/* Division by negative constants and odd divisors, signed only. */
#define DEFINE_SDIV(NAME, T)                                                             \
	static NOINLINE uint64_t sdiv_##NAME(T a)                                            \
	{                                                                                    \
		uint64_t h = 0;                                                                  \
		h = rt_mix(h, (uint64_t)(T)(a / -3));                                            \
		h = rt_mix(h, (uint64_t)(T)(a % -3));                                            \
		h = rt_mix(h, (uint64_t)(T)(a / -8));                                            \
		h = rt_mix(h, (uint64_t)(T)(a % -8));                                            \
		h = rt_mix(h, (uint64_t)(T)(a / 2));                                             \
		h = rt_mix(h, (uint64_t)(T)(a / 6));                                             \
		h = rt_mix(h, (uint64_t)(T)(a / 100));                                           \
		h = rt_mix(h, (uint64_t)(T)(a % 100));                                           \
		return h;                                                                        \
	}
DEFINE_SDIV(s64, int64_t)
DEFINE_SDIV(s32, int32_t)
DEFINE_SDIV(s16, int16_t)
DEFINE_SDIV(s8, int8_t)

/* Conversions: truncations, sign and zero extensions, in both directions. */
static NOINLINE uint64_t conversions(uint64_t v)
{
	uint64_t h = 0;
	h = rt_mix(h, (uint64_t)(int64_t)(int8_t)v);
	h = rt_mix(h, (uint64_t)(uint8_t)v);
	h = rt_mix(h, (uint64_t)(int64_t)(int16_t)v);
	h = rt_mix(h, (uint64_t)(uint16_t)v);
	h = rt_mix(h, (uint64_t)(int64_t)(int32_t)v);
	h = rt_mix(h, (uint64_t)(uint32_t)v);
	h = rt_mix(h, (uint64_t)(int32_t)(int8_t)v);
	h = rt_mix(h, (uint64_t)(uint32_t)(int16_t)v);
	h = rt_mix(h, (uint64_t)(int16_t)(uint8_t)v);
	h = rt_mix(h, (uint64_t)(v != 0));
	h = rt_mix(h, (uint64_t)((int64_t)v < 0));
	h = rt_mix(h, (uint64_t)((int32_t)v > 0));
	return h;
}

/* Overflow-checking builtins (GCC emits carry/overflow sequences). */
#define OVF(NAME, T)                                                                     \
	static NOINLINE uint64_t ovf_##NAME(T a, T b)                                        \
	{                                                                                    \
		T r;                                                                             \
		uint64_t h = 0;                                                                  \
		int o = __builtin_add_overflow(a, b, &r);                                        \
		h = rt_mix(h, (uint64_t)r * 2 + (uint64_t)o);                                    \
		o = __builtin_sub_overflow(a, b, &r);                                            \
		h = rt_mix(h, (uint64_t)r * 2 + (uint64_t)o);                                    \
		o = __builtin_mul_overflow(a, b, &r);                                            \
		h = rt_mix(h, (uint64_t)r * 2 + (uint64_t)o);                                    \
		return h;                                                                        \
	}
OVF(u64, uint64_t)
OVF(s64, int64_t)
OVF(u32, uint32_t)
OVF(s32, int32_t)
OVF(s16, int16_t)
OVF(u8, uint8_t)

/* 128-bit arithmetic: add/sub with carries, 64x64->128 multiplies, shifts, */
/* comparisons, and divisions that go to libgcc.                           */
typedef unsigned __int128 u128;
typedef __int128 s128;

static NOINLINE uint64_t wide(uint64_t a, uint64_t b, unsigned n)
{
	uint64_t h = 0;
	u128 x = ((u128)a << 64) | b, y = ((u128)b << 64) | (a ^ 0x5555);
	u128 p = (u128)a * b;
	s128 sp = (s128)(int64_t)a * (int64_t)b;
	h = rt_mix(h, (uint64_t)(p >> 64));
	h = rt_mix(h, (uint64_t)p);
	h = rt_mix(h, (uint64_t)((u128)sp >> 64));
	h = rt_mix(h, (uint64_t)sp);
	u128 s = x + y, d = x - y;
	h = rt_mix(h, (uint64_t)(s >> 64) ^ (uint64_t)s);
	h = rt_mix(h, (uint64_t)(d >> 64) ^ (uint64_t)d);
	h = rt_mix(h, (uint64_t)((x << (n & 127)) >> 64));
	h = rt_mix(h, (uint64_t)(x >> (n & 127)));
	h = rt_mix(h, (uint64_t)((u128)((s128)x >> (n & 127)) >> 64));
	h = rt_mix(h, (uint64_t)(x < y) + 2 * (uint64_t)((s128)x < (s128)y));
	if (b) {
		u128 q = x / b, r = x % b;
		h = rt_mix(h, (uint64_t)(q >> 64) ^ (uint64_t)q ^ (uint64_t)r);
		s128 sq = (s128)x / (s128)(int64_t)(b | 1);
		h = rt_mix(h, (uint64_t)((u128)sq >> 64) ^ (uint64_t)sq);
	}
	/* mulhdu/mulhd directly, as GCC emits for the high half */
	h = rt_mix(h, (uint64_t)(((u128)a * 0x9E3779B97F4A7C15ULL) >> 64));
	return h;
}

static NOINLINE uint64_t sum_array_s32(const int32_t *a, int n)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return (uint64_t)s;
}

static NOINLINE uint64_t sum_array_u16(const uint16_t *a, int n)
{
	uint32_t s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * (uint32_t)(i + 1);
	return s;
}

static NOINLINE uint64_t sum_array_s8(const int8_t *a, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return (uint64_t)(int64_t)s;
}

static void known_answers(void)
{
	volatile uint64_t m1 = ~0ULL, seven = 7, big = 0x8000000000000000ULL;
	volatile int64_t neg = -7, three = 3;
	volatile int32_t i32min = INT32_MIN, im7 = -7;
	volatile uint32_t u32max = 0xffffffffu;
	CHECK(m1 / 3 == 0x5555555555555555ULL);
	CHECK(m1 % seven == 1);
	CHECK(neg / three == -2);
	CHECK(neg % three == -1);
	CHECK(big / seven == 0x1249249249249249ULL);
	CHECK(i32min / im7 == 306783378);
	CHECK(i32min % im7 == -2);
	CHECK(u32max / 10 == 429496729u);
	CHECK((int64_t)(int8_t)(uint8_t)0x80 == -128);
	CHECK((uint16_t)(m1 * m1) == 1);
	CHECK((int64_t)big >> 63 == -1);
	u128 p = (u128)m1 * m1;
	CHECK((uint64_t)(p >> 64) == 0xfffffffffffffffeULL && (uint64_t)p == 1);
	int64_t r;
	CHECK(__builtin_add_overflow((int64_t)0x7fffffffffffffffLL, (int64_t)(seven - 6), &r) &&
	      r == INT64_MIN);
	CHECK(!__builtin_mul_overflow((int64_t)-3037000499LL, (int64_t)3037000499LL, &r) &&
	      r == -9223372030926249001LL);
}

int main(int argc, char **argv)
{
	rt_rng rng = {0x0123456789abcdefULL};
	unsigned ne = sizeof edges / sizeof edges[0];
	for (unsigned i = 0; i < NVALS; i++)
		vals[i] = i < ne ? edges[i] : rt_next(&rng) >> (rt_next(&rng) & 63);

	printf("arith: %d values\n", NVALS);
	uint64_t h[8] = {0};
	for (int i = 0; i < NVALS; i++) {
		for (int j = 0; j < NVALS; j++) {
			uint64_t a = vals[i], b = vals[j];
			h[0] = rt_mix(h[0], arith_u64(a, b));
			h[1] = rt_mix(h[1], arith_s64((int64_t)a, (int64_t)b));
			h[2] = rt_mix(h[2], arith_u32((uint32_t)a, (uint32_t)b));
			h[3] = rt_mix(h[3], arith_s32((int32_t)a, (int32_t)b));
			h[4] = rt_mix(h[4], arith_u16((uint16_t)a, (uint16_t)b));
			h[5] = rt_mix(h[5], arith_s16((int16_t)a, (int16_t)b));
			h[6] = rt_mix(h[6], arith_u8((uint8_t)a, (uint8_t)b));
			h[7] = rt_mix(h[7], arith_s8((int8_t)a, (int8_t)b));
		}
	}
	static const char *names[8] = {"u64", "s64", "u32", "s32", "u16", "s16", "u8", "s8"};
	for (int t = 0; t < 8; t++)
		printf("  ops %-3s %016lx\n", names[t], (unsigned long)h[t]);

	uint64_t hs = 0, hc = 0, ho = 0, hw = 0;
	for (int i = 0; i < NVALS; i++) {
		uint64_t a = vals[i];
		hs = rt_mix(hs, sdiv_s64((int64_t)a));
		hs = rt_mix(hs, sdiv_s32((int32_t)a));
		hs = rt_mix(hs, sdiv_s16((int16_t)a));
		hs = rt_mix(hs, sdiv_s8((int8_t)a));
		hc = rt_mix(hc, conversions(a));
		for (int j = 0; j < NVALS; j++) {
			uint64_t b = vals[j];
			ho = rt_mix(ho, ovf_u64(a, b));
			ho = rt_mix(ho, ovf_s64((int64_t)a, (int64_t)b));
			ho = rt_mix(ho, ovf_u32((uint32_t)a, (uint32_t)b));
			ho = rt_mix(ho, ovf_s32((int32_t)a, (int32_t)b));
			ho = rt_mix(ho, ovf_s16((int16_t)a, (int16_t)b));
			ho = rt_mix(ho, ovf_u8((uint8_t)a, (uint8_t)b));
			if (((i + j) & 3) == 0)
				hw = rt_mix(hw, wide(a, b, (unsigned)(i * 7 + j)));
		}
	}
	printf("  signed div by constants %016lx\n", (unsigned long)hs);
	printf("  conversions             %016lx\n", (unsigned long)hc);
	printf("  overflow builtins       %016lx\n", (unsigned long)ho);
	printf("  128-bit                 %016lx\n", (unsigned long)hw);

	/* A readable table for a few pairs. */
	static const int pick[][2] = {{20, 6}, {18, 9}, {19, 22}, {27, 5}, {26, 29}, {23, 14}};
	for (unsigned k = 0; k < sizeof pick / sizeof pick[0]; k++) {
		int64_t a = (int64_t)vals[pick[k][0]], b = (int64_t)vals[pick[k][1]];
		printf("  s64 %ld / %ld = %ld rem %ld\n", (long)a, (long)b, (long)(a / b), (long)(a % b));
		printf("  u64 %lu / %lu = %lu rem %lu\n", (unsigned long)a, (unsigned long)b,
		       (unsigned long)((uint64_t)a / (uint64_t)b), (unsigned long)((uint64_t)a % (uint64_t)b));
		int32_t c = (int32_t)a, d = (int32_t)b;
		if (d != 0 && !(c == INT32_MIN && d == -1))
			printf("  s32 %d / %d = %d rem %d, %d * %d = %d\n", c, d, c / d, c % d, c, d,
			       (int32_t)((uint32_t)c * (uint32_t)d));
		int16_t e = (int16_t)a, f = (int16_t)b;
		if (f != 0)
			printf("  s16 %d / %d = %d, u8 %u * %u = %u\n", e, f, e / f, (uint8_t)a,
			       (uint8_t)b, (uint8_t)((uint8_t)a * (uint8_t)b));
	}

	/* Loops over arrays of each width (loads with sign/zero extension). */
	static int32_t a32[100];
	static uint16_t a16[100];
	static int8_t a8[100];
	for (int i = 0; i < 100; i++) {
		uint64_t r = rt_next(&rng);
		a32[i] = (int32_t)r;
		a16[i] = (uint16_t)(r >> 32);
		a8[i] = (int8_t)(r >> 48);
	}
	printf("  sums %ld %lu %ld\n", (long)sum_array_s32(a32, 100), (unsigned long)sum_array_u16(a16, 100),
	       (long)sum_array_s8(a8, 100));

	known_answers();
	printf("arith: %d failures\n", rt_failures);
	return rt_failures ? 1 : 0;
}
