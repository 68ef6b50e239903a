// The few C string functions the kernel (and the compiler) needs.
#pragma once

#include "kernel/types.h"

extern "C" {
void* memcpy(void* d, const void* s, size_t n);
void* memmove(void* d, const void* s, size_t n);
void* memset(void* d, int c, size_t n);
// Set by boot from the boot-information block: memset(p, 0, n) zeroes whole
// data cache lines with dcbz (0: never).
extern u64 g_zero_line_bytes;
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strchr(const char* s, int c);
}
