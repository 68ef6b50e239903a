#include "loader/symbols.h"

#include <algorithm>
#include <cstdio>

namespace dusim {

void SymbolTable::add(uint64_t addr, uint64_t size, std::string name) { syms_.push_back({addr, size, std::move(name)}); }

void SymbolTable::finish() {
  std::sort(syms_.begin(), syms_.end(), [](const Symbol& a, const Symbol& b) {
    return a.addr != b.addr ? a.addr < b.addr : a.name < b.name;
  });
  syms_.erase(std::unique(syms_.begin(), syms_.end(), [](const Symbol& a, const Symbol& b) { return a.addr == b.addr; }),
              syms_.end());
}

const SymbolTable::Symbol* SymbolTable::find(uint64_t addr) const {
  auto it = std::upper_bound(syms_.begin(), syms_.end(), addr, [](uint64_t a, const Symbol& s) { return a < s.addr; });
  if (it == syms_.begin()) return nullptr;
  const Symbol& s = *--it;
  if (s.size && addr >= s.addr + s.size) return nullptr;
  if (!s.size && addr - s.addr > 0x10000) return nullptr;
  return &s;
}

std::string SymbolTable::describe(uint64_t addr) const {
  const Symbol* s = find(addr);
  if (!s) return "?";
  char off[32];
  std::snprintf(off, sizeof off, "+0x%llx", (unsigned long long)(addr - s->addr));
  return s->name + off;
}

const SymbolTable::Symbol* SymbolTable::by_name(const std::string& name) const {
  for (const Symbol& s : syms_)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace dusim
