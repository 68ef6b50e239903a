/*
 * float.c — floating-point semantics as compiled C sees them: special values,
 * comparisons, conversions in both directions and at their boundaries, the
 * four rounding modes, the FPSCR's exception bits, single precision, fused
 * multiply-add, sign operations. Results are printed as bit patterns (exact)
 * and through a small decimal formatter that itself runs on the FPU.
 * Inputs come through volatile variables so that the compiler cannot fold
 * the operations away. Contraction into fused multiply-adds is off (every
 * variant must print the same); fused operations are asked for explicitly.
 */
#include "rt/rt.h"

#pragma GCC optimize("fp-contract=off")

typedef union { double d; uint64_t u; } dbits;
typedef union { float f; uint32_t u; } fbits;

static uint64_t bits(double d) { dbits b = {.d = d}; return b.u; }
static uint32_t fbits_of(float f) { fbits b = {.f = f}; return b.u; }
static double from_bits(uint64_t u) { dbits b = {.u = u}; return b.d; }

/* The library functions GCC may call for builtins it does not inline on
 * every CPU (sqrt on a NaN result, floor and friends before POWER5+). */
double sqrt(double x)
{
	double r;
	__asm__("fsqrt %0,%1" : "=d"(r) : "d"(x));
	return r;
}
static double trunc_(double x)
{
	if (!(x == x) || x >= 4503599627370496.0 || x <= -4503599627370496.0)
		return x;
	double t = (double)(long)x;
	return (t == 0 && bits(x) >> 63) ? -0.0 : t;
}
double floor(double x) { double t = trunc_(x); return t > x ? t - 1 : t; }
double ceil(double x) { double t = trunc_(x); return t < x ? t + 1 : t; }
double trunc(double x) { return trunc_(x); }
double round(double x) { return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5); }

/* %.17g-like: up to 17 significant digits, computed by scaling with the FPU
 * (deterministic, though not the correctly rounded conversion). */
static void print_g(double x)
{
	if (x != x) { printf("nan"); return; }
	if (bits(x) >> 63) { putchar('-'); x = -x; }
	if (x == 1.0 / 0.0) { printf("inf"); return; }
	if (x == 0) { printf("0"); return; }
	int e = 0;
	while (x >= 10) { x /= 10; e++; }
	while (x < 1) { x *= 10; e--; }
	char digits[17];
	for (int i = 0; i < 17; i++) {
		int d = (int)x;
		if (d > 9) d = 9;
		digits[i] = (char)('0' + d);
		x = (x - d) * 10;
	}
	int n = 17;
	while (n > 1 && digits[n - 1] == '0') n--;
	putchar(digits[0]);
	if (n > 1) putchar('.');
	for (int i = 1; i < n; i++) putchar(digits[i]);
	if (e) printf("e%d", e);
}

static void show(const char *what, double x)
{
	printf("%-28s %016llx  ", what, (unsigned long long)bits(x));
	print_g(x);
	putchar('\n');
}

static inline uint64_t get_fpscr(void)
{
	double f;
	__asm__ volatile("mffs %0" : "=d"(f) : : "memory");
	return bits(f);
}
static inline void set_fpscr(uint64_t v)
{
	double f = from_bits(v);
	__asm__ volatile("mtfsf 0xff,%0" : : "d"(f) : "memory");
}
static inline void set_round(int mode)
{
	uint64_t f = get_fpscr();
	set_fpscr((f & ~3ull) | (unsigned)mode);
}

static volatile double v_zero = 0.0, v_one = 1.0, v_two = 2.0, v_three = 3.0, v_tenth = 0.1;
static volatile double v_huge = 1e308, v_tiny = 1e-308, v_min = 4.9406564584124654e-324;
static volatile double v_mzero = -0.0, v_half = 0.5;
static volatile float vf_one = 1.0f, vf_three = 3.0f, vf_max = 3.40282347e38f, vf_min = 1.17549435e-38f;

static void specials(void)
{
	printf("-- special values\n");
	double inf = v_one / v_zero, ninf = -v_one / v_zero, nan = v_zero / v_zero;
	show("1/0", inf);
	show("-1/0", ninf);
	show("1/-0", v_one / v_mzero);
	show("0/0", nan);
	show("inf-inf", inf - inf);
	show("inf*0", inf * v_zero);
	show("inf/inf", inf / inf);
	show("nan+1", nan + v_one);
	show("-0+0", v_mzero + v_zero);
	show("-0-0", v_mzero - v_zero);
	show("-0*-0", v_mzero * v_mzero);
	show("sqrt(-1)", sqrt(-v_one));
	show("sqrt(-0)", sqrt(v_mzero));
	show("sqrt(2)", sqrt(v_two));
	show("min subnormal/2", v_min / 2);
	show("min subnormal*0.75", v_min * 0.75);
	show("huge*10", v_huge * 10);
	show("tiny/1e10", v_tiny / 1e10);
	show("1/3", v_one / v_three);
	show("0.1*3", v_tenth * 3);
	show("2^-1074*2^1074/2^1074", v_min * 1e300 / 1e300);
}

