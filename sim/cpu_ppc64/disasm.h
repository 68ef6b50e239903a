// Text disassembly through Capstone, for traces and fault reports only; the
// simulator's own decoder (decoder.h) decides what executes.
#pragma once

#include <cstdint>
#include <string>

namespace dusim::ppc {

// "mnemonic operands", or ".long 0x…" when Capstone cannot decode the word.
std::string disassemble(uint32_t raw, uint64_t pc);

}  // namespace dusim::ppc
