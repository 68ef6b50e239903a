// kvsnprintf: the kernel's formatter (console.h lists the conversions).
#include <stdarg.h>

#include "kernel/console.h"

namespace {

struct Out {
  char* buf;
  uval size;
  uval len = 0;
  void put(char c) {
    if (len + 1 < size) buf[len] = c;
    ++len;
  }
};

void put_number(Out& o, u64 v, unsigned base, bool upper, bool negative, int width, bool zero, bool left) {
  char tmp[24];
  int n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  int len = n + (negative ? 1 : 0);
  if (!left && !zero)
    for (; width > len; --width) o.put(' ');
  if (negative) o.put('-');
  if (!left && zero)
    for (; width > len; --width) o.put('0');
  while (n) o.put(tmp[--n]);
  if (left)
    for (; width > len; --width) o.put(' ');
}

}  // namespace

int kvsnprintf(char* buf, uval size, const char* f, va_list ap) {
  Out o{buf, size};
  for (; *f; ++f) {
    if (*f != '%') {
      o.put(*f);
      continue;
    }
    ++f;
    bool left = false, zero = false;
    for (;; ++f) {
      if (*f == '-') left = true;
      else if (*f == '0') zero = true;
      else break;
    }
    int width = 0;
    while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    int longs = 0;
    while (*f == 'l' || *f == 'z') ++longs, ++f;
    switch (*f) {
      case 'd':
      case 'i': {
        s64 v = longs ? va_arg(ap, s64) : va_arg(ap, int);
        put_number(o, v < 0 ? u64(-v) : u64(v), 10, false, v < 0, width, zero, left);
        break;
      }
      case 'u': put_number(o, longs ? va_arg(ap, u64) : va_arg(ap, unsigned), 10, false, false, width, zero, left); break;
      case 'x':
      case 'X':
        put_number(o, longs ? va_arg(ap, u64) : va_arg(ap, unsigned), 16, *f == 'X', false, width, zero, left);
        break;
      case 'p':
        o.put('0');
        o.put('x');
        put_number(o, uval(va_arg(ap, void*)), 16, false, false, width, zero, left);
        break;
      case 's': {
        const char* s = va_arg(ap, const char*);
        if (!s) s = "(null)";
        int len = 0;
        while (s[len]) ++len;
        if (!left)
          for (int w = width; w > len; --w) o.put(' ');
        for (int i = 0; i < len; ++i) o.put(s[i]);
        if (left)
          for (int w = width; w > len; --w) o.put(' ');
        break;
      }
      case 'c': o.put(char(va_arg(ap, int))); break;
      case '%': o.put('%'); break;
      case 0: --f; break;
      default:
        o.put('%');
        o.put(*f);
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = 0;
  return int(o.len);
}

int ksnprintf(char* buf, uval size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = kvsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
