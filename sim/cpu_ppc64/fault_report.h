// The report printed when a guest faults: CPU, PC, nearest symbol, raw word,
// disassembly and every register.
#pragma once

#include <string>

#include "cpu_ppc64/cpu.h"

namespace dusim {
class SymbolTable;
}

namespace dusim::ppc {

std::string fault_report(Cpu& c, const std::string& reason, const SymbolTable* symbols);
// Registers only (also used by traces and the debugger).
std::string register_dump(const Cpu& c);

}  // namespace dusim::ppc
