// Table-driven decoder over insn_table.def. Decoding happens once per code
// address (see code_cache.h), so a short linear scan of the entries that
// share a primary opcode is fast enough and keeps the table the single truth.
#pragma once

#include <cstdint>
#include <span>

#include "cpu_ppc64/insn.h"

namespace dusim::ppc {

// Every entry of the instruction table, in table order.
std::span<const InsnDef> insn_table();

// Index of the entry that matches `raw`, or kNoDef.
uint16_t decode(uint32_t raw);

// Mask and match of an entry built from its form and opcodes (exposed for tests).
InsnDef make_def(const char* mnemonic, Form form, unsigned po, unsigned xo, ExecFn exec, InsnClass klass);

const char* form_name(Form f);

}  // namespace dusim::ppc
