#include "cpu_ppc64/fault_report.h"

#include <fmt/format.h>

#include "cpu_ppc64/disasm.h"
#include "loader/symbols.h"

namespace dusim::ppc {

std::string register_dump(const Cpu& c) {
  std::string s;
  for (unsigned r = 0; r < 32; ++r) {
    s += fmt::format("  r{:<2} {:016x}", r, c.gpr[r]);
    if (r % 4 == 3) s += '\n';
  }
  s += fmt::format("  pc  {:016x}  lr  {:016x}  ctr {:016x}\n", c.pc, c.lr, c.ctr);
  s += fmt::format("  cr  {:08x}          xer {:016x}  msr {:016x}\n", c.cr, c.xer(), c.msr);
  s += fmt::format("  srr0 {:016x} srr1 {:016x} reservation {}\n", c.srr0, c.srr1,
                   c.resv_valid ? fmt::format("{:#x}", c.resv_addr) : std::string("none"));
  return s;
}

std::string fault_report(Cpu& c, const std::string& reason, const SymbolTable* symbols) {
  std::string where = symbols ? symbols->describe(c.pc) : "?";
  std::string word = "(unreadable)", text;
  try {
    uint32_t raw = c.mem.fetch(c.pc);
    word = fmt::format("{:08x}", raw);
    text = disassemble(raw, c.pc);
  } catch (...) {
    text = "(no memory at pc)";
  }
  std::string s = fmt::format("guest fault on cpu {}: {}\n", c.id, reason);
  s += fmt::format("  at pc {:#x} <{}>: {}  {}\n", c.pc, where, word, text);
  s += fmt::format("  called from lr {:#x} <{}>\n", c.lr, symbols ? symbols->describe(c.lr) : "?");
  s += register_dump(c);
  return s;
}

}  // namespace dusim::ppc
