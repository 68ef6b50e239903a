#include "cpu_ppc64/disasm.h"

#include <capstone/capstone.h>

#include <cstdio>

namespace dusim::ppc {

namespace {
struct Capstone {
  csh handle = 0;
  bool ok = false;
  Capstone() { ok = cs_open(CS_ARCH_PPC, cs_mode(CS_MODE_64 | CS_MODE_BIG_ENDIAN), &handle) == CS_ERR_OK; }
  ~Capstone() {
    if (ok) cs_close(&handle);
  }
};
}  // namespace

std::string disassemble(uint32_t raw, uint64_t pc) {
  static Capstone cs;
  uint8_t bytes[4] = {uint8_t(raw >> 24), uint8_t(raw >> 16), uint8_t(raw >> 8), uint8_t(raw)};
  char fallback[24];
  std::snprintf(fallback, sizeof fallback, ".long 0x%08x", raw);
  if (!cs.ok) return fallback;
  cs_insn* insn = nullptr;
  size_t n = cs_disasm(cs.handle, bytes, 4, pc, 1, &insn);
  if (n == 0) return fallback;
  std::string text = insn[0].mnemonic;
  if (insn[0].op_str[0]) text += std::string(" ") + insn[0].op_str;
  cs_free(insn, n);
  return text;
}

}  // namespace dusim::ppc
