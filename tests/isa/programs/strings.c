/*
 * strings.c — byte and string work: struct copies and clears (GCC inlines
 * them or calls our memcpy/memset), unaligned and packed accesses, the
 * compiler's inline expansions of constant-size memcmp/strcmp, and classic
 * string algorithms: reverse, search (naive and KMP), edit distance, longest
 * common subsequence, run-length and base64 coding, number formatting and
 * parsing, case mapping, anagrams and hashing.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

struct record {
	char name[13];
	uint8_t flags;
	uint16_t port;
	int32_t score;
	uint64_t id;
	char note[27];
};

struct __attribute__((packed)) packed {
	uint8_t tag;
	uint32_t word;  /* at offset 1 */
	uint16_t half;  /* at offset 5 */
	uint64_t dword; /* at offset 7 */
};

static NOINLINE void fill_record(struct record *r, int i)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "rec-%03d", i);
	r->flags = (uint8_t)(i * 37);
	r->port = (uint16_t)(8000 + i * 13);
	r->score = (i & 1) ? -i * 1000 : i * 777;
	r->id = 0x1000000000ULL * (uint64_t)i + (uint64_t)i;
	snprintf(r->note, sizeof r->note, "note %d of the records", i);
}

static NOINLINE uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = (const unsigned char *)p;
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static NOINLINE void reverse(char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n / 2; i++) {
		char t = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = t;
	}
}

