/* printf_double.c — floating point through glibc: printf's %f %e %g %a,
 * strtod, and libm results (they must be bit-identical to qemu-ppc64's). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	const double values[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456.789, 1e-300, 1e300,
				 DBL_MAX, DBL_MIN, 5e-324, 0.5, 2.5, -2.5, 1e15 + 0.3, M_PI, M_E};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		double v = values[i];
		printf("%f|%.0f|%.10f|%e|%.3E|%g|%G|%.17g|%a\n", v, v, v, v, v, v, v, v, v);
		printf("%12.4f|%-12.2e|%+g|% .3g|%#.0f\n", v, v, v, v, v);
	}
	printf("%f %f %f\n", INFINITY, -INFINITY, NAN);
	float f = 1.1f;
	printf("float %f %.9g\n", f, (double)f);
	const char *texts[] = {"3.14159", "-1e10", "0x1.8p3", "1e-400", "inf", "nan", "12abc", "  42.5"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *end;
		double d = strtod(texts[i], &end);
		printf("strtod(\"%s\") = %.17g, rest \"%s\"\n", texts[i], d, end);
	}
	double x = 0.7;
	printf("sqrt %.17g\n", sqrt(x));
	printf("floor %.17g ceil %.17g trunc %.17g round %.17g\n", floor(-x), ceil(-x), trunc(-2.5), round(-2.5));
	printf("fabs %.17g fmod %.17g\n", fabs(-x), fmod(10.0, 3.3));
	printf("exp %.17g log %.17g pow %.17g\n", exp(x), log(x), pow(x, 3.5));
	printf("sin %.17g cos %.17g atan2 %.17g\n", sin(x), cos(x), atan2(x, -1.0));
	double sum = 0;
	for (int k = 1; k <= 1000; k++) sum += 1.0 / ((double)k * k);
	printf("sum 1/k^2 %.17g\n", sum);
	long long big = (long long)(x * 1e18);
	printf("conversion %lld %d %u\n", big, (int)-3.99, (unsigned)3.99);
	return 0;
}
