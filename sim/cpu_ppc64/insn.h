// Predecoded instructions, the instruction table's entry type, and the
// instruction-field accessors of Power ISA 2.06 Book I (IBM bit numbering:
// bit 0 is the most significant bit of the 32-bit word).
#pragma once

#include <cstdint>

namespace dusim::ppc {

class Cpu;
struct Insn;

// One instruction body. It reads fields from `i.raw`, updates the CPU and,
// for control flow, sets `c.npc`; the run loop has already set npc = pc + 4.
using ExecFn = void (*)(Cpu& c, const Insn& i);

// Timing classes (insn_classes.def); the per-class latency comes from the
// machine config, or for run-elf from the table's own column.
enum class InsnClass : uint8_t {
#define INSN_CLASS(id, name, run_elf_cycles, description) id,
#include "cpu_ppc64/insn_classes.def"
  Count
};
const char* insn_class_name(InsnClass k);         // "alu", ...: the latency.NAME config keys
const char* insn_class_description(InsnClass k);

// Instruction forms of the Power ISA, named as in the manual.
enum class Form : uint8_t { I, B, SC, D, DS, X, X1, XL, XFX, XFXo, XO, XS, A, M, MD, MDS, Prim };

struct InsnDef {
  const char* mnemonic;  // base mnemonic (the Rc/OE variants share the entry)
  Form form;
  uint32_t mask;         // opcode bits that identify the instruction
  uint32_t match;        // their value
  ExecFn exec;
  InsnClass klass;
};

// A predecoded instruction slot (16 bytes). Filled on first execution.
struct Insn {
  ExecFn exec;
  uint32_t raw;
  uint16_t def;     // index into the instruction table; kNoDef when illegal
  uint8_t cycles;   // latency of its class under the current config
  uint8_t klass;
};
constexpr uint16_t kNoDef = 0xffff;

// ---- field accessors -------------------------------------------------------
constexpr uint32_t PO(uint32_t w) { return w >> 26; }
constexpr unsigned RT(uint32_t w) { return (w >> 21) & 31; }  // also RS, BO, TO, BT, FRT, FRS
constexpr unsigned RA(uint32_t w) { return (w >> 16) & 31; }  // also BI, BA, FRA
constexpr unsigned RB(uint32_t w) { return (w >> 11) & 31; }  // also BB, SH (rlw), FRB
constexpr unsigned RC(uint32_t w) { return (w >> 6) & 31; }   // also MB (rlw), BC (isel), FRC
constexpr unsigned ME(uint32_t w) { return (w >> 1) & 31; }
constexpr bool Rc(uint32_t w) { return w & 1; }
constexpr bool OE(uint32_t w) { return (w >> 10) & 1; }
constexpr bool LK(uint32_t w) { return w & 1; }
constexpr bool AA(uint32_t w) { return (w >> 1) & 1; }
constexpr unsigned BF(uint32_t w) { return (w >> 23) & 7; }
constexpr unsigned BFA(uint32_t w) { return (w >> 18) & 7; }
constexpr bool L10(uint32_t w) { return (w >> 21) & 1; }      // L of cmp
constexpr int64_t SI(uint32_t w) { return int16_t(w & 0xffff); }
constexpr uint64_t UI(uint32_t w) { return w & 0xffff; }
constexpr int64_t DS(uint32_t w) { return int16_t(w & 0xfffc); }
constexpr int64_t BD(uint32_t w) { return int16_t(w & 0xfffc); }
constexpr int64_t LI(uint32_t w) { return int32_t((w & 0x03fffffc) << 6) >> 6; }
constexpr unsigned SPR(uint32_t w) { return ((w >> 16) & 31) | (((w >> 11) & 31) << 5); }
constexpr unsigned FXM(uint32_t w) { return (w >> 12) & 0xff; }
// mtfsf's FLM, L and W, mtfsfi's U (and W).
constexpr unsigned FLM(uint32_t w) { return (w >> 17) & 0xff; }
constexpr bool L6(uint32_t w) { return (w >> 25) & 1; }
constexpr bool W15(uint32_t w) { return (w >> 16) & 1; }
constexpr unsigned U4(uint32_t w) { return (w >> 12) & 0xf; }
constexpr unsigned SH64(uint32_t w) { return ((w >> 11) & 31) | (((w >> 1) & 1) << 5); }  // MD, XS
constexpr unsigned MB64(uint32_t w) { return ((w >> 6) & 31) | (((w >> 5) & 1) << 5); }   // MD, MDS

}  // namespace dusim::ppc
