// The initial image's reader (include/kernel/initrd.h): cpio newc, every
// field checked against the archive's end before it is used, so a damaged
// archive makes a lookup fail, never a read outside it.
#include "kernel/initrd.h"

#include "kernel/heap.h"
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

File root() { return File{"", nullptr, 0, kDirectory | 0555}; }

namespace {
// The entry named by the first n bytes of `name`.
bool find_n(const char* name, u64 n, File* out) {
  File f;
  u64 next;
  for (u64 off = 0; entry_at(off, &f, &next); off = next)
    if (strlen(f.name) == n && memcmp(f.name, name, n) == 0) {
      *out = f;
      return true;
    }
  return false;
}
}  // namespace

File parent(const File& f) {
  const char* slash = nullptr;
  for (const char* c = f.name; *c; ++c)
    if (*c == '/') slash = c;
  File p;
  if (!slash || !find_n(f.name, u64(slash - f.name), &p)) return root();
  return p;
}

bool child(const File& dir, u64 index, File* out) {
  const u64 n = strlen(dir.name);
  File f;
  u64 next;
  for (u64 off = 0; entry_at(off, &f, &next); off = next) {
    const char* rest = f.name;
    if (n) {
      if (memcmp(f.name, dir.name, n) != 0 || f.name[n] != '/') continue;
      rest = f.name + n + 1;
    }
    if (!*rest || strchr(rest, '/')) continue;
    if (index-- == 0) {
      *out = f;
      return true;
    }
  }
  return false;
}

s64 resolve(const File& from, const char* path, bool follow, File* out) {
  enum : s64 { kENOENT = 2, kENOMEM = 12, kENOTDIR = 20, kENAMETOOLONG = 36, kELOOP = 40 };
  constexpr u64 kMax = 4096;  // PATH_MAX
  if (strlen(path) >= kMax) return -kENAMETOOLONG;
  // todo: what is left of the path; name: the next entry's name.
  char* const block = static_cast<char*>(kmalloc(3 * kMax));
  if (!block) return -kENOMEM;
  char *todo = block, *name = block + kMax, *spare = block + 2 * kMax;
  memcpy(todo, path, strlen(path) + 1);
  File cur = path[0] == '/' ? root() : from;
  s64 r = 0;
  unsigned links = 0;
  for (const char* p = todo;;) {
    while (*p == '/') ++p;
    if (!*p) break;
    const char* end = p;
    while (*end && *end != '/') ++end;
    const u64 len = u64(end - p);
    const bool last = !*end;
    if (len == 1 && p[0] == '.') {
      p = end;
      continue;
    }
    if (len == 2 && p[0] == '.' && p[1] == '.') {
      cur = parent(cur);
      p = end;
      continue;
    }
    const u64 base = strlen(cur.name);
    if (base + 1 + len >= kMax) {
      r = -kENAMETOOLONG;
      break;
    }
    u64 at = 0;
    if (base) {
      memcpy(name, cur.name, base);
      name[base] = '/';
      at = base + 1;
    }
    memcpy(name + at, p, len);
    name[at + len] = 0;
    File next;
    if (!find(name, &next)) {
      r = -kENOENT;
      break;
    }
    if (is_link(next) && (!last || follow)) {
      if (++links > 40 || next.size + 1 + strlen(end) >= kMax) {
        r = links > 40 ? -kELOOP : -kENAMETOOLONG;
        break;
      }
      // The link's text, then what followed it; an absolute one starts
      // again at the root. (cur stays: the directory holding the link.)
      memcpy(spare, next.data, next.size);
      spare[next.size] = 0;
      memcpy(spare + next.size, end, strlen(end) + 1);
      if (spare[0] == '/') cur = root();
      char* t = todo;
      todo = spare;
      spare = t;
      p = todo;
      continue;
    }
    if (!is_dir(next) && !last) {
      r = -kENOTDIR;
      break;
    }
    cur = next;
    p = end;
  }
  kfree(block);
  if (r == 0) *out = cur;
  return r;
}

}  // namespace initrd
