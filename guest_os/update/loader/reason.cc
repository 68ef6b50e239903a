#include "reason.h"

namespace dusim::loader {

Reason& Reason::operator<<(const char* s) {
  while (s && *s) put(*s++);
  return *this;
}

Reason& Reason::operator<<(uint64_t v) {
  char d[24];
  int n = 0;
  do d[n++] = char('0' + v % 10); while (v /= 10);
  while (n) put(d[--n]);
  return *this;
}

Reason& Reason::operator<<(int64_t v) {
  if (v < 0) {
    put('-');
    return *this << (~uint64_t(v) + 1);
  }
  return *this << uint64_t(v);
}

Reason& Reason::operator<<(Hex h) {
  char d[16];
  int n = 0;
  do d[n++] = "0123456789abcdef"[h.v & 15]; while (h.v >>= 4);
  put('0'), put('x');
  while (n) put(d[--n]);
  return *this;
}

}  // namespace dusim::loader
