// Logical operations, sign extension, counting, rotates and shifts.
// X-form logical instructions write RA from RS (the RT field) and RB.
#include "cpu_ppc64/exec_common.h"

namespace dusim::ppc {

static inline void set_ra(Cpu& c, uint32_t w, uint64_t v) {
  c.gpr[RA(w)] = v;
  if (Rc(w)) c.set_cr0(v);
}

// ---- immediate ----
DEF(andi_rc) {
  uint64_t v = c.gpr[RT(i.raw)] & UI(i.raw);
  c.gpr[RA(i.raw)] = v;
  c.set_cr0(v);
}
DEF(andis_rc) {
  uint64_t v = c.gpr[RT(i.raw)] & (UI(i.raw) << 16);
  c.gpr[RA(i.raw)] = v;
  c.set_cr0(v);
}
DEF(ori) { c.gpr[RA(i.raw)] = c.gpr[RT(i.raw)] | UI(i.raw); }
DEF(oris) { c.gpr[RA(i.raw)] = c.gpr[RT(i.raw)] | (UI(i.raw) << 16); }
DEF(xori) { c.gpr[RA(i.raw)] = c.gpr[RT(i.raw)] ^ UI(i.raw); }
DEF(xoris) { c.gpr[RA(i.raw)] = c.gpr[RT(i.raw)] ^ (UI(i.raw) << 16); }

// ---- register ----
#define LOGICAL(name, expr)                      \
  DEF(name) {                                    \
    uint32_t w = i.raw;                          \
    uint64_t s = c.gpr[RT(w)], b = c.gpr[RB(w)]; \
    (void)b;                                     \
    set_ra(c, w, (expr));                        \
  }
LOGICAL(and_, s & b)
LOGICAL(andc, s & ~b)
LOGICAL(or_, s | b)
LOGICAL(orc, s | ~b)
LOGICAL(xor_, s ^ b)
LOGICAL(nor, ~(s | b))
LOGICAL(nand, ~(s & b))
LOGICAL(eqv, ~(s ^ b))
LOGICAL(extsb, uint64_t(int64_t(int8_t(s))))
LOGICAL(extsh, uint64_t(int64_t(int16_t(s))))
LOGICAL(extsw, uint64_t(int64_t(int32_t(s))))
LOGICAL(cntlzw, uint64_t(std::countl_zero(uint32_t(s))))
LOGICAL(cntlzd, uint64_t(std::countl_zero(s)))
LOGICAL(popcntd, uint64_t(std::popcount(s)))
#undef LOGICAL

DEF(popcntb) {
  uint64_t s = c.gpr[RT(i.raw)], r = 0;
  for (unsigned k = 0; k < 64; k += 8) r |= uint64_t(std::popcount((s >> k) & 0xff)) << k;
  c.gpr[RA(i.raw)] = r;
}
DEF(popcntw) {
  uint64_t s = c.gpr[RT(i.raw)];
  c.gpr[RA(i.raw)] = uint64_t(std::popcount(s & 0xffffffffu)) | (uint64_t(std::popcount(s >> 32)) << 32);
}
// Parity of the least significant bit of each byte of a word / doubleword.
DEF(prtyw) {
  uint64_t s = c.gpr[RT(i.raw)] & 0x0101010101010101ull;
  uint64_t lo = std::popcount(s & 0xffffffffu) & 1, hi = std::popcount(s >> 32) & 1;
  c.gpr[RA(i.raw)] = lo | (hi << 32);
}
DEF(prtyd) { c.gpr[RA(i.raw)] = std::popcount(c.gpr[RT(i.raw)] & 0x0101010101010101ull) & 1; }
DEF(cmpb) {
  uint64_t s = c.gpr[RT(i.raw)], b = c.gpr[RB(i.raw)], r = 0;
  for (unsigned k = 0; k < 64; k += 8)
    if (((s ^ b) >> k & 0xff) == 0) r |= uint64_t(0xff) << k;
  c.gpr[RA(i.raw)] = r;
}

// ---- rotate ----
DEF(rlwinm) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl32(c.gpr[RT(w)], RB(w)) & mask64(RC(w) + 32, ME(w) + 32));
}
DEF(rlwnm) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl32(c.gpr[RT(w)], c.gpr[RB(w)] & 31) & mask64(RC(w) + 32, ME(w) + 32));
}
DEF(rlwimi) {
  uint32_t w = i.raw;
  uint64_t m = mask64(RC(w) + 32, ME(w) + 32);
  set_ra(c, w, (rotl32(c.gpr[RT(w)], RB(w)) & m) | (c.gpr[RA(w)] & ~m));
}
DEF(rldicl) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl64(c.gpr[RT(w)], SH64(w)) & mask64(MB64(w), 63));
}
DEF(rldicr) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl64(c.gpr[RT(w)], SH64(w)) & mask64(0, MB64(w)));
}
DEF(rldic) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl64(c.gpr[RT(w)], SH64(w)) & mask64(MB64(w), 63 - SH64(w)));
}
DEF(rldimi) {
  uint32_t w = i.raw;
  uint64_t m = mask64(MB64(w), 63 - SH64(w));
  set_ra(c, w, (rotl64(c.gpr[RT(w)], SH64(w)) & m) | (c.gpr[RA(w)] & ~m));
}
DEF(rldcl) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl64(c.gpr[RT(w)], c.gpr[RB(w)] & 63) & mask64(MB64(w), 63));
}
DEF(rldcr) {
  uint32_t w = i.raw;
  set_ra(c, w, rotl64(c.gpr[RT(w)], c.gpr[RB(w)] & 63) & mask64(0, MB64(w)));
}

