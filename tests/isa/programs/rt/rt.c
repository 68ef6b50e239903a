/*
 * rt.c — start-up, system calls, formatted output, mem/str functions and a
 * brk heap for the freestanding ISA corpus programs. See rt.h.
 *
 * Compiled with -fno-tree-loop-distribute-patterns so that GCC does not turn
 * the loops of memset/memcpy below into calls to themselves.
 */
#include "rt.h"

char **rt_envp;
uint64_t *rt_auxv;
int rt_failures;

/* ------------------------------------------------------------------ */
/* System calls: r0 = number, r3.. = arguments; on return r3 = result, */
/* and CR0.SO set means r3 holds a positive errno (we return -errno).  */

long rt_syscall3(long nr, long a, long b, long c)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	__asm__ volatile("sc\n\t"
	                 "bns+ 1f\n\t"
	                 "neg %1,%1\n"
	                 "1:"
	                 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
	                 :
	                 : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer",
	                   "memory");
	return r3;
}

long rt_syscall1(long nr, long a)
{
	return rt_syscall3(nr, a, 0, 0);
}

long rt_write(int fd, const void *buf, size_t len)
{
	return rt_syscall3(RT_SYS_WRITE, fd, (long)buf, (long)len);
}

void *rt_brk(void *addr)
{
	return (void *)rt_syscall1(RT_SYS_BRK, (long)addr);
}

/* ------------------------------------------------------------------ */
/* Buffered stdout. */

static char obuf[4096];
static size_t olen;

void rt_flush(void)
{
	size_t done = 0;
	while (done < olen) {
		long n = rt_write(1, obuf + done, olen - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	olen = 0;
}

int putchar(int c)
{
	if (olen == sizeof obuf)
		rt_flush();
	obuf[olen++] = (char)c;
	return (unsigned char)c;
}

int puts(const char *s)
{
	while (*s)
		putchar(*s++);
	putchar('\n');
	return 0;
}

void rt_print_hex(const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)data;
	for (size_t i = 0; i < len; i++) {
		putchar(digits[p[i] >> 4]);
		putchar(digits[p[i] & 15]);
	}
}

/* ------------------------------------------------------------------ */
/* exit, with C++ static destructors registered through __cxa_atexit.  */

struct atexit_entry {
	void (*fn)(void *);
	void *arg;
};
static struct atexit_entry atexit_table[32];
static int atexit_count;
void *__dso_handle = &__dso_handle;

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	(void)dso;
	if (atexit_count == (int)(sizeof atexit_table / sizeof atexit_table[0]))
		return -1;
	atexit_table[atexit_count].fn = fn;
	atexit_table[atexit_count].arg = arg;
	atexit_count++;
	return 0;
}

void exit(int code)
{
	while (atexit_count > 0) {
		atexit_count--;
		atexit_table[atexit_count].fn(atexit_table[atexit_count].arg);
	}
	rt_flush();
	for (;;)
		rt_syscall1(RT_SYS_EXIT_GROUP, code);
}

/* ------------------------------------------------------------------ */
/* Start-up: called by _start (crt0.S) with the initial stack pointer.  */

extern void (*__init_array_start[])(void) __attribute__((weak));
extern void (*__init_array_end[])(void) __attribute__((weak));
extern int main(int argc, char **argv);

__attribute__((noreturn, used)) void __rt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **e = envp;
	while (*e)
		e++;
	rt_envp = envp;
	rt_auxv = (uint64_t *)(e + 1);
	size_t n = (size_t)(__init_array_end - __init_array_start);
	for (size_t i = 0; i < n; i++)
		__init_array_start[i]();
	exit(main(argc, argv));
}

/* ------------------------------------------------------------------ */
/* The formatter: %[flags][width][.prec][length]conv                    */
/* flags - 0 + space #; width/prec may be *; length hh h l ll z j t;     */
/* conversions d i u x X o c s p %.                                      */

struct out {
	char *buf; /* NULL: to stdout */
	size_t cap;
	size_t len;
	size_t total;
};

