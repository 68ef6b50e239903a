// PowerPC64 ELFv1 relocation types as data: one table row per supported type
// says what value it computes, which part of it, into which field, and how
// overflow is checked (64-bit PowerPC ELF ABI 1.9, section 4.5). Adding a type
// is one row in reloc_ppc64.cc, plus a case in the module loader only if its
// value is not one of the four below.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "reason.h"

namespace dusim::loader::reloc {

// The value computed, in the ABI's notation (S symbol, A addend, P place).
enum class Value : uint8_t {
  Abs,      // S + A
  Rel,      // S + A - P
  Toc,      // S + A - .TOC.  (.TOC. = the module's TOC base, r2)
  TocBase,  // .TOC. + A
  Call,     // REL24: S + A - P, through a TOC-switching stub when S is outside the module
  Nothing,  // R_PPC64_NONE
};

// Which bits of the value go into the field.
enum class Part : uint8_t { All, Lo, Hi, Ha, High, Higha, Higher, Highera, Highest, Highesta };

// Where they go. Half fields are addressed directly (r_offset is the halfword),
// branch fields by their instruction.
enum class Field : uint8_t {
  None,
  Doubleword,  // 64 bits
  Word,        // 32 bits
  Half,        // 16 bits
  HalfDs,      // bits 0xfffc of a DS-form displacement; the low 2 bits stay
  Branch24,    // LI field of an I-form branch (0x03fffffc)
  Branch14,    // BD field of a B-form branch (0x0000fffc)
};

enum class Overflow : uint8_t { None, Signed, Bitfield };

struct Kind {
  uint32_t type;
  const char* name;
  Value value;
  Part part;
  Field field;
  Overflow overflow;
};

inline constexpr uint32_t kRel24 = 10;

// The supported kind for `type`, or nullptr.
const Kind* find_kind(uint32_t type);
// For types the loader recognises but does not support: what family they
// belong to ("a thread-local-storage relocation", ...); nullptr if unknown.
const char* unsupported_family(uint32_t type);
// Bytes the field occupies at r_offset.
size_t field_bytes(Field f);
// Checks `v` against the kind's overflow and alignment rules and writes it
// into the field at `loc`. On failure says why (the caller adds where).
bool insert(const Kind& k, uint64_t v, uint8_t* loc, Reason& why);

}  // namespace dusim::loader::reloc
