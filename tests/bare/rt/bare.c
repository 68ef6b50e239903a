#include "bare.h"

#include <stdarg.h>

void puts_(const char* s) {
  while (*s) putc_(*s++);
}

void putu(u64 v) {
  char b[24];
  int i = 23;
  b[i] = 0;
  do b[--i] = (char)('0' + v % 10); while (v /= 10);
  puts_(b + i);
}

void puthex(u64 v) {
  char b[24];
  int i = 23;
  b[i] = 0;
  do b[--i] = "0123456789abcdef"[v & 15]; while (v >>= 4);
  puts_(b + i);
}

void printf_(const char* f, ...) {
  va_list ap;
  va_start(ap, f);
  for (; *f; ++f) {
    if (*f != '%') {
      putc_(*f);
      continue;
    }
    ++f;
    while (*f == 'l') ++f;
    switch (*f) {
      case 'd': {
        long v = va_arg(ap, long);
        if (v < 0) putc_('-'), v = -v;
        putu((u64)v);
        break;
      }
      case 'u': putu(va_arg(ap, u64)); break;
      case 'x': puthex(va_arg(ap, u64)); break;
      case 's': puts_(va_arg(ap, const char*)); break;
      case 'c': putc_((char)va_arg(ap, int)); break;
      default: putc_(*f);
    }
  }
  va_end(ap);
}

u64 bare_arg(const struct bootinfo* bi, const char* key, u64 fallback) {
  const char* p = (const char*)bi->args;
  while (*p) {
    const char* k = key;
    while (*k && *p == *k) ++p, ++k;
    if (!*k && *p == '=') {
      u64 v = 0;
      for (++p; *p >= '0' && *p <= '9'; ++p) v = v * 10 + (u64)(*p - '0');
      return v;
    }
    while (*p) ++p;
    ++p;
  }
  return fallback;
}

static volatile u64 barrier_count, barrier_sense;

void barrier(u64 ncpus) {
  u64 sense = barrier_sense;
  if (atomic_add(&barrier_count, 1) == ncpus - 1) {
    barrier_count = 0;
    sync_();
    barrier_sense = !sense;
  } else {
    while (barrier_sense == sense) {
    }
  }
}

// The boot protocol enters here on every CPU with r1 = boot stack,
// r2 = TOC, r3 = CPU number, r4 = number of CPUs, r5 = boot information.
void _start(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  bare_main(cpu, ncpus, bi);
  for (;;) {
  }
}

__attribute__((weak)) void bare_external_interrupt(u64 cpu) { (void)cpu; }

__attribute__((weak)) void bare_interrupt(u64 cpu, u64 vector, struct frame* f) {
  (void)f;
  if (vector == 0x500) bare_external_interrupt(cpu);
  else if (vector != 0x900 && vector != 0xc00) {
    printf_("unexpected interrupt %x on cpu %lu at %x\n", vector, cpu, f->srr0);
    power_off(99);
  }
}
