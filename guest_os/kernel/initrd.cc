// The initial image's reader (include/kernel/initrd.h): cpio newc, every
// field checked against the archive's end before it is used, so a damaged
// archive makes a lookup fail, never a read outside it.
#include "kernel/initrd.h"

#include "kernel/string.h"

namespace initrd {

namespace {

uval g_base;
u64 g_size;

constexpr u64 kHeader = 110;

bool hex8(const u8* p, u32* out) {
  u32 v = 0;
  for (int i = 0; i < 8; ++i) {
    u8 c = p[i];
    u32 d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99;
    if (d > 15) return false;
    v = v << 4 | d;
  }
  *out = v;
  return true;
}

// The entry at offset `off`: false at the trailer or on a malformed header.
bool entry_at(u64 off, File* f, u64* next) {
  const u8* a = reinterpret_cast<const u8*>(g_base);
  if (off > g_size || g_size - off < kHeader) return false;
  const u8* h = a + off;
  if (memcmp(h, "070701", 6) != 0) return false;
  u32 mode, filesize, namesize;
  if (!hex8(h + 14, &mode) || !hex8(h + 54, &filesize) || !hex8(h + 94, &namesize)) return false;
  if (namesize == 0 || namesize > 4096) return false;
  u64 name_off = off + kHeader;
  if (g_size - name_off < namesize) return false;
  const char* name = reinterpret_cast<const char*>(a + name_off);
  if (name[namesize - 1] != 0) return false;
  u64 data_off = round_up<u64>(name_off + namesize, 4);
  if (data_off > g_size || g_size - data_off < filesize) return false;
  if (strcmp(name, "TRAILER!!!") == 0) return false;
  *f = File{name, a + data_off, filesize, mode};
  *next = round_up<u64>(data_off + filesize, 4);
  return true;
}

}  // namespace

void init(uval base, u64 size) {
  g_base = base;
  g_size = base ? size : 0;
}

bool present() { return g_size != 0; }

bool find(const char* path, File* out) {
  while (*path == '/') ++path;
  File f;
  u64 next;
  for (u64 off = 0; entry_at(off, &f, &next); off = next)
    if (strcmp(f.name, path) == 0) {
      *out = f;
      return true;
    }
  return false;
}

}  // namespace initrd
