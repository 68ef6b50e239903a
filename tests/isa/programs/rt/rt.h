/*
 * rt.h — the tiny freestanding runtime of the ISA corpus programs.
 *
 * No libc: raw `sc` system calls (write, exit_group, brk — the set that
 * `dusim run-elf` supports), a buffered printf-like formatter, the mem and
 * str functions GCC may call, a brk-based allocator, and a few helpers for
 * deterministic pseudo-random data and checksums. Integer only.
 */
#ifndef DUSIM_ISA_RT_H
#define DUSIM_ISA_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- system calls (Linux ppc64 numbers) ---- */
#define RT_SYS_EXIT 1
#define RT_SYS_WRITE 4
#define RT_SYS_BRK 45
#define RT_SYS_EXIT_GROUP 234

long rt_syscall1(long nr, long a);
long rt_syscall3(long nr, long a, long b, long c);
long rt_write(int fd, const void *buf, size_t len); /* raw, unbuffered */
void *rt_brk(void *addr);                            /* raw brk: returns the new break */
__attribute__((noreturn)) void exit(int code);      /* flushes stdout first */

/* ---- output (buffered stdout; flushed at exit and when full) ---- */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s); /* appends a newline */
int putchar(int c);
void rt_flush(void);
void rt_print_hex(const void *data, size_t len); /* lowercase hex, no newline */

/* ---- memory and strings (GCC may emit calls to the mem* ones itself) ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
long rt_atol(const char *s); /* optional sign, decimal digits */

/* ---- heap: bump allocator on brk; free only releases the last block ---- */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void free(void *p);

/* ---- environment captured at start ---- */
extern char **rt_envp;
extern uint64_t *rt_auxv;

/* ---- deterministic data and checksums ---- */
typedef struct { uint64_t s; } rt_rng;
static inline uint64_t rt_next(rt_rng *r) /* xorshift64* */
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}
static inline uint64_t rt_mix(uint64_t h, uint64_t v) /* order-sensitive 64-bit mix */
{
	h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	h *= 0xFF51AFD7ED558CCDULL;
	return h ^ (h >> 33);
}

/* Self-check bookkeeping: CHECK prints a line on failure and counts it. */
extern int rt_failures;
#define CHECK(cond)                                                             \
	do {                                                                        \
		if (!(cond)) {                                                          \
			rt_failures++;                                                      \
			printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
		}                                                                       \
	} while (0)

#ifdef __cplusplus
}
#endif
#endif
