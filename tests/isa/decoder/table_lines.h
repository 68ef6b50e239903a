// The instruction table as its source lines. The tests read insn_table.def
// with their own INSN macro, so they see each line's body name and opcodes
// beside the entry the decoder built from it.
#pragma once

#include <cstddef>
#include <string_view>

#include "cpu_ppc64/insn.h"

namespace dusim::ppc::test {

struct TableLine {
  const char* body;  // name of the instruction body (exec_<body>)
  const char* mnemonic;
  Form form;
  unsigned po;
  unsigned xo;
};

inline constexpr TableLine kTableLines[] = {
#define INSN(body, mn, form, po, xo, klass) {#body, mn, Form::form, po, xo},
#include "cpu_ppc64/insn_table.def"
#undef INSN
};

}  // namespace dusim::ppc::test
