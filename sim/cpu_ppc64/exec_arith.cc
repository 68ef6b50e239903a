// Fixed-point arithmetic, compares, traps and isel.
//
// Where the architecture leaves a result undefined (divide by zero or
// overflow, the high word of 32-bit multiply-high and divide results), dusim
// produces what qemu-ppc64 produces, so the two can be compared exactly:
// word results are zero-extended, and a bad divisor yields the dividend for
// divw/divd and zero for the extended divides.
#include "cpu_ppc64/exec_common.h"

namespace dusim::ppc {

// ---- immediate ----
DEF(addi) { c.gpr[RT(i.raw)] = ra0(c, i.raw) + SI(i.raw); }
DEF(addis) { c.gpr[RT(i.raw)] = ra0(c, i.raw) + uint64_t(SI(i.raw) << 16); }
DEF(addic) {
  Sum s = add3(c.gpr[RA(i.raw)], SI(i.raw), 0);
  c.gpr[RT(i.raw)] = s.r;
  c.xer_ca = s.ca;
}
DEF(addic_rc) {
  exec_addic(c, i);
  c.set_cr0(c.gpr[RT(i.raw)]);
}
DEF(subfic) {
  Sum s = add3(~c.gpr[RA(i.raw)], SI(i.raw), 1);
  c.gpr[RT(i.raw)] = s.r;
  c.xer_ca = s.ca;
}
// The low 64 bits of the product, in unsigned arithmetic (signed overflow would be
// undefined in C++; the bits are the same: found by the UBSan build).
DEF(mulli) { c.gpr[RT(i.raw)] = c.gpr[RA(i.raw)] * uint64_t(SI(i.raw)); }

// ---- add/subtract family: RT = A + B + carry-in ----
#define ADD_FORM(name, A, B, CIN, SETS_CA)   \
  DEF(name) {                                \
    uint32_t w = i.raw;                      \
    uint64_t a = c.gpr[RA(w)];               \
    uint64_t b = c.gpr[RB(w)];               \
    (void)b;                                 \
    Sum s = add3((A), (B), (CIN));           \
    c.gpr[RT(w)] = s.r;                      \
    if (SETS_CA) c.xer_ca = s.ca;            \
    finish_xo(c, w, s.r, s.ov);              \
  }
ADD_FORM(add, a, b, 0, false)
ADD_FORM(addc, a, b, 0, true)
ADD_FORM(adde, a, b, c.xer_ca, true)
ADD_FORM(addme, a, ~uint64_t(0), c.xer_ca, true)
ADD_FORM(addze, a, 0, c.xer_ca, true)
ADD_FORM(subf, ~a, b, 1, false)
ADD_FORM(subfc, ~a, b, 1, true)
ADD_FORM(subfe, ~a, b, c.xer_ca, true)
ADD_FORM(subfme, ~a, ~uint64_t(0), c.xer_ca, true)
ADD_FORM(subfze, ~a, 0, c.xer_ca, true)
ADD_FORM(neg, ~a, 0, 1, false)
#undef ADD_FORM

// ---- multiply ----
DEF(mullw) {
  uint32_t w = i.raw;
  int64_t p = int64_t(int32_t(c.gpr[RA(w)])) * int64_t(int32_t(c.gpr[RB(w)]));
  c.gpr[RT(w)] = uint64_t(p);
  finish_xo(c, w, uint64_t(p), p != int64_t(int32_t(p)));
}
DEF(mulld) {
  uint32_t w = i.raw;
  __int128 p = (__int128)int64_t(c.gpr[RA(w)]) * int64_t(c.gpr[RB(w)]);
  uint64_t r = uint64_t(p);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, p != (__int128)int64_t(r));
}
DEF(mulhw) {
  uint32_t w = i.raw;
  int64_t p = int64_t(int32_t(c.gpr[RA(w)])) * int64_t(int32_t(c.gpr[RB(w)]));
  uint64_t r = uint32_t(uint64_t(p) >> 32);
  c.gpr[RT(w)] = r;
  if (Rc(w)) c.set_cr0(r);
}
DEF(mulhwu) {
  uint32_t w = i.raw;
  uint64_t p = uint64_t(uint32_t(c.gpr[RA(w)])) * uint32_t(c.gpr[RB(w)]);
  uint64_t r = p >> 32;
  c.gpr[RT(w)] = r;
  if (Rc(w)) c.set_cr0(r);
}
DEF(mulhd) {
  uint32_t w = i.raw;
  __int128 p = (__int128)int64_t(c.gpr[RA(w)]) * int64_t(c.gpr[RB(w)]);
  uint64_t r = uint64_t(p >> 64);
  c.gpr[RT(w)] = r;
  if (Rc(w)) c.set_cr0(r);
}
DEF(mulhdu) {
  uint32_t w = i.raw;
  unsigned __int128 p = (unsigned __int128)c.gpr[RA(w)] * c.gpr[RB(w)];
  uint64_t r = uint64_t(p >> 64);
  c.gpr[RT(w)] = r;
  if (Rc(w)) c.set_cr0(r);
}

