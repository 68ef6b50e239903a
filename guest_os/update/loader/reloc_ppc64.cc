// The relocation table and the field arithmetic. What GCC 12 emits for
// modules (powerpc64-linux-gnu-g++ -c, ELFv1) is marked with "gcc:"; the other
// rows are what hand-written assembly and other code models produce.
#include "reloc_ppc64.h"

#include "elf64.h"

namespace dusim::loader::reloc {

namespace {

using V = Value;
using P = Part;
using F = Field;
using O = Overflow;

constexpr Kind kKinds[] = {
    {0, "R_PPC64_NONE", V::Nothing, P::All, F::None, O::None},
    {1, "R_PPC64_ADDR32", V::Abs, P::All, F::Word, O::Bitfield},
    {2, "R_PPC64_ADDR24", V::Abs, P::All, F::Branch24, O::Signed},
    {3, "R_PPC64_ADDR16", V::Abs, P::All, F::Half, O::Bitfield},
    {4, "R_PPC64_ADDR16_LO", V::Abs, P::Lo, F::Half, O::None},
    {5, "R_PPC64_ADDR16_HI", V::Abs, P::Hi, F::Half, O::Signed},
    {6, "R_PPC64_ADDR16_HA", V::Abs, P::Ha, F::Half, O::Signed},
    {7, "R_PPC64_ADDR14", V::Abs, P::All, F::Branch14, O::Signed},
    // The BRTAKEN/BRNTAKEN forms keep the prediction bits the assembler chose.
    {8, "R_PPC64_ADDR14_BRTAKEN", V::Abs, P::All, F::Branch14, O::Signed},
    {9, "R_PPC64_ADDR14_BRNTAKEN", V::Abs, P::All, F::Branch14, O::Signed},
    {10, "R_PPC64_REL24", V::Call, P::All, F::Branch24, O::Signed},  // gcc: every bl
    {11, "R_PPC64_REL14", V::Rel, P::All, F::Branch14, O::Signed},
    {12, "R_PPC64_REL14_BRTAKEN", V::Rel, P::All, F::Branch14, O::Signed},
    {13, "R_PPC64_REL14_BRNTAKEN", V::Rel, P::All, F::Branch14, O::Signed},
    {24, "R_PPC64_UADDR32", V::Abs, P::All, F::Word, O::Bitfield},
    {25, "R_PPC64_UADDR16", V::Abs, P::All, F::Half, O::Bitfield},
    {26, "R_PPC64_REL32", V::Rel, P::All, F::Word, O::Signed},  // gcc: .eh_frame
    {38, "R_PPC64_ADDR64", V::Abs, P::All, F::Doubleword, O::None},  // gcc: .opd, .toc, vtables, data
    {39, "R_PPC64_ADDR16_HIGHER", V::Abs, P::Higher, F::Half, O::None},
    {40, "R_PPC64_ADDR16_HIGHERA", V::Abs, P::Highera, F::Half, O::None},
    {41, "R_PPC64_ADDR16_HIGHEST", V::Abs, P::Highest, F::Half, O::None},
    {42, "R_PPC64_ADDR16_HIGHESTA", V::Abs, P::Highesta, F::Half, O::None},
    {43, "R_PPC64_UADDR64", V::Abs, P::All, F::Doubleword, O::None},
    {44, "R_PPC64_REL64", V::Rel, P::All, F::Doubleword, O::None},
    {47, "R_PPC64_TOC16", V::Toc, P::All, F::Half, O::Signed},
    {48, "R_PPC64_TOC16_LO", V::Toc, P::Lo, F::Half, O::None},    // gcc: addi rX,rY,sym@toc@l
    {49, "R_PPC64_TOC16_HI", V::Toc, P::Hi, F::Half, O::Signed},
    {50, "R_PPC64_TOC16_HA", V::Toc, P::Ha, F::Half, O::Signed},  // gcc: addis rX,r2,sym@toc@ha
    {51, "R_PPC64_TOC", V::TocBase, P::All, F::Doubleword, O::None},  // gcc: .opd TOC words
    {56, "R_PPC64_ADDR16_DS", V::Abs, P::All, F::HalfDs, O::Signed},
    {57, "R_PPC64_ADDR16_LO_DS", V::Abs, P::Lo, F::HalfDs, O::None},
    {63, "R_PPC64_TOC16_DS", V::Toc, P::All, F::HalfDs, O::Signed},  // gcc -mcmodel=small
    {64, "R_PPC64_TOC16_LO_DS", V::Toc, P::Lo, F::HalfDs, O::None},  // gcc: ld rX,sym@toc@l(rY)
    {110, "R_PPC64_ADDR16_HIGH", V::Abs, P::High, F::Half, O::None},
    {111, "R_PPC64_ADDR16_HIGHA", V::Abs, P::Higha, F::Half, O::None},
    {249, "R_PPC64_REL16", V::Rel, P::All, F::Half, O::Signed},
    {250, "R_PPC64_REL16_LO", V::Rel, P::Lo, F::Half, O::None},
    {251, "R_PPC64_REL16_HI", V::Rel, P::Hi, F::Half, O::Signed},
    {252, "R_PPC64_REL16_HA", V::Rel, P::Ha, F::Half, O::Signed},
};

uint64_t part_of(Part p, uint64_t v) {
  switch (p) {
    case P::All: return v;
    case P::Lo: return v & 0xffff;
    case P::Hi:
    case P::High: return (v >> 16) & 0xffff;
    case P::Ha:
    case P::Higha: return ((v + 0x8000) >> 16) & 0xffff;
    case P::Higher: return (v >> 32) & 0xffff;
    case P::Highera: return ((v + 0x8000) >> 32) & 0xffff;
    case P::Highest: return v >> 48;
    case P::Highesta: return (v + 0x8000) >> 48;
  }
  return v;
}

// Bits the overflow rule is checked over: the field's width for whole
// values, 32 for the @h/@ha halves of a 32-bit value, none otherwise.
unsigned checked_bits(const Kind& k) {
  if (k.part == P::Hi || k.part == P::Ha) return 32;
  if (k.part != P::All) return 0;
  switch (k.field) {
    case F::Word: return 32;
    case F::Half:
    case F::HalfDs:
    case F::Branch14: return 16;
    case F::Branch24: return 26;
    default: return 0;
  }
}

bool fits(Overflow o, unsigned bits, uint64_t v) {
  if (o == O::None || bits == 0 || bits >= 64) return true;
  int64_t s = int64_t(v);
  int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
  if (s >= lo && s <= hi) return true;
  return o == O::Bitfield && v < (uint64_t(1) << bits);  // or as an unsigned value
}

}  // namespace

const Kind* find_kind(uint32_t type) {
  for (const Kind& k : kKinds)
    if (k.type == type) return &k;
  return nullptr;
}

const char* unsupported_family(uint32_t type) {
  if (type >= 14 && type <= 17) return "a GOT relocation";
  if (type >= 19 && type <= 22) return "a dynamic-linking relocation";
  if ((type >= 27 && type <= 32) || type == 45 || type == 46 || (type >= 52 && type <= 55) || type == 60 ||
      type == 65 || type == 66)
    return "a PLT relocation";
  if ((type >= 33 && type <= 36) || type == 61 || type == 62) return "a section-offset relocation";
  if (type == 58 || type == 59) return "a GOT relocation";
  if ((type >= 67 && type <= 108) || (type >= 112 && type <= 115)) return "a thread-local-storage relocation";
  if (type == 37) return "R_PPC64_ADDR30";
  if (type == 109 || type == 116 || type == 118) return "an ELFv2 relocation";
  if (type == 247 || type == 248) return "an indirect-function relocation";
  return nullptr;
}

size_t field_bytes(Field f) {
  switch (f) {
    case F::Doubleword: return 8;
    case F::Word:
    case F::Branch24:
    case F::Branch14: return 4;
    case F::Half:
    case F::HalfDs: return 2;
    case F::None: return 0;
  }
  return 0;
}

bool insert(const Kind& k, uint64_t v, uint8_t* loc, Reason& why) {
  if (!fits(k.overflow, checked_bits(k), v)) {
    why << k.name << " value " << Hex{v} << " does not fit";
    return false;
  }
  uint64_t x = part_of(k.part, v);
  bool needs_word_alignment = k.field == F::HalfDs || k.field == F::Branch24 || k.field == F::Branch14;
  if (needs_word_alignment && (x & 3)) {
    why << k.name << " value " << Hex{v} << " is not a multiple of 4";
    return false;
  }
  switch (k.field) {
    case F::None: break;
    case F::Doubleword: elf::store<uint64_t>(loc, x); break;
    case F::Word: elf::store<uint32_t>(loc, uint32_t(x)); break;
    case F::Half: elf::store<uint16_t>(loc, uint16_t(x)); break;
    case F::HalfDs: elf::store<uint16_t>(loc, uint16_t((elf::load16(loc) & 3) | (x & 0xfffc))); break;
    case F::Branch24:
      elf::store<uint32_t>(loc, (elf::load32(loc) & 0xfc000003u) | uint32_t(x & 0x03fffffc));
      break;
    case F::Branch14: elf::store<uint32_t>(loc, (elf::load32(loc) & 0xffff0003u) | uint32_t(x & 0xfffc)); break;
  }
  return true;
}

}  // namespace dusim::loader::reloc
