/*
 * bignum.c — multi-precision arithmetic: 32-bit limbs with 64-bit products
 * (mullw/mulhwu-style code, carries by shifts) and 64-bit limbs with 128-bit
 * products (mulld/mulhdu, addc/adde chains); schoolbook vs Karatsuba
 * multiplication, decimal conversion by repeated division, factorials, powers,
 * Fibonacci numbers, and 64-bit modular arithmetic (Miller-Rabin).
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))
#define MAXL 160 /* 32-bit limbs: up to 5120 bits */

typedef struct {
	int n; /* limbs in use, little-endian limb order, no leading zero limbs */
	uint32_t d[MAXL];
} big;

static void big_norm(big *a)
{
	while (a->n > 0 && a->d[a->n - 1] == 0)
		a->n--;
}

static void big_set(big *a, uint64_t v)
{
	a->n = 0;
	while (v) {
		a->d[a->n++] = (uint32_t)v;
		v >>= 32;
	}
}

static NOINLINE void big_add(big *r, const big *a, const big *b)
{
	uint64_t carry = 0;
	int n = a->n > b->n ? a->n : b->n;
	for (int i = 0; i < n; i++) {
		uint64_t s = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
		r->d[i] = (uint32_t)s;
		carry = s >> 32;
	}
	r->n = n;
	if (carry)
		r->d[r->n++] = (uint32_t)carry;
}

/* r = a - b, requires a >= b */
static NOINLINE void big_sub(big *r, const big *a, const big *b)
{
	int64_t borrow = 0;
	for (int i = 0; i < a->n; i++) {
		int64_t s = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
		borrow = s < 0;
		r->d[i] = (uint32_t)s;
	}
	r->n = a->n;
	big_norm(r);
}

static NOINLINE void big_mul_small(big *a, uint32_t m)
{
	uint64_t carry = 0;
	for (int i = 0; i < a->n; i++) {
		uint64_t p = (uint64_t)a->d[i] * m + carry;
		a->d[i] = (uint32_t)p;
		carry = p >> 32;
	}
	if (carry)
		a->d[a->n++] = (uint32_t)carry;
}

static NOINLINE uint32_t big_div_small(big *a, uint32_t m)
{
	uint64_t rem = 0;
	for (int i = a->n - 1; i >= 0; i--) {
		uint64_t cur = rem << 32 | a->d[i];
		a->d[i] = (uint32_t)(cur / m);
		rem = cur % m;
	}
	big_norm(a);
	return (uint32_t)rem;
}

