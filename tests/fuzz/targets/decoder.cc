// Fuzz target: the instruction decoder (sim/cpu_ppc64/decoder.cc) and the
// disassembler beside it. The input is a run of big-endian instruction words.
// What must hold for every word: the entry decode() picks matches it under
// its mask (or there is none), the first matching entry in table order is the
// one picked, and decoding is a pure function (the code cache relies on it).
#include <cstdint>

#include "cpu_ppc64/decoder.h"
#include "cpu_ppc64/disasm.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto table = dusim::ppc::insn_table();
  for (size_t i = 0; i + 4 <= size; i += 4) {
    uint32_t raw = uint32_t(data[i]) << 24 | uint32_t(data[i + 1]) << 16 | uint32_t(data[i + 2]) << 8 | data[i + 3];
    uint16_t d = dusim::ppc::decode(raw);
    uint16_t first = dusim::ppc::kNoDef;
    for (size_t k = 0; k < table.size(); ++k)
      if ((raw & table[k].mask) == table[k].match) {
        first = uint16_t(k);
        break;
      }
    if (d != first)
      dusim::fuzz::broken("decode(" + std::to_string(raw) + ") = " + std::to_string(d) + ", the table's first match is " +
                          std::to_string(first));
    if (dusim::ppc::decode(raw) != d) dusim::fuzz::broken("decode is not a function of the word");
    if (dusim::ppc::disassemble(raw, 0x10000 + i).empty()) dusim::fuzz::broken("empty disassembly");
  }
  return 0;
}
