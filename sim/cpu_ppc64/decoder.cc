#include "cpu_ppc64/decoder.h"

#include <array>
#include <vector>

namespace dusim::ppc {

#define INSN(body, mn, form, po, xo, klass) void exec_##body(Cpu&, const Insn&);
#include "cpu_ppc64/insn_table.def"
#undef INSN

InsnDef make_def(const char* mnemonic, Form form, unsigned po, unsigned xo, ExecFn exec, InsnClass klass) {
  uint32_t mask = 0xfc000000u, match = po << 26;
  switch (form) {
    case Form::I: case Form::B: case Form::D: case Form::M: case Form::Prim:
      break;
    case Form::SC:  // bit 30 must be 1
      mask |= 2; match |= 2;
      break;
    case Form::DS:  // XO in bits 30-31
      mask |= 3; match |= xo;
      break;
    case Form::X: case Form::XL: case Form::XFX:  // XO in bits 21-30
      mask |= 0x7fe; match |= xo << 1;
      break;
    case Form::X1:  // X-form whose bit 31 is fixed at 1 (the store-conditionals)
      mask |= 0x7ff; match |= (xo << 1) | 1;
      break;
    case Form::XFXo:  // XO in bits 21-30, bit 11 selects the one-field variant
      mask |= 0x7fe | (1u << 20); match |= ((xo & 0x3ff) << 1) | (((xo >> 10) & 1) << 20);
      break;
    case Form::XO:  // XO in bits 22-30 (bit 21 is OE)
      mask |= 0x3fe; match |= xo << 1;
      break;
    case Form::XS:  // XO in bits 21-29 (bit 30 is sh5)
      mask |= 0x7fc; match |= xo << 2;
      break;
    case Form::A:  // XO in bits 26-30
      mask |= 0x3e; match |= xo << 1;
      break;
    case Form::MD:  // XO in bits 27-29
      mask |= 0x1c; match |= xo << 2;
      break;
    case Form::MDS:  // XO in bits 27-30
      mask |= 0x1e; match |= xo << 1;
      break;
  }
  return InsnDef{mnemonic, form, mask, match, exec, klass};
}

namespace {

const std::vector<InsnDef>& table() {
  static const std::vector<InsnDef> t = {
#define INSN(body, mn, form, po, xo, klass) \
  make_def(mn, Form::form, po, xo, exec_##body, InsnClass::klass),
#include "cpu_ppc64/insn_table.def"
#undef INSN
  };
  return t;
}

// Entries grouped by primary opcode.
const std::array<std::vector<uint16_t>, 64>& by_primary() {
  static const auto groups = [] {
    std::array<std::vector<uint16_t>, 64> g;
    const auto& t = table();
    for (size_t k = 0; k < t.size(); ++k) g[t[k].match >> 26].push_back(uint16_t(k));
    return g;
  }();
  return groups;
}

}  // namespace

std::span<const InsnDef> insn_table() { return table(); }

uint16_t decode(uint32_t raw) {
  const auto& t = table();
  for (uint16_t k : by_primary()[raw >> 26]) {
    if ((raw & t[k].mask) == t[k].match) return k;
  }
  return kNoDef;
}

const char* form_name(Form f) {
  static const char* const names[] = {"I", "B", "SC", "D", "DS", "X", "X", "XL", "XFX", "XFX", "XO", "XS", "A", "M", "MD", "MDS", "primary"};
  return names[unsigned(f)];
}

const char* insn_class_name(InsnClass k) {
  static const char* const names[] = {
#define INSN_CLASS(id, name, run_elf_cycles, description) #name,
#include "cpu_ppc64/insn_classes.def"
  };
  return names[unsigned(k)];
}

const char* insn_class_description(InsnClass k) {
  static const char* const descriptions[] = {
#define INSN_CLASS(id, name, run_elf_cycles, description) description,
#include "cpu_ppc64/insn_classes.def"
  };
  return descriptions[unsigned(k)];
}

}  // namespace dusim::ppc
