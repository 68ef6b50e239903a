#include "cpu_ppc64/fault_report.h"

#include <fmt/format.h>

#include <vector>

#include "cpu_ppc64/disasm.h"
#include "loader/symbols.h"

namespace dusim::ppc {

Registers registers_of(const Cpu& c) {
  Registers r;
  r.cpu = c.id;
  for (unsigned k = 0; k < 32; ++k) r.gpr[k] = c.gpr[k];
  r.pc = c.pc;
  r.lr = c.lr;
  r.ctr = c.ctr;
  r.msr = c.msr;
  r.xer = c.xer();
  r.srr0 = c.srr0;
  r.srr1 = c.srr1;
  r.cr = c.cr;
  r.resv_valid = c.resv_valid;
  r.resv_addr = c.resv_addr;
  return r;
}

std::string register_dump(const Registers& c) {
  std::string s;
  for (unsigned r = 0; r < 32; ++r) {
    s += fmt::format("  r{:<2} {:016x}", r, c.gpr[r]);
    if (r % 4 == 3) s += '\n';
  }
  s += fmt::format("  pc  {:016x}  lr  {:016x}  ctr {:016x}\n", c.pc, c.lr, c.ctr);
  s += fmt::format("  cr  {:08x}          xer {:016x}  msr {:016x}\n", c.cr, c.xer, c.msr);
  s += fmt::format("  srr0 {:016x} srr1 {:016x} reservation {}\n", c.srr0, c.srr1,
                   c.resv_valid ? fmt::format("{:#x}", c.resv_addr) : std::string("none"));
  return s;
}

std::string register_dump(const Cpu& c) { return register_dump(registers_of(c)); }

static std::string where(const SymbolTable* symbols, uint64_t addr) {
  return symbols ? symbols->describe(addr) : std::string("?");
}

std::string backtrace(const Registers& r, const SymbolTable* symbols, const MemoryReader& read, unsigned max_frames) {
  // ELFv1: [sp] is the caller's sp (the back chain); a function that made a
  // frame saved its return address at 16(caller's sp).
  std::vector<uint64_t> pcs{r.pc};
  uint64_t sp = r.gpr[1];
  while (pcs.size() < max_frames) {
    uint64_t back = 0, ra = 0;
    if (sp & 7 || !read(sp, 8, back) || back <= sp || back - sp > (1u << 24)) break;
    if (!read(back + 16, 8, ra) || ra == 0) break;
    pcs.push_back(ra);
    sp = back;
  }
  // A leaf function keeps its return address in LR only: show LR as the
  // caller when it lies outside the current function and is not the first
  // saved return address.
  const SymbolTable::Symbol* in_pc = symbols ? symbols->find(r.pc) : nullptr;
  const SymbolTable::Symbol* in_lr = symbols ? symbols->find(r.lr) : nullptr;
  if (r.lr && in_lr != in_pc && (pcs.size() < 2 || pcs[1] != r.lr)) pcs.insert(pcs.begin() + 1, r.lr);
  std::string s;
  for (size_t n = 0; n < pcs.size(); ++n) s += fmt::format("  #{:<2} {:#x} <{}>\n", n, pcs[n], where(symbols, pcs[n]));
  return s;
}

std::string fault_report(const Registers& r, const std::string& reason, const SymbolTable* symbols,
                         const MemoryReader& read) {
  std::string word = "(unreadable)", text = "(no memory at pc)";
  uint64_t raw = 0;
  if (read(r.pc, 4, raw)) {
    word = fmt::format("{:08x}", uint32_t(raw));
    text = disassemble(uint32_t(raw), r.pc);
  }
  std::string s = fmt::format("guest fault on cpu {}: {}\n", r.cpu, reason);
  s += fmt::format("  at pc {:#x} <{}>: {}  {}\n", r.pc, where(symbols, r.pc), word, text);
  s += fmt::format("  lr {:#x} <{}>\n", r.lr, where(symbols, r.lr));
  s += "  backtrace:\n" + backtrace(r, symbols, read);
  s += "  registers:\n" + register_dump(r);
  return s;
}

std::string fault_report(Cpu& c, const std::string& reason, const SymbolTable* symbols) {
  MemoryReader read = [&c](uint64_t addr, unsigned size, uint64_t& v) {
    try {
      if (size == 4) v = c.mem.fetch(addr);
      else v = (uint64_t(c.mem.fetch(addr)) << 32) | c.mem.fetch(addr + 4);
      return true;
    } catch (...) {
      return false;
    }
  };
  return fault_report(registers_of(c), reason, symbols, read);
}

}  // namespace dusim::ppc