static void out_c(struct out *o, char c)
{
	if (!o->buf)
		putchar(c);
	else if (o->len + 1 < o->cap)
		o->buf[o->len++] = c;
	o->total++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_c(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

static void out_num(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width,
                    int prec, int flags)
{
	char digits[24];
	int nd = 0;
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	while (v) {
		digits[nd++] = set[v % base];
		v /= base;
	}
	if (prec < 0)
		prec = 1;
	int zeros = prec > nd ? prec - nd : 0;
	char sign = neg ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
	const char *prefix = "";
	if ((flags & F_ALT) && base == 16 && nd)
		prefix = upper ? "0X" : "0x";
	if ((flags & F_ALT) && base == 8 && zeros == 0)
		zeros = 1;
	int plen = (int)strlen(prefix);
	int body = nd + zeros + (sign ? 1 : 0) + plen;
	int pad = width > body ? width - body : 0;
	if (!(flags & F_LEFT) && !(flags & F_ZERO))
		out_pad(o, ' ', pad);
	if (sign)
		out_c(o, sign);
	for (int i = 0; i < plen; i++)
		out_c(o, prefix[i]);
	if (!(flags & F_LEFT) && (flags & F_ZERO))
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros);
	while (nd)
		out_c(o, digits[--nd]);
	if (flags & F_LEFT)
		out_pad(o, ' ', pad);
}

static int format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		int flags = 0;
		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		int width = 0;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		int prec = -1;
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		int len = 0; /* -2 hh, -1 h, 0 int, 1 long/ll/z/j/t */
		for (;; fmt++) {
			if (*fmt == 'h')
				len--;
			else if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
				len = 1;
			else
				break;
		}
		if (prec >= 0)
			flags &= ~F_ZERO;
		char c = *fmt;
		switch (c) {
		case 'd':
		case 'i': {
			int64_t v;
			if (len >= 1)
				v = va_arg(ap, long);
			else if (len == 0)
				v = va_arg(ap, int);
			else if (len == -1)
				v = (short)va_arg(ap, int);
			else
				v = (signed char)va_arg(ap, int);
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			out_num(o, mag, v < 0, 10, 0, width, prec, flags);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v;
			if (len >= 1)
				v = va_arg(ap, unsigned long);
			else if (len == 0)
				v = va_arg(ap, unsigned int);
			else if (len == -1)
				v = (unsigned short)va_arg(ap, unsigned int);
			else
				v = (unsigned char)va_arg(ap, unsigned int);
			unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
			out_num(o, v, 0, base, c == 'X', width, prec, flags & ~(F_PLUS | F_SPACE));
			break;
		}
		case 'p':
			out_num(o, (uint64_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, width, prec,
			        F_ALT | (flags & F_LEFT));
			break;
		case 'c': {
			if (!(flags & F_LEFT))
				out_pad(o, ' ', width - 1);
			out_c(o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				out_pad(o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = 0;
			while (s[n] && (prec < 0 || n < prec))
				n++;
			if (!(flags & F_LEFT))
				out_pad(o, ' ', width - n);
			for (int i = 0; i < n; i++)
				out_c(o, s[i]);
			if (flags & F_LEFT)
				out_pad(o, ' ', width - n);
			break;
		}
		case '%':
			out_c(o, '%');
			break;
		case 0:
			fmt--; /* a lone '%' at the end */
			break;
		default: /* unknown conversion: print it verbatim */
			out_c(o, '%');
			out_c(o, c);
			break;
		}
	}
	return (int)o->total;
}

int vprintf(const char *fmt, va_list ap)
{
	struct out o = {0, 0, 0, 0};
	return format(&o, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char dummy;
	struct out o = {size ? buf : &dummy, size, 0, 0};
	int n = format(&o, fmt, ap);
	if (size)
		buf[o.len] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------ */
/* Memory and strings. Word-at-a-time where alignment allows.          */

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = (unsigned char *)dst;
	const unsigned char *s = (const unsigned char *)src;
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		while (n >= 8) {
			*(uint64_t *)d = *(const uint64_t *)s;
			d += 8;
			s += 8;
			n -= 8;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = (unsigned char *)dst;
	const unsigned char *s = (const unsigned char *)src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = (unsigned char *)dst;
	uint64_t pat = (unsigned char)c;
	pat |= pat << 8;
	pat |= pat << 16;
	pat |= pat << 32;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	while (n >= 8) {
		*(uint64_t *)d = pat;
		d += 8;
		n -= 8;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	for (size_t i = 0; i < n; i++)
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

long rt_atol(const char *s)
{
	int neg = 0;
	unsigned long v = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long)(*s++ - '0');
	return neg ? -(long)v : (long)v;
}

/* ------------------------------------------------------------------ */
/* Heap: blocks carved from the program break; a 16-byte header keeps  */
/* the size so that freeing the most recent block gives it back.       */

static uintptr_t heap_cur, heap_end;

void *malloc(size_t n)
{
	if (!heap_cur) {
		heap_cur = heap_end = (uintptr_t)rt_brk(0);
		heap_cur = (heap_cur + 15) & ~(uintptr_t)15;
	}
	size_t need = ((n + 15) & ~(size_t)15) + 16;
	if (heap_cur + need > heap_end) {
		uintptr_t want = (heap_cur + need + 0xFFFF) & ~(uintptr_t)0xFFFF;
		uintptr_t got = (uintptr_t)rt_brk((void *)want);
		if (got < want)
			return 0;
		heap_end = got;
	}
	uint64_t *hdr = (uint64_t *)heap_cur;
	hdr[0] = need;
	hdr[1] = 0x6865617062726b21ULL; /* "heapbrk!" */
	heap_cur += need;
	return hdr + 2;
}

void *calloc(size_t n, size_t size)
{
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void free(void *p)
{
	if (!p)
		return;
	uint64_t *hdr = (uint64_t *)p - 2;
	if ((uintptr_t)hdr + hdr[0] == heap_cur)
		heap_cur = (uintptr_t)hdr;
}