static void comparisons(void)
{
	printf("-- comparisons (< <= == != > >=)\n");
	double inf = v_one / v_zero, nan = v_zero / v_zero;
	double vals[] = {-inf, -1.0, -v_min, -0.0, 0.0, v_min, 1.0, inf, nan};
	const int n = sizeof vals / sizeof vals[0];
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			volatile double a = vals[i], b = vals[j];
			int m = (a < b) << 5 | (a <= b) << 4 | (a == b) << 3 | (a != b) << 2 | (a > b) << 1 | (a >= b);
			printf("%02x%c", m, j == n - 1 ? '\n' : ' ');
		}
	}
}

static void conversions(void)
{
	printf("-- conversions\n");
	static volatile double in[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 1e9, -1e9, 2147483647.0, -2147483648.0,
				       4294967295.0, 9.2233720368547748e18, -9.2233720368547758e18, 1.8446744073709550e19,
				       123456789.987654321, -0.999999999};
	for (unsigned k = 0; k < sizeof in / sizeof in[0]; k++) {
		double d = in[k];
		int i = (d > -2147483649.0 && d < 2147483648.0) ? (int)d : 0;
		long l = (d > -9.3e18 && d < 9.2e18) ? (long)d : 0;
		unsigned u = (d > -1.0 && d < 4294967296.0) ? (unsigned)d : 0;
		unsigned long ul = (d > -1.0 && d < 1.8e19) ? (unsigned long)d : 0;
		printf("%016llx -> int %d long %ld unsigned %u ulong %lu float %08x\n", (unsigned long long)bits(d), i, l,
		       u, ul, fbits_of((float)d));
	}
	static volatile long li[] = {0, 1, -1, 9007199254740993L, -9007199254740993L, 0x7fffffffffffffffL,
				     (long)0x8000000000000000UL, 16777217, -16777217, 123456789012345678L};
	for (unsigned k = 0; k < sizeof li / sizeof li[0]; k++) {
		long x = li[k];
		printf("%ld -> double %016llx float %08x ulong->double %016llx ulong->float %08x int->double %016llx\n", x,
		       (unsigned long long)bits((double)x), fbits_of((float)x),
		       (unsigned long long)bits((double)(unsigned long)x), fbits_of((float)(unsigned long)x),
		       (unsigned long long)bits((double)(int)x));
	}
	static volatile double r[] = {2.5, -2.5, 3.5, -0.4, 0.7, -1e-300, 4503599627370495.5, 1e300};
	for (unsigned k = 0; k < sizeof r / sizeof r[0]; k++)
		printf("floor %016llx ceil %016llx trunc %016llx round %016llx\n", (unsigned long long)bits(__builtin_floor(r[k])),
		       (unsigned long long)bits(__builtin_ceil(r[k])), (unsigned long long)bits(__builtin_trunc(r[k])),
		       (unsigned long long)bits(__builtin_round(r[k])));
}

static void rounding_modes(void)
{
	static const char *const names[] = {"nearest", "toward zero", "toward +inf", "toward -inf"};
	for (int m = 0; m < 4; m++) {
		set_round(m);
		printf("-- rounding %s\n", names[m]);
		show("1/3", v_one / v_three);
		show("-1/3", -v_one / v_three);
		show("2/3", v_two / v_three);
		show("sqrt(2)", sqrt(v_two));
		show("huge*10", v_huge * 10);
		show("-huge*10", -v_huge * 10);
		show("tiny/3e15", v_tiny / 3e15);
		show("fma(1/3,3,-1)", __builtin_fma(v_one / v_three, v_three, -v_one));
		show("(float)(1/3)", (float)(v_one / v_three));
		show("0.1+0.2", v_tenth + 0.2);
		double c;
		__asm__ volatile("fctid %0,%1" : "=d"(c) : "d"(-v_two - v_half));
		printf("fctid(-2.5) %lld\n", (long long)bits(c));
		__asm__ volatile("fctiw %0,%1" : "=d"(c) : "d"(v_three + v_half));
		printf("fctiw(3.5) %lld\n", (long long)(int)bits(c));
		printf("float 1/3 %08x float max*2 %08x\n", fbits_of(vf_one / vf_three), fbits_of(vf_max * 2.0f));
	}
	set_round(0);
}