// ---- divide ----
DEF(divw) {
  uint32_t w = i.raw;
  int32_t a = int32_t(c.gpr[RA(w)]), b = int32_t(c.gpr[RB(w)]);
  bool bad = b == 0 || (a == INT32_MIN && b == -1);
  uint64_t r = uint32_t(bad ? a : a / b);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divwu) {
  uint32_t w = i.raw;
  uint32_t a = uint32_t(c.gpr[RA(w)]), b = uint32_t(c.gpr[RB(w)]);
  bool bad = b == 0;
  uint64_t r = bad ? a : a / b;
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divd) {
  uint32_t w = i.raw;
  int64_t a = int64_t(c.gpr[RA(w)]), b = int64_t(c.gpr[RB(w)]);
  bool bad = b == 0 || (a == INT64_MIN && b == -1);
  uint64_t r = uint64_t(bad ? a : a / b);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divdu) {
  uint32_t w = i.raw;
  uint64_t a = c.gpr[RA(w)], b = c.gpr[RB(w)];
  bool bad = b == 0;
  uint64_t r = bad ? a : a / b;
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divwe) {
  uint32_t w = i.raw;
  int64_t a = int64_t(uint64_t(uint32_t(c.gpr[RA(w)])) << 32), b = int32_t(c.gpr[RB(w)]);
  bool bad = b == 0 || (a == INT64_MIN && b == -1);
  int64_t q = bad ? 0 : a / b;
  if (!bad && q != int64_t(int32_t(q))) bad = true;
  uint64_t r = bad ? 0 : uint32_t(q);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divweu) {
  uint32_t w = i.raw;
  uint64_t a = uint64_t(uint32_t(c.gpr[RA(w)])) << 32, b = uint32_t(c.gpr[RB(w)]);
  bool bad = b == 0;
  uint64_t q = bad ? 0 : a / b;
  if (q > UINT32_MAX) bad = true;
  uint64_t r = bad ? 0 : q;
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divde) {
  uint32_t w = i.raw;
  __int128 a = (__int128)int64_t(c.gpr[RA(w)]) * ((__int128)1 << 64);
  int64_t b = int64_t(c.gpr[RB(w)]);
  bool bad = b == 0;
  __int128 q = bad ? 0 : a / b;
  if (!bad && q != (__int128)int64_t(q)) bad = true;
  uint64_t r = bad ? 0 : uint64_t(q);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}
DEF(divdeu) {
  uint32_t w = i.raw;
  uint64_t a = c.gpr[RA(w)], b = c.gpr[RB(w)];
  bool bad = b == 0 || a >= b;
  uint64_t r = bad ? 0 : uint64_t(((unsigned __int128)a << 64) / b);
  c.gpr[RT(w)] = r;
  finish_xo(c, w, r, bad);
}

// ---- compare ----
static inline uint32_t cmp_field(int64_t a, int64_t b, bool so) { return (a < b ? 8u : a > b ? 4u : 2u) | so; }
static inline uint32_t cmpl_field(uint64_t a, uint64_t b, bool so) { return (a < b ? 8u : a > b ? 4u : 2u) | so; }

DEF(cmpi) {
  uint32_t w = i.raw;
  int64_t a = L10(w) ? int64_t(c.gpr[RA(w)]) : int64_t(int32_t(c.gpr[RA(w)]));
  c.set_cr_field(BF(w), cmp_field(a, SI(w), c.xer_so));
}
DEF(cmp) {
  uint32_t w = i.raw;
  int64_t a = L10(w) ? int64_t(c.gpr[RA(w)]) : int64_t(int32_t(c.gpr[RA(w)]));
  int64_t b = L10(w) ? int64_t(c.gpr[RB(w)]) : int64_t(int32_t(c.gpr[RB(w)]));
  c.set_cr_field(BF(w), cmp_field(a, b, c.xer_so));
}
DEF(cmpli) {
  uint32_t w = i.raw;
  uint64_t a = L10(w) ? c.gpr[RA(w)] : uint32_t(c.gpr[RA(w)]);
  c.set_cr_field(BF(w), cmpl_field(a, UI(w), c.xer_so));
}
DEF(cmpl) {
  uint32_t w = i.raw;
  uint64_t a = L10(w) ? c.gpr[RA(w)] : uint32_t(c.gpr[RA(w)]);
  uint64_t b = L10(w) ? c.gpr[RB(w)] : uint32_t(c.gpr[RB(w)]);
  c.set_cr_field(BF(w), cmpl_field(a, b, c.xer_so));
}

// ---- trap ----
static inline void trap_if(Cpu& c, unsigned to, int64_t a, int64_t b) {
  bool t = ((to & 0x10) && a < b) || ((to & 0x08) && a > b) || ((to & 0x04) && a == b) ||
           ((to & 0x02) && uint64_t(a) < uint64_t(b)) || ((to & 0x01) && uint64_t(a) > uint64_t(b));
  if (t) c.program_check(FaultKind::Trap, prog::kTrap, "trap instruction");
}
DEF(twi) { trap_if(c, RT(i.raw), int32_t(c.gpr[RA(i.raw)]), int32_t(SI(i.raw))); }
DEF(tdi) { trap_if(c, RT(i.raw), int64_t(c.gpr[RA(i.raw)]), SI(i.raw)); }
DEF(tw) { trap_if(c, RT(i.raw), int32_t(c.gpr[RA(i.raw)]), int32_t(c.gpr[RB(i.raw)])); }
DEF(td) { trap_if(c, RT(i.raw), int64_t(c.gpr[RA(i.raw)]), int64_t(c.gpr[RB(i.raw)])); }

DEF(isel) {
  uint32_t w = i.raw;
  c.gpr[RT(w)] = c.cr_bit(RC(w)) ? ra0(c, w) : c.gpr[RB(w)];
}

}  // namespace dusim::ppc