static NOINLINE void schoolbook(uint32_t *r, const uint32_t *a, int na, const uint32_t *b, int nb)
{
	for (int i = 0; i < na + nb; i++)
		r[i] = 0;
	for (int i = 0; i < na; i++) {
		uint64_t carry = 0;
		for (int j = 0; j < nb; j++) {
			uint64_t t = (uint64_t)a[i] * b[j] + r[i + j] + carry;
			r[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		r[i + nb] = (uint32_t)carry;
	}
}

static void big_mul(big *r, const big *a, const big *b)
{
	schoolbook(r->d, a->d, a->n, b->d, b->n);
	r->n = a->n + b->n;
	big_norm(r);
}

/* add b (nb limbs) into r at limb offset, propagating the carry */
static void add_into(uint32_t *r, int nr, const uint32_t *b, int nb)
{
	uint64_t carry = 0;
	int i = 0;
	for (; i < nb; i++) {
		uint64_t s = (uint64_t)r[i] + b[i] + carry;
		r[i] = (uint32_t)s;
		carry = s >> 32;
	}
	for (; carry && i < nr; i++) {
		uint64_t s = (uint64_t)r[i] + carry;
		r[i] = (uint32_t)s;
		carry = s >> 32;
	}
}

static void sub_from(uint32_t *r, int nr, const uint32_t *b, int nb)
{
	int64_t borrow = 0;
	for (int i = 0; i < nr; i++) {
		int64_t s = (int64_t)r[i] - (i < nb ? b[i] : 0) - borrow;
		borrow = s < 0;
		r[i] = (uint32_t)s;
	}
}

/* Karatsuba on equal-length operands (n limbs, n even above the cutoff). */
static NOINLINE void karatsuba(uint32_t *r, const uint32_t *a, const uint32_t *b, int n)
{
	if (n <= 8 || (n & 1)) {
		schoolbook(r, a, n, b, n);
		return;
	}
	int h = n / 2;
	uint32_t z0[MAXL], z2[MAXL], z1[MAXL + 4], sa[MAXL / 2 + 1], sb[MAXL / 2 + 1];
	karatsuba(z0, a, b, h);
	karatsuba(z2, a + h, b + h, h);
	/* (a0 + a1)(b0 + b1) with h+1 limbs each */
	uint64_t ca = 0, cb = 0;
	for (int i = 0; i < h; i++) {
		uint64_t s = (uint64_t)a[i] + a[i + h] + ca;
		sa[i] = (uint32_t)s;
		ca = s >> 32;
		s = (uint64_t)b[i] + b[i + h] + cb;
		sb[i] = (uint32_t)s;
		cb = s >> 32;
	}
	sa[h] = (uint32_t)ca;
	sb[h] = (uint32_t)cb;
	schoolbook(z1, sa, h + 1, sb, h + 1);
	sub_from(z1, 2 * h + 2, z0, 2 * h);
	sub_from(z1, 2 * h + 2, z2, 2 * h);
	for (int i = 0; i < 2 * n; i++)
		r[i] = 0;
	add_into(r, 2 * n, z0, 2 * h);
	add_into(r + 2 * h, 2 * n - 2 * h, z2, 2 * h);
	add_into(r + h, 2 * n - h, z1, 2 * h + 2 <= 2 * n - h ? 2 * h + 2 : 2 * n - h);
}

/* 64-bit limbs with 128-bit products */
typedef unsigned __int128 u128;
static NOINLINE void mul64(uint64_t *r, const uint64_t *a, int na, const uint64_t *b, int nb)
{
	for (int i = 0; i < na + nb; i++)
		r[i] = 0;
	for (int i = 0; i < na; i++) {
		uint64_t carry = 0;
		for (int j = 0; j < nb; j++) {
			u128 t = (u128)a[i] * b[j] + r[i + j] + carry;
			r[i + j] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		}
		r[i + nb] = carry;
	}
}

/* decimal string of a (destroys a copy) */
static NOINLINE int big_to_dec(const big *a, char *out)
{
	big t = *a;
	char tmp[1600];
	int n = 0;
	if (t.n == 0) {
		out[0] = '0';
		out[1] = 0;
		return 1;
	}
	while (t.n) {
		uint32_t chunk = big_div_small(&t, 1000000000u);
		for (int k = 0; k < 9; k++) {
			tmp[n++] = (char)('0' + chunk % 10);
			chunk /= 10;
		}
	}
	while (n > 1 && tmp[n - 1] == '0')
		n--;
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
	return n;
}

static int digit_sum(const char *s)
{
	int sum = 0;
	for (; *s; s++)
		sum += *s - '0';
	return sum;
}

static void print_dec(const char *label, const big *a)
{
	static char s[1600];
	int n = big_to_dec(a, s);
	if (n > 60)
		printf("%s: %d digits, %.20s...%s, digit sum %d\n", label, n, s, s + n - 20, digit_sum(s));
	else
		printf("%s: %s (digit sum %d)\n", label, s, digit_sum(s));
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;
	b %= m;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

static NOINLINE int is_prime64(uint64_t n)
{
	static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
	if (n < 2)
		return 0;
	for (int i = 0; i < 12; i++)
		if (n % bases[i] == 0)
			return n == bases[i];
	uint64_t d = n - 1;
	int s = 0;
	while (!(d & 1)) {
		d >>= 1;
		s++;
	}
	for (int i = 0; i < 12; i++) {
		uint64_t x = powmod(bases[i], d, n);
		if (x == 1 || x == n - 1)
			continue;
		int comp = 1;
		for (int r = 1; r < s && comp; r++) {
			x = mulmod(x, x, n);
			if (x == n - 1)
				comp = 0;
		}
		if (comp)
			return 0;
	}
	return 1;
}

static big A, B, C, D;

int main(int argc, char **argv)
{
	int failures = 0;

	big_set(&A, 1);
	for (uint32_t i = 2; i <= 100; i++)
		big_mul_small(&A, i);
	print_dec("100!", &A);
	static char s[1600];
	big_to_dec(&A, s);
	failures += digit_sum(s) != 648;

	big_set(&A, 1);
	for (int i = 0; i < 1000; i++)
		big_mul_small(&A, 2);
	print_dec("2^1000", &A);
	big_to_dec(&A, s);
	failures += digit_sum(s) != 1366;

	big_set(&A, 0);
	big_set(&B, 1);
	for (int i = 0; i < 1000; i++) {
		big_add(&C, &A, &B);
		A = B;
		B = C;
	}
	print_dec("fib(1000)", &A);

	/* (3^200 - 2^300) * 7^100, via sub and mul */
	big_set(&A, 1);
	for (int i = 0; i < 200; i++)
		big_mul_small(&A, 3);
	big_set(&B, 1);
	for (int i = 0; i < 300; i++)
		big_mul_small(&B, 2);
	big_sub(&C, &A, &B);
	big_set(&D, 1);
	for (int i = 0; i < 100; i++)
		big_mul_small(&D, 7);
	big_mul(&A, &C, &D);
	print_dec("(3^200-2^300)*7^100", &A);

	/* random 64-limb (2048-bit) operands: schoolbook, Karatsuba and 64-bit limbs agree */
	rt_rng rng = {0xb16b00b5deadbeefULL};
	static uint32_t x[64], y[64], r1[128], r2[128];
	static uint64_t x64[32], y64[32], r3[64];
	uint64_t hs = 0;
	int agree = 1;
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 64; i++) {
			x[i] = (uint32_t)rt_next(&rng);
			y[i] = (uint32_t)rt_next(&rng);
		}
		if (round == 1)
			for (int i = 0; i < 64; i++)
				x[i] = y[i] = 0xffffffffu; /* all carries */
		schoolbook(r1, x, 64, y, 64);
		karatsuba(r2, x, y, 64);
		for (int i = 0; i < 32; i++) {
			x64[i] = (uint64_t)x[2 * i + 1] << 32 | x[2 * i];
			y64[i] = (uint64_t)y[2 * i + 1] << 32 | y[2 * i];
		}
		mul64(r3, x64, 32, y64, 32);
		for (int i = 0; i < 128; i++) {
			hs = rt_mix(hs, r1[i]);
			if (r1[i] != r2[i] || r1[i] != (uint32_t)(r3[i / 2] >> (32 * (i & 1))))
				agree = 0;
		}
	}
	printf("2048-bit products: %016lx agree=%d\n", (unsigned long)hs, agree);
	failures += !agree;

	/* 64-bit modular arithmetic */
	printf("2^(10^18) mod 1e9+7 = %lu\n", (unsigned long)powmod(2, 1000000000000000000ULL, 1000000007));
	static const uint64_t cands[] = {1, 2, 97, 561, 1000000007, 4294967291ULL, 4294967297ULL,
	                                 1000000000000000003ULL, 18446744073709551557ULL,
	                                 3215031751ULL, 9223372036854775783ULL, 999999999999999989ULL};
	printf("primes:");
	for (unsigned i = 0; i < sizeof cands / sizeof cands[0]; i++)
		printf(" %d", is_prime64(cands[i]));
	printf("\n");
	uint64_t count = 0, last = 0;
	for (uint64_t n = 1000000000000ULL; n < 1000000000000ULL + 2000; n++)
		if (is_prime64(n)) {
			count++;
			last = n;
		}
	printf("primes in [1e12, 1e12+2000): %lu, last %lu\n", (unsigned long)count, (unsigned long)last);

	printf("bignum: %d failures\n", failures);
	return failures;
}