/* The FPSCR after each operation, from a clean state (exceptions disabled). */
static void fpscr_flags(void)
{
	printf("-- FPSCR\n");
	double inf = v_one / v_zero;
	struct { const char *what; int op; } ops[] = {
	    {"exact 1+1", 0}, {"inexact 1/3", 1}, {"overflow", 2}, {"underflow", 3}, {"zero divide", 4},
	    {"inf-inf", 5}, {"0*inf", 6}, {"0/0", 7}, {"inf/inf", 8}, {"sqrt(-1)", 9}, {"snan+1", 10},
	    {"(int)1e10", 11}, {"cmpo nan", 12}, {"subnormal exact", 13}, {"float overflow", 14}};
	for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		volatile double r = 0;
		set_fpscr(0);
		switch (ops[k].op) {
		case 0: r = v_one + v_one; break;
		case 1: r = v_one / v_three; break;
		case 2: r = v_huge * v_huge; break;
		case 3: r = v_tiny * v_tiny; break;
		case 4: r = v_one / v_zero; break;
		case 5: r = inf - inf; break;
		case 6: r = v_zero * inf; break;
		case 7: r = v_zero / v_zero; break;
		case 8: r = inf / inf; break;
		case 9: { double x; __asm__ volatile("fsqrt %0,%1" : "=d"(x) : "d"(-v_one)); r = x; break; }
		case 10: r = from_bits(0x7ff0000000000001ull + (uint64_t)v_zero) + v_one; break;
		case 11: { double x; __asm__ volatile("fctiwz %0,%1" : "=d"(x) : "d"(v_huge / 1e298)); r = x; break; }
		case 12: { unsigned cr; __asm__ volatile("fcmpo 0,%1,%2\n\tmfcr %0" : "=r"(cr) : "d"(v_zero / v_zero), "d"(v_one) : "cr0"); r = cr >> 28; break; }
		case 13: r = v_min * 2; break;
		case 14: { volatile float f = vf_max * vf_max; r = f; break; }
		}
		uint64_t f = get_fpscr();
		printf("%-18s fpscr %08llx result %016llx\n", ops[k].what, (unsigned long long)f, (unsigned long long)bits(r));
	}
	set_fpscr(0);
}

static void single_precision(void)
{
	printf("-- single precision\n");
	float s = 0, c = 0;
	for (int i = 1; i <= 2000; i++) {
		float y = vf_one / (float)i - c; /* Kahan */
		float t = s + y;
		c = (t - s) - y;
		s = t;
	}
	float naive = 0;
	for (int i = 1; i <= 2000; i++)
		naive += vf_one / (float)i;
	printf("harmonic(2000) kahan %08x naive %08x\n", fbits_of(s), fbits_of(naive));
	float sub = vf_min / 3.0f;
	printf("FLT_MIN/3 %08x *3 %08x double %016llx\n", fbits_of(sub), fbits_of(sub * 3.0f),
	       (unsigned long long)bits((double)sub));
	printf("fmaf %08x\n", fbits_of(__builtin_fmaf(vf_one / vf_three, vf_three, -vf_one)));
	float x = 1.5f;
	for (int i = 0; i < 20; i++)
		x = x * x - 1.25f;
	printf("iteration %08x\n", fbits_of(x));
	double d = 0.1;
	printf("(float)0.1 %08x back %016llx\n", fbits_of((float)d), (unsigned long long)bits((double)(float)d));
}

static void signs(void)
{
	printf("-- signs\n");
	static volatile double in[] = {1.5, -1.5, 0.0, -0.0};
	for (int i = 0; i < 4; i++) {
		double a = in[i];
		printf("%016llx fabs %016llx neg %016llx nabs %016llx copysign(-) %016llx copysign(+) %016llx\n",
		       (unsigned long long)bits(a), (unsigned long long)bits(__builtin_fabs(a)), (unsigned long long)bits(-a),
		       (unsigned long long)bits(-__builtin_fabs(a)), (unsigned long long)bits(__builtin_copysign(v_two, a)),
		       (unsigned long long)bits(__builtin_copysign(a, v_one)));
	}
}

int main(void)
{
	specials();
	comparisons();
	conversions();
	rounding_modes();
	fpscr_flags();
	single_precision();
	signs();
	return 0;
}
