/* printf_int.c — glibc's printf family on integers, characters, strings and
 * pointers given as numbers: widths, precisions, flags, lengths, return values. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	const long long values[] = {0, 1, -1, 7, -42, 255, 256, 65535, -65536, 1000000007, INT_MAX, INT_MIN,
				    LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		long long v = values[i];
		printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", (int)v, (int)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
		printf("[%lld] [%llu] [%llx] [%#llo] [%#llx]\n", v, (unsigned long long)v, (unsigned long long)v,
		       (unsigned long long)v, (unsigned long long)v);
		printf("[%8d] [%-8d] [%08d] [%+d] [% d] [%.5d] [%8.3d]\n", (int)v, (int)v, (int)v, (int)v, (int)v,
		       (int)v, (int)v);
		printf("[%hhd] [%hhu] [%hd] [%hu] [%zd] [%jd]\n", (signed char)v, (unsigned char)v, (short)v,
		       (unsigned short)v, (ssize_t)v, (intmax_t)v);
	}
	printf("[%c%c%c] [%5c] [%-5c]\n", 'a', 'B', '0', 'x', 'y');
	printf("[%s] [%10s] [%-10s] [%.3s] [%*s] [%-*.*s]\n", "str", "right", "left", "truncate", 6, "star", 7, 2,
	       "prec");
	printf("[%p] [%p]\n", (void *)0x1234, (void *)0);
	printf("[%" PRId32 "] [%" PRIu64 "] [%" PRIx16 "]\n", (int32_t)-5, (uint64_t)UINT64_MAX, (uint16_t)0xbeef);
	printf("[%%]\n");
	char buf[16];
	const char *long_text = "a fairly long string";
	int n = snprintf(buf, sizeof buf, "%s-%d", long_text, 12345);
	printf("snprintf returned %d, kept \"%s\"\n", n, buf);
	n = sprintf(buf, "%05x", 0xabc);
	printf("sprintf returned %d: %s\n", n, buf);
	int pos1 = 0, pos2 = 0;
	printf("count%n this%n\n", &pos1, &pos2);
	printf("%%n gave %d and %d\n", pos1, pos2);
	n = printf("%s\n", "the last line");
	printf("printf returned %d\n", n);
	fprintf(stdout, "%3$s %1$s %2$s\n", "b", "c", "a");
	return 0;
}
