// Code symbols (name, address, size) for fault reports, traces and backtraces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim {

class SymbolTable {
 public:
  struct Symbol {
    uint64_t addr;
    uint64_t size;
    std::string name;
  };
  void add(uint64_t addr, uint64_t size, std::string name);
  void finish();  // sorts; call after the last add()
  // The symbol containing addr (or the nearest one below it when sizes are
  // unknown), or null.
  const Symbol* find(uint64_t addr) const;
  // "name+0xoff", or "?" when nothing is near.
  std::string describe(uint64_t addr) const;
  const Symbol* by_name(const std::string& name) const;
  const std::vector<Symbol>& all() const { return syms_; }

 private:
  std::vector<Symbol> syms_;
};

}  // namespace dusim
