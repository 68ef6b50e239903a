// memcpy and friends. GCC emits calls to memcpy/memset/memmove/memcmp even in
// freestanding code (structure copies, zero-initialisation), so these must
// exist with their C names. Doubleword loops (memcpy's whatever the
// source's alignment) around byte loops; the compiler must not turn them
// back into calls to themselves.
#include "kernel/string.h"

#pragma GCC optimize("no-tree-loop-distribute-patterns")

extern "C" {

void* memcpy(void* d, const void* s, size_t n) {
  u8* dp = static_cast<u8*>(d);
  const u8* sp = static_cast<const u8*>(s);
  if (n >= 16) {
    while (uval(dp) & 7) *dp++ = *sp++, --n;
    const unsigned k = unsigned(uval(sp) & 7);
    if (k == 0) {
      for (; n >= 8; n -= 8, dp += 8, sp += 8) *reinterpret_cast<u64*>(dp) = *reinterpret_cast<const u64*>(sp);
    } else {
      // The source k bytes past a doubleword boundary (a file of the
      // initial image is only 4-byte aligned in its archive): aligned
      // doubleword loads, each stored doubleword made of the end of one
      // and the start of the next (big-endian: earlier bytes are the high
      // ones). A load never reaches past the doubleword holding the last
      // byte copied, so it cannot cross into another page.
      const unsigned left = 8 * k, right = 64 - left;
      const u64* a = reinterpret_cast<const u64*>(sp - k);
      u64 w = *a++;
      for (; n >= 8; n -= 8, dp += 8, sp += 8) {
        const u64 x = *a++;
        *reinterpret_cast<u64*>(dp) = (w << left) | (x >> right);
        w = x;
      }
    }
  }
  while (n--) *dp++ = *sp++;
  return d;
}

void* memmove(void* d, const void* s, size_t n) {
  u8* dp = static_cast<u8*>(d);
  const u8* sp = static_cast<const u8*>(s);
  if (dp <= sp || dp >= sp + n) return memcpy(d, s, n);
  dp += n;
  sp += n;
  while (n--) *--dp = *--sp;
  return d;
}

// The data cache line size once boot has read it (0 before): memset(0) of
// whole lines uses dcbz, which claims each line without reading it from
// memory, as a real kernel's page clearing does.
u64 g_zero_line_bytes;

void* memset(void* d, int c, size_t n) {
  u8* dp = static_cast<u8*>(d);
  const u64 line = g_zero_line_bytes;
  if (c == 0 && line && n >= 2 * line) {
    while (uval(dp) & (line - 1)) *dp++ = 0, --n;
    for (; n >= line; n -= line, dp += line) asm volatile("dcbz 0,%0" ::"r"(dp) : "memory");
    while (n--) *dp++ = 0;
    return d;
  }
  u64 v = u8(c);
  v |= v << 8;
  v |= v << 16;
  v |= v << 32;
  while (n && (uval(dp) & 7)) *dp++ = u8(c), --n;
  for (; n >= 8; n -= 8, dp += 8) *reinterpret_cast<u64*>(dp) = v;
  while (n--) *dp++ = u8(c);
  return d;
}

int memcmp(const void* a, const void* b, size_t n) {
  const u8* x = static_cast<const u8*>(a);
  const u8* y = static_cast<const u8*>(b);
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

size_t strlen(const char* s) {
  const char* p = s;
  while (*p) ++p;
  return size_t(p - s);
}

int strcmp(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return int(u8(*a)) - int(u8(*b));
}

int strncmp(const char* a, const char* b, size_t n) {
  for (; n; --n, ++a, ++b) {
    if (*a != *b) return int(u8(*a)) - int(u8(*b));
    if (!*a) return 0;
  }
  return 0;
}

char* strchr(const char* s, int c) {
  for (;; ++s) {
    if (*s == char(c)) return const_cast<char*>(s);
    if (!*s) return nullptr;
  }
}

}  // extern "C"