static NOINLINE int is_palindrome(const char *s)
{
	size_t i = 0, j = strlen(s);
	while (i < j) {
		while (i < j && !((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
			i++;
		while (i < j && !((s[j - 1] | 32) >= 'a' && (s[j - 1] | 32) <= 'z'))
			j--;
		if (i < j && (s[i] | 32) != (s[j - 1] | 32))
			return 0;
		i++;
		j--;
	}
	return 1;
}

static NOINLINE int naive_find(const char *hay, const char *needle, int from)
{
	int n = (int)strlen(hay), m = (int)strlen(needle);
	for (int i = from; i + m <= n; i++) {
		int j = 0;
		while (j < m && hay[i + j] == needle[j])
			j++;
		if (j == m)
			return i;
	}
	return -1;
}

static NOINLINE int kmp_count(const char *hay, const char *needle)
{
	int m = (int)strlen(needle);
	int fail[64];
	fail[0] = 0;
	for (int i = 1, k = 0; i < m; i++) {
		while (k > 0 && needle[i] != needle[k])
			k = fail[k - 1];
		if (needle[i] == needle[k])
			k++;
		fail[i] = k;
	}
	int count = 0;
	for (int i = 0, k = 0; hay[i]; i++) {
		while (k > 0 && hay[i] != needle[k])
			k = fail[k - 1];
		if (hay[i] == needle[k])
			k++;
		if (k == m) {
			count++;
			k = fail[k - 1];
		}
	}
	return count;
}

static NOINLINE int edit_distance(const char *a, const char *b)
{
	int n = (int)strlen(a), m = (int)strlen(b);
	int row[64];
	for (int j = 0; j <= m; j++)
		row[j] = j;
	for (int i = 1; i <= n; i++) {
		int diag = row[0];
		row[0] = i;
		for (int j = 1; j <= m; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

static NOINLINE int lcs(const char *a, const char *b, char *out)
{
	static unsigned char t[65][65];
	int n = (int)strlen(a), m = (int)strlen(b);
	for (int i = n; i >= 0; i--)
		for (int j = m; j >= 0; j--) {
			if (i == n || j == m)
				t[i][j] = 0;
			else if (a[i] == b[j])
				t[i][j] = (unsigned char)(1 + t[i + 1][j + 1]);
			else
				t[i][j] = t[i + 1][j] > t[i][j + 1] ? t[i + 1][j] : t[i][j + 1];
		}
	int i = 0, j = 0, k = 0;
	while (i < n && j < m) {
		if (a[i] == b[j]) {
			out[k++] = a[i];
			i++;
			j++;
		} else if (t[i + 1][j] >= t[i][j + 1])
			i++;
		else
			j++;
	}
	out[k] = 0;
	return t[0][0];
}

static NOINLINE size_t rle_encode(const char *in, char *out)
{
	size_t o = 0;
	while (*in) {
		char c = *in;
		int run = 0;
		while (*in == c && run < 9) {
			in++;
			run++;
		}
		out[o++] = (char)('0' + run);
		out[o++] = c;
	}
	out[o] = 0;
	return o;
}

static NOINLINE size_t rle_decode(const char *in, char *out)
{
	size_t o = 0;
	for (; in[0] && in[1]; in += 2)
		for (int r = in[0] - '0'; r > 0; r--)
			out[o++] = in[1];
	out[o] = 0;
	return o;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static NOINLINE size_t base64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = 0;
	return o;
}

static NOINLINE size_t base64_decode(const char *in, unsigned char *out)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (; *in && *in != '='; in++) {
		const char *p = strchr(b64, *in);
		if (!p)
			continue;
		acc = acc << 6 | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return o;
}

static NOINLINE void to_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

static NOINLINE int is_anagram(const char *a, const char *b)
{
	int count[256];
	memset(count, 0, sizeof count);
	for (; *a; a++)
		if (*a != ' ')
			count[(unsigned char)*a]++;
	for (; *b; b++)
		if (*b != ' ')
			count[(unsigned char)*b]--;
	for (int i = 0; i < 256; i++)
		if (count[i])
			return 0;
	return 1;
}

static NOINLINE int utoa_base(uint64_t v, unsigned base, char *out)
{
	char tmp[65];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
	return n;
}

static NOINLINE uint64_t parse_base(const char *s, unsigned base)
{
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d = (*s >= '0' && *s <= '9') ? (unsigned)(*s - '0') : (unsigned)((*s | 32) - 'a' + 10);
		v = v * base + d;
	}
	return v;
}

/* Unaligned accesses: packed struct fields and copies at every offset. */
static NOINLINE uint64_t packed_work(struct packed *p, int n)
{
	uint64_t h = 0;
	for (int i = 0; i < n; i++) {
		p[i].tag = (uint8_t)i;
		p[i].word = 0x01020304u * (uint32_t)(i + 1);
		p[i].half = (uint16_t)(0xbeef + i);
		p[i].dword = 0x1122334455667788ULL ^ (uint64_t)i << 40;
	}
	for (int i = 0; i < n; i++)
		h = rt_mix(h, p[i].tag ^ p[i].word ^ p[i].half ^ p[i].dword);
	return h;
}

static NOINLINE uint64_t unaligned_copies(void)
{
	static unsigned char src[160], dst[160];
	uint64_t h = 0;
	for (int i = 0; i < 160; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (int so = 0; so < 8; so++)
		for (int d = 0; d < 8; d++)
			for (int len = 0; len < 40; len += 3) {
				memset(dst, 0xa5, sizeof dst);
				memcpy(dst + d, src + so, (size_t)len);
				memmove(dst + d + 1, dst + d, (size_t)len); /* overlapping, forward */
				memmove(dst + d, dst + d + 2, (size_t)len); /* overlapping, backward */
				h = rt_mix(h, hash_bytes(dst, 64));
			}
	return h;
}

/* Constant-size comparisons the compiler may expand inline. */
static NOINLINE int const_compares(const char *a, const char *b)
{
	int r = 0;
	r = r * 3 + (__builtin_memcmp(a, b, 8) > 0) - (__builtin_memcmp(a, b, 8) < 0);
	r = r * 3 + (__builtin_memcmp(a, b, 16) > 0) - (__builtin_memcmp(a, b, 16) < 0);
	r = r * 3 + (__builtin_memcmp(a, b, 5) == 0);
	r = r * 3 + (__builtin_strncmp(a, b, 12) > 0) - (__builtin_strncmp(a, b, 12) < 0);
	r = r * 3 + (__builtin_strcmp(a, "alignment-test!") == 0);
	return r;
}

int main(int argc, char **argv)
{
	uint64_t h = 0;

	/* struct copies */
	struct record recs[10], copy[10];
	for (int i = 0; i < 10; i++)
		fill_record(&recs[i], i);
	for (int i = 0; i < 10; i++)
		copy[i] = recs[9 - i];
	struct record tmp = copy[3];
	copy[3] = copy[4];
	copy[4] = tmp;
	for (int i = 0; i < 10; i++) /* field by field: padding bytes are not copied */
		h = rt_mix(h, hash_bytes(copy[i].name, sizeof copy[i].name) ^ copy[i].flags ^
		                  copy[i].port ^ (uint64_t)copy[i].score ^ copy[i].id ^
		                  hash_bytes(copy[i].note, sizeof copy[i].note));
	printf("records: size %d, hash %016lx, %s/%s/%d/%u\n", (int)sizeof(struct record),
	       (unsigned long)h, copy[4].name, copy[4].note, copy[4].score, copy[4].port);
	struct packed pk[9];
	printf("packed: size %d, hash %016lx\n", (int)sizeof(struct packed),
	       (unsigned long)packed_work(pk, 9));
	printf("unaligned copies: %016lx\n", (unsigned long)unaligned_copies());

	char s[128];
	strcpy(s, "A man, a plan, a canal: Panama");
	printf("palindrome: %d", is_palindrome(s));
	reverse(s);
	printf(" reversed: \"%s\" %d", s, is_palindrome(s));
	s[5] = 'x';
	printf(" broken: %d\n", is_palindrome(s));

	static const char text[] =
		"it was the best of times, it was the worst of times, it was the age of wisdom, "
		"it was the age of foolishness, it was the epoch of belief, it was the epoch of "
		"incredulity, it was the season of light, it was the season of darkness";
	printf("search: 'age' at %d, next at %d; 'epoch' %d; 'xyz' %d; 'it was' x%d; 'of' x%d\n",
	       naive_find(text, "age", 0), naive_find(text, "age", naive_find(text, "age", 0) + 1),
	       naive_find(text, "epoch", 0), naive_find(text, "xyz", 0), kmp_count(text, "it was"),
	       kmp_count(text, "of"));
	printf("kmp overlapping: %d %d\n", kmp_count("aaaaaaaaaa", "aaa"), kmp_count("abababab", "abab"));

	static const char *pairs[][2] = {{"kitten", "sitting"}, {"flaw", "lawn"},
	                                 {"intention", "execution"}, {"", "abc"},
	                                 {"powerpc", "power"}, {"dynamic update", "dynamic upgrade"}};
	for (unsigned i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char common[64];
		int l = lcs(pairs[i][0], pairs[i][1], common);
		printf("  '%s' vs '%s': edit %d, lcs %d '%s'\n", pairs[i][0], pairs[i][1],
		       edit_distance(pairs[i][0], pairs[i][1]), l, common);
	}

	char enc[256], dec[256];
	const char *rl = "aaaabbbcccccccccccccdeffffffffffffffffffffffg";
	rle_encode(rl, enc);
	rle_decode(enc, dec);
	printf("rle: %s roundtrip=%d\n", enc, strcmp(rl, dec) == 0);

	for (int n = 0; n <= 6; n++) {
		const char *msg = "dusim!";
		unsigned char back[16];
		base64_encode((const unsigned char *)msg, (size_t)n, enc);
		size_t m = base64_decode(enc, back);
		printf("  base64(%.*s) = %s back=%d\n", n, msg, enc,
		       m == (size_t)n && memcmp(back, msg, (size_t)n) == 0);
	}
	unsigned char bin[100];
	for (int i = 0; i < 100; i++)
		bin[i] = (unsigned char)(i * i + 11);
	size_t el = base64_encode(bin, 100, enc);
	printf("base64 of 100 bytes: %d chars, hash %016lx\n", (int)el,
	       (unsigned long)hash_bytes(enc, el));

	strcpy(s, "Mixed Case, with 123 digits!");
	to_upper(s);
	printf("upper: %s\n", s);
	printf("anagrams: %d %d\n", is_anagram("dormitory", "dirty room"),
	       is_anagram("power pc", "pc powers"));

	static const uint64_t nums[] = {0, 1, 255, 65535, 1000000007, 0xdeadbeefcafebabeULL, ~0ULL};
	for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		char b2[70], b10[30], b36[20];
		utoa_base(nums[i], 2, b2);
		utoa_base(nums[i], 10, b10);
		utoa_base(nums[i], 36, b36);
		int ok = parse_base(b2, 2) == nums[i] && parse_base(b10, 10) == nums[i] &&
		         parse_base(b36, 36) == nums[i];
		printf("  %s = 0b%s = %s(36) ok=%d\n", b10, b2, b36, ok);
	}
	printf("printf: [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%#X] [%o] [%#o] [%c] [%.3s] [%8.3s] [%%]\n",
	       42, 42, -42, 7, 7, 0xbeefu, 0xbeefu, 8u, 8u, 'z', "abcdef", "abcdef");
	printf("printf: [%ld] [%lu] [%hd] [%hhu] [%zu] [%.5d] [%-8.3x] [%*d] [%-*d]\n",
	       (long)INT64_MIN, (unsigned long)UINT64_MAX, (short)-1234, (unsigned char)300,
	       (size_t)12345, 42, 255u, 6, -3, 4, 9);

	char ca[32], cb[32];
	strcpy(ca, "alignment-test!");
	strcpy(cb, "alignment-test?");
	int r1 = const_compares(ca, cb);
	int r2 = const_compares(cb, ca);
	int r3 = const_compares(ca + 0, ca);
	printf("const compares: %d %d %d\n", r1, r2, r3);
	return 0;
}
