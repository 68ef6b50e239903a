/*
 * numeric.c — floating-point kernels as programs use them: polynomial
 * evaluation, Newton iterations, numerical integration, Gaussian
 * elimination with partial pivoting, matrix products, a small n-body
 * simulation, the Mandelbrot set, compensated summation, sorting doubles,
 * in double and single precision. Prints checksums of the results' bits and
 * a few values in decimal (printed with integer arithmetic on the bits).
 * Contraction into fused multiply-adds is off so that every optimisation
 * level computes (and prints) the same; the fused step is explicit.
 */
#include "rt/rt.h"

#pragma GCC optimize("fp-contract=off")

static uint64_t bits(double d) { union { double d; uint64_t u; } b = {.d = d}; return b.u; }
static uint32_t fbits(float f) { union { float f; uint32_t u; } b = {.f = f}; return b.u; }

double sqrt(double x) /* GCC calls it for a NaN result (errno) */
{
	double r;
	__asm__("fsqrt %0,%1" : "=d"(r) : "d"(x));
	return r;
}

/* x to 9 decimals, by integer arithmetic on its bits (|x| < 2^53 / 1e9). */
static void print_fixed(double x)
{
	uint64_t u = bits(x);
	if (u >> 63) { putchar('-'); u &= ~(1ull << 63); }
	int e = (int)(u >> 52) - 1075;
	uint64_t m = (u & 0xfffffffffffffull) | (e > -1075 ? 1ull << 52 : 0);
	if (e == -1075) e = -1074;
	/* value = m * 2^e; print floor(value * 1e9) / 1e9, rounded to nearest */
	unsigned __int128 v = m;
	v *= 1000000000u;
	if (e >= 0) v <<= e;
	else if (e > -128) v = (v + ((unsigned __int128)1 << (-e - 1))) >> -e;
	else v = 0;
	uint64_t whole = (uint64_t)(v / 1000000000u), frac = (uint64_t)(v % 1000000000u);
	printf("%lu.%09lu", whole, frac);
}

static uint64_t h = 0;
static void mixd(double d) { h = rt_mix(h, bits(d)); }

static double horner(const double *c, int n, double x)
{
	double r = c[n - 1];
	for (int i = n - 2; i >= 0; i--)
		r = r * x + c[i];
	return r;
}

static double newton_sqrt(double a)
{
	double x = a > 1 ? a / 2 : 1;
	for (int i = 0; i < 60; i++)
		x = 0.5 * (x + a / x);
	return x;
}

