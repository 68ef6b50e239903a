/* strings.c — glibc's string and memory functions (their optimized ppc64
 * versions, chosen by the hardware capabilities) at many alignments and lengths. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
	return h;
}

int main(void)
{
	static char src[600], dst[700];
	for (int i = 0; i < 600; i++) src[i] = (char)('a' + (i * 7) % 26);
	uint32_t h = 0;
	for (int off_s = 0; off_s < 8; off_s++)
		for (int off_d = 0; off_d < 8; off_d++)
			for (int len = 0; len < 300; len += 17) {
				memset(dst, '#', sizeof dst);
				memcpy(dst + off_d, src + off_s, len);
				h = h * 3 + hash(dst, sizeof dst);
				memmove(dst + off_d + 3, dst + off_d, len);
				h = h * 3 + hash(dst, sizeof dst);
				h += (uint32_t)(memcmp(dst + off_d + 3, src + off_s, len) == 0);
			}
	printf("memcpy/memmove/memcmp hash %08x\n", h);
	memset(dst, 0, sizeof dst);
	memset(dst + 3, 'z', 250);
	printf("memset: strlen %zu, memchr at %td\n", strlen(dst + 3), (char *)memchr(dst, 'z', 700) - dst);

	char a[64] = "Hello", b[64];
	strcpy(b, a);
	strcat(b, ", world");
	const char *tail = "!!!???";
	strncat(b, tail, 3);
	printf("%s (%zu)\n", b, strlen(b));
	printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
	printf("strncmp %d strcasecmp %d\n", strncmp("abcdef", "abcxyz", 3), strcasecmp("HeLLo", "hello"));
	printf("strchr %s strrchr %s strstr %s\n", strchr(b, 'o'), strrchr(b, 'o'), strstr(b, "wor"));
	printf("strspn %zu strcspn %zu strpbrk %s\n", strspn("aabbcd", "ab"), strcspn("hello!", "!l"), strpbrk(b, ",!"));
	char tok[] = "alpha, beta;gamma  delta";
	for (char *t = strtok(tok, ", ;"); t; t = strtok(NULL, ", ;")) printf("token [%s]\n", t);
	char *d = strdup(b);
	for (char *p = d; *p; p++) *p = (char)toupper((unsigned char)*p);
	printf("upper %s\n", d);
	free(d);
	char *nd = strndup("truncated text", 9);
	printf("strndup [%s] strnlen %zu\n", nd, strnlen("abcdef", 4));
	free(nd);
	long lens = 0;
	for (int start = 0; start < 16; start++) {
		char buf[80];
		memset(buf, 'x', sizeof buf);
		for (int len = 0; len < 60; len += 7) {
			buf[start + len] = 0;
			lens += (long)strlen(buf + start);
			buf[start + len] = 'x';
		}
	}
	printf("strlen sum over alignments %ld\n", lens);
	char num[32];
	for (long v = -123456789; v < 123456789; v += 41152263) {
		snprintf(num, sizeof num, "%ld", v);
		printf("%s -> strtol %ld atoi %d strtoul(hex) %lu\n", num, strtol(num, NULL, 10), atoi(num),
		       strtoul("ff", NULL, 16));
	}
	int x = 0, y = 0;
	char word[16];
	int got = sscanf("12 -7 word", "%d %d %15s", &x, &y, word);
	printf("sscanf %d: %d %d %s\n", got, x, y, word);
	return 0;
}
