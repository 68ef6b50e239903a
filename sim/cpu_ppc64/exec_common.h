// Shared by the exec_*.cc files: the body signature, operand shorthands and
// the arithmetic helpers whose flags every XO-form instruction needs.
#pragma once

#include <bit>
#include <cstdint>

#include "cpu_ppc64/cpu.h"
#include "cpu_ppc64/insn.h"

namespace dusim::ppc {

#define DEF(name) void exec_##name(Cpu& c, const Insn& i)

inline uint64_t ra0(const Cpu& c, uint32_t w) { return RA(w) ? c.gpr[RA(w)] : 0; }

// Effective addresses: D/DS forms use (RA|0) + displacement, X forms (RA|0) + RB.
inline uint64_t ea_d(const Cpu& c, uint32_t w) { return ra0(c, w) + SI(w); }
inline uint64_t ea_ds(const Cpu& c, uint32_t w) { return ra0(c, w) + DS(w); }
inline uint64_t ea_x(const Cpu& c, uint32_t w) { return ra0(c, w) + c.gpr[RB(w)]; }

// After an instruction that wrote the MSR (old value `before`): MSR[FE0 FE1]
// going from 0 to nonzero with FPSCR[FEX] set takes the FP enabled-exception
// program interrupt at the next instruction (Book III-S 6.5.9). exec_fp.cc.
void fp_exceptions_enabled(Cpu& c, uint64_t before);

// a + b + cin with carry-out and signed overflow, as the XO forms need them.
struct Sum {
  uint64_t r;
  bool ca, ov;
};
inline Sum add3(uint64_t a, uint64_t b, uint64_t cin) {
  unsigned __int128 s = (unsigned __int128)a + b + cin;
  uint64_t r = uint64_t(s);
  return {r, bool(s >> 64), bool((~(a ^ b) & (a ^ r)) >> 63)};
}

// XER[OV] (and sticky SO) when OE=1, then CR0 when Rc=1.
inline void finish_xo(Cpu& c, uint32_t w, uint64_t r, bool ov) {
  if (OE(w)) {
    c.xer_ov = ov;
    c.xer_so |= ov;
  }
  if (Rc(w)) c.set_cr0(r);
}

// MASK(mb, me) of the Power ISA for 64-bit positions, wrapping when mb > me.
inline uint64_t mask64(unsigned mb, unsigned me) {
  uint64_t a = ~uint64_t(0) >> mb;
  uint64_t b = ~uint64_t(0) << (63 - me);
  return mb <= me ? (a & b) : (a | b);
}
inline uint64_t rotl64(uint64_t x, unsigned n) { return std::rotl(x, int(n & 63)); }
// ROTL32: the low word doubled into both halves, then rotated.
inline uint64_t rotl32(uint64_t x, unsigned n) {
  uint64_t lo = x & 0xffffffffu;
  return rotl64(lo | (lo << 32), n & 31);
}

}  // namespace dusim::ppc