static double f_sin(double x) /* Taylor series, enough terms for |x| <= pi */
{
	double term = x, sum = x;
	for (int k = 1; k < 12; k++) {
		term *= -x * x / ((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

static double simpson(double (*f)(double), double a, double b, int n)
{
	double hh = (b - a) / n, s = f(a) + f(b);
	for (int i = 1; i < n; i++)
		s += f(a + i * hh) * (i % 2 ? 4 : 2);
	return s * hh / 3;
}

#define N 8
static double det_gauss(double m[N][N])
{
	double det = 1;
	for (int c = 0; c < N; c++) {
		int p = c;
		for (int r = c + 1; r < N; r++)
			if (__builtin_fabs(m[r][c]) > __builtin_fabs(m[p][c]))
				p = r;
		if (m[p][c] == 0)
			return 0;
		if (p != c) {
			for (int k = 0; k < N; k++) {
				double t = m[c][k];
				m[c][k] = m[p][k];
				m[p][k] = t;
			}
			det = -det;
		}
		det *= m[c][c];
		for (int r = c + 1; r < N; r++) {
			double f = m[r][c] / m[c][c];
			for (int k = c; k < N; k++)
				m[r][k] -= f * m[c][k];
		}
	}
	return det;
}

static void nbody(int steps)
{
	double x[3] = {0, 1, -1}, y[3] = {0, 0, 0.5}, vx[3] = {0, 0, 0.3}, vy[3] = {0, 1, -0.7};
	double m[3] = {1, 1e-3, 2e-3}, dt = 0.01;
	for (int s = 0; s < steps; s++) {
		for (int i = 0; i < 3; i++) {
			double ax = 0, ay = 0;
			for (int j = 0; j < 3; j++) {
				if (i == j)
					continue;
				double dx = x[j] - x[i], dy = y[j] - y[i];
				double r2 = dx * dx + dy * dy + 1e-9;
				double inv = 1 / (r2 * sqrt(r2));
				ax = __builtin_fma(m[j] * dx, inv, ax);
				ay = __builtin_fma(m[j] * dy, inv, ay);
			}
			vx[i] += ax * dt;
			vy[i] += ay * dt;
		}
		for (int i = 0; i < 3; i++) {
			x[i] += vx[i] * dt;
			y[i] += vy[i] * dt;
		}
	}
	for (int i = 0; i < 3; i++) {
		mixd(x[i]);
		mixd(y[i]);
	}
	printf("nbody x1 ");
	print_fixed(x[1]);
	printf(" y1 ");
	print_fixed(y[1]);
	putchar('\n');
}

static void mandelbrot(void)
{
	for (int row = 0; row < 12; row++) {
		char line[41];
		for (int col = 0; col < 40; col++) {
			double cr = -2.2 + col * 0.075, ci = -1.1 + row * 0.2, zr = 0, zi = 0;
			int it = 0;
			while (it < 60 && zr * zr + zi * zi < 4) {
				double t = zr * zr - zi * zi + cr;
				zi = 2 * zr * zi + ci;
				zr = t;
				it++;
			}
			line[col] = " .:-=+*#%@"[it % 10];
		}
		line[40] = 0;
		puts(line);
	}
}

static void sort_doubles(double *a, int n)
{
	for (int i = 1; i < n; i++) {
		double v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

int main(void)
{
	static const double coef[] = {1, -0.5, 0.25, -0.125, 0.0625, 1e-3, -7e-5};
	double acc = 0;
	for (int i = -50; i <= 50; i++)
		acc += horner(coef, 7, i * 0.07);
	mixd(acc);
	printf("horner sum ");
	print_fixed(acc);
	putchar('\n');

	for (int i = 1; i <= 20; i++) {
		double a = i * 1.37;
		mixd(newton_sqrt(a) - sqrt(a));
	}
	printf("sqrt(2) newton ");
	print_fixed(newton_sqrt(2));
	printf(" fsqrt ");
	print_fixed(sqrt(2));
	putchar('\n');

	double area = simpson(f_sin, 0, 3.14159265358979323846, 200);
	mixd(area);
	printf("integral of sin over [0,pi] ");
	print_fixed(area);
	putchar('\n');

	double m[N][N];
	rt_rng r = {12345};
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			m[i][j] = (double)(int64_t)(rt_next(&r) % 2001 - 1000) / 100;
	double p[N][N];
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int k = 0; k < N; k++)
				s += m[i][k] * m[k][j];
			p[i][j] = s;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			mixd(p[i][j]);
	double det = det_gauss(m);
	mixd(det);
	printf("det %016llx\n", (unsigned long long)bits(det));

	nbody(300);
	mandelbrot();

	double sum = 0, c = 0, naive = 0;
	for (int i = 1; i <= 100000; i++) {
		double y = 1.0 / ((double)i * i) - c;
		double t = sum + y;
		c = (t - sum) - y;
		sum = t;
		naive += 1.0 / ((double)i * i);
	}
	printf("basel kahan %016llx naive %016llx\n", (unsigned long long)bits(sum), (unsigned long long)bits(naive));

	double arr[64];
	for (int i = 0; i < 64; i++)
		arr[i] = (double)(int64_t)(rt_next(&r) >> 20) / 3.0 - 1e12;
	sort_doubles(arr, 64);
	for (int i = 0; i < 64; i++)
		mixd(arr[i]);
	printf("sorted min ");
	print_fixed(arr[0] / 1e6);
	printf(" max ");
	print_fixed(arr[63] / 1e6);
	putchar('\n');

	float fs = 0;
	for (int i = 0; i < 1000; i++)
		fs += (float)i * 0.001f + 1.0f / (float)(i + 1);
	int hist[10] = {0};
	for (int i = 0; i < 1000; i++) {
		double x = (double)(rt_next(&r) % 1000000) / 1000000.0;
		hist[(int)(x * x * 10)]++;
	}
	printf("float sum %08x hist", fbits(fs));
	for (int i = 0; i < 10; i++)
		printf(" %d", hist[i]);
	putchar('\n');
	printf("checksum %016llx\n", (unsigned long long)h);
	return 0;
}
