// The embedded symbol table (ksym.h). Layout, all big-endian, written by
// guest_os/build/gen_ksymtab.py:
//   header: magic "KSYMTAB1", count, offset of entries, offset of the
//           by-name index, offset of the names (offsets from the header)
//   entries[count]: {u64 addr, u64 size, u32 name offset, u32 kind},
//           sorted by address
//   by_name[count]: u32 entry indices sorted by name (strcmp order)
//   names: NUL-terminated strings
#include "kernel/ksym.h"

#include "kernel/string.h"

extern "C" char __ksymtab_start[], __ksymtab_end[];

namespace ksym {
namespace {

constexpr u64 kMagic = 0x4b53594d54414231ull;  // "KSYMTAB1"

struct Header {
  u64 magic, count, entries_off, by_name_off, names_off;
};
struct Entry {
  u64 addr, size;
  u32 name_off, kind;
};

const Header* header() {
  if (__ksymtab_end - __ksymtab_start < long(sizeof(Header))) return nullptr;
  const Header* h = reinterpret_cast<const Header*>(__ksymtab_start);
  return h->magic == kMagic ? h : nullptr;
}
const Entry* entries(const Header* h) { return reinterpret_cast<const Entry*>(__ksymtab_start + h->entries_off); }
const u32* by_name(const Header* h) { return reinterpret_cast<const u32*>(__ksymtab_start + h->by_name_off); }
const char* name_of(const Header* h, const Entry& e) { return __ksymtab_start + h->names_off + e.name_off; }

void fill(const Header* h, const Entry& e, Symbol* out) {
  out->addr = e.addr;
  out->size = e.size;
  out->name = name_of(h, e);
  out->kind = Kind(e.kind);
}

}  // namespace

bool present() { return header() != nullptr; }
u64 count() {
  const Header* h = header();
  return h ? h->count : 0;
}

bool at(u64 i, Symbol* out) {
  const Header* h = header();
  if (!h || i >= h->count) return false;
  fill(h, entries(h)[i], out);
  return true;
}

bool lookup(const char* name, Symbol* out) {
  const Header* h = header();
  if (!h) return false;
  const Entry* e = entries(h);
  const u32* idx = by_name(h);
  u64 lo = 0, hi = h->count;
  while (lo < hi) {
    u64 mid = (lo + hi) / 2;
    int c = strcmp(name_of(h, e[idx[mid]]), name);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  // Several entries may share a name (a function's code and descriptor):
  // prefer the descriptor or data object, which is what a reference means.
  bool found = false;
  for (u64 i = lo; i < h->count && strcmp(name_of(h, e[idx[i]]), name) == 0; ++i) {
    const Entry& x = e[idx[i]];
    if (!found || x.kind != kCode) fill(h, x, out);
    found = true;
  }
  return found;
}

bool find(uval addr, Symbol* out, uval* offset) {
  const Header* h = header();
  if (!h) return false;
  const Entry* e = entries(h);
  u64 lo = 0, hi = h->count;  // the last entry with e.addr <= addr
  while (lo < hi) {
    u64 mid = (lo + hi) / 2;
    if (e[mid].addr <= addr) lo = mid + 1;
    else hi = mid;
  }
  for (u64 i = lo; i-- > 0;) {
    if (e[i].kind == kDescriptor) continue;
    if (addr < e[i].addr + (e[i].size ? e[i].size : 1)) {
      fill(h, e[i], out);
      if (offset) *offset = addr - e[i].addr;
      return true;
    }
    return false;
  }
  return false;
}

}  // namespace ksym
