// Boot arguments: the argument area of the boot-information block holds
// "KEY=VALUE\0KEY=VALUE\0\0". The area stays where the host put it (the top
// of RAM, never handed to the page allocator), so values are returned in
// place.
#include "kernel/bootargs.h"

#include "kernel/string.h"

namespace bootargs {
namespace {
const char* g_area = nullptr;
uval g_size = 0;

// Returns the length of the key in "KEY=VALUE", or 0 if there is no '='.
uval key_len(const char* s) {
  for (uval i = 0; s[i]; ++i)
    if (s[i] == '=') return i;
  return 0;
}
}  // namespace

void init(uval area, uval size) {
  g_area = reinterpret_cast<const char*>(area);
  g_size = size;
}

const char* get(const char* k) {
  if (!g_area) return nullptr;
  uval n = strlen(k);
  const char* found = nullptr;
  for (uval off = 0; off < g_size && g_area[off];) {
    const char* s = g_area + off;
    if (key_len(s) == n && strncmp(s, k, n) == 0) found = s + n + 1;  // the last one wins
    off += strlen(s) + 1;
  }
  return found;
}

u64 get_u64(const char* k, u64 def) { return parse_u64(get(k), def); }

u64 parse_u64(const char* v, u64 def) {
  if (!v || !*v) return def;
  u64 r = 0;
  if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    v += 2;
    for (; *v; ++v) {
      unsigned d;
      if (*v >= '0' && *v <= '9') d = *v - '0';
      else if (*v >= 'a' && *v <= 'f') d = *v - 'a' + 10;
      else if (*v >= 'A' && *v <= 'F') d = *v - 'A' + 10;
      else return def;
      r = r * 16 + d;
    }
    return r;
  }
  for (; *v; ++v) {
    if (*v < '0' || *v > '9') return def;
    r = r * 10 + u64(*v - '0');
  }
  return r;
}

bool get_bool(const char* k, bool def) {
  const char* v = get(k);
  if (!v) return def;
  return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || strcmp(v, "off") == 0);
}

}  // namespace bootargs
