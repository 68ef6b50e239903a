// The report printed when a guest faults: CPU, PC, nearest symbol, raw word,
// disassembly, a backtrace along the ELFv1 stack back chain, and every
// register.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cpu_ppc64/cpu.h"

namespace dusim {
class SymbolTable;
}

namespace dusim::ppc {

// A register set: a CPU's live state, or a frame the guest saved.
struct Registers {
  unsigned cpu = 0;
  uint64_t gpr[32] = {};
  uint64_t pc = 0, lr = 0, ctr = 0, msr = 0, xer = 0, srr0 = 0, srr1 = 0;
  uint32_t cr = 0;
  bool resv_valid = false;
  uint64_t resv_addr = 0;
};
Registers registers_of(const Cpu& c);

// Reads `size` (4 or 8) bytes of guest memory, big-endian; false if unmapped.
using MemoryReader = std::function<bool(uint64_t addr, unsigned size, uint64_t& value)>;

std::string fault_report(const Registers& r, const std::string& reason, const SymbolTable* symbols,
                         const MemoryReader& read);
// The live CPU's report, reading memory through its port.
std::string fault_report(Cpu& c, const std::string& reason, const SymbolTable* symbols);
// Registers only (also used by traces and the debugger).
std::string register_dump(const Registers& r);
std::string register_dump(const Cpu& c);
// "#N 0xADDR <symbol+off>" lines, from pc, then along the back chain from r1.
std::string backtrace(const Registers& r, const SymbolTable* symbols, const MemoryReader& read, unsigned max_frames = 32);

}  // namespace dusim::ppc