// ---- shift ----
DEF(slw) {
  uint32_t w = i.raw;
  unsigned n = c.gpr[RB(w)] & 63;
  set_ra(c, w, n & 32 ? 0 : uint64_t(uint32_t(c.gpr[RT(w)] << n)));
}
DEF(srw) {
  uint32_t w = i.raw;
  unsigned n = c.gpr[RB(w)] & 63;
  set_ra(c, w, n & 32 ? 0 : uint64_t(uint32_t(c.gpr[RT(w)]) >> n));
}
DEF(sld) {
  uint32_t w = i.raw;
  unsigned n = c.gpr[RB(w)] & 127;
  set_ra(c, w, n & 64 ? 0 : c.gpr[RT(w)] << n);
}
DEF(srd) {
  uint32_t w = i.raw;
  unsigned n = c.gpr[RB(w)] & 127;
  set_ra(c, w, n & 64 ? 0 : c.gpr[RT(w)] >> n);
}

// Algebraic right shifts: CA is set when the source is negative and any 1
// bits are shifted out.
static inline void sra32(Cpu& c, uint32_t w, unsigned n) {
  int32_t s = int32_t(c.gpr[RT(w)]);
  int64_t r;
  bool ca;
  if (n >= 32) {
    r = s < 0 ? -1 : 0;
    ca = s < 0;
  } else {
    r = s >> n;
    ca = s < 0 && (uint32_t(s) & ((1u << n) - 1)) != 0;
  }
  c.xer_ca = ca;
  set_ra(c, w, uint64_t(r));
}
static inline void sra64(Cpu& c, uint32_t w, unsigned n) {
  int64_t s = int64_t(c.gpr[RT(w)]);
  int64_t r;
  bool ca;
  if (n >= 64) {
    r = s < 0 ? -1 : 0;
    ca = s < 0;
  } else {
    r = s >> n;
    ca = s < 0 && n && (uint64_t(s) & ((uint64_t(1) << n) - 1)) != 0;
  }
  c.xer_ca = ca;
  set_ra(c, w, uint64_t(r));
}
DEF(sraw) { sra32(c, i.raw, c.gpr[RB(i.raw)] & 63); }
DEF(srawi) { sra32(c, i.raw, RB(i.raw)); }
DEF(srad) { sra64(c, i.raw, c.gpr[RB(i.raw)] & 127); }
DEF(sradi) { sra64(c, i.raw, SH64(i.raw)); }

}  // namespace dusim::ppc
