// Console output through the UART. kprintf formats %d %i %u %x %X %p %s %c
// %% with optional '-', '0', width and the length modifiers l, ll, z (all
// integers are treated as 64-bit when a length modifier is given). Lines from
// different CPUs do not interleave (one spinlock, interrupts off).
#pragma once

#include <stdarg.h>

#include "kernel/types.h"

void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* fmt, va_list ap);
void console_write(const char* s, uval len);
// Unlocked output for panics (another CPU may hold the console lock).
void console_write_unlocked(const char* s, uval len);

int ksnprintf(char* buf, uval size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char* buf, uval size, const char* fmt, va_list ap);
