// The floating-point instructions: loads and stores, arithmetic, conversions,
// compares, moves and the FPSCR. The arithmetic itself is fpu.cc; here is
// what each instruction does with the registers, with the FPSCR and with
// interrupts, as qemu-ppc64 (the oracle) does it. Where qemu departs from
// the ISA text dusim follows qemu, except for fre/fres of zero, whose result
// the ISA fixes; each departure is named where it is made:
//  - FR is never set (only cleared, by invalid operations and zero divides);
//  - fcmpu/fcmpo clear FI; an fcmpo of a NaN sets FPRF to C|FU (0x11);
//  - FX is set by every exception that occurs, also one whose bit was set;
//  - fcti* leave FPRF alone (the ISA: undefined) but an invalid one sets
//    C|FU; fcfids, fcfidu and fcfidus do not set FPRF;
//  - FPRF classifies single-precision results as doubles (a single
//    subnormal is "normal");
//  - mtfsb1 does not set FX, and ignores NI, FEX and VX; NI has no effect;
//  - the negation of fnmadd/fnmsub applies before rounding (see fpu.cc).
//
// MSR[FP]=0 makes every one of them take the FP-unavailable interrupt
// (0x800). An enabled exception (FPSCR[FEX] set by the instruction) takes a
// program interrupt (0x700, SRR1 bit 43) when MSR[FE0] or MSR[FE1] is set;
// imprecise modes are run as precise. Without a handler (run-elf) either
// ends the run as a FloatingPoint fault, where qemu-ppc64 sends SIGFPE.
#include <fmt/format.h>

#include "cpu_ppc64/exec_common.h"
#include "cpu_ppc64/fpu.h"

namespace dusim::ppc {

namespace fs = fpu::fpscr;
using fpu::Prec;

namespace {

constexpr uint64_t kOne = 0x3ff0000000000000ull;

unsigned FRT(uint32_t w) { return RT(w); }
unsigned FRA(uint32_t w) { return RA(w); }
unsigned FRB(uint32_t w) { return RB(w); }
unsigned FRC(uint32_t w) { return RC(w); }

// False after taking the FP-unavailable interrupt (the body must stop).
bool fp_enabled(Cpu& c) {
  if (c.msr & msr::FP) [[likely]]
    return true;
  if (!c.env().has_vectors() || !(c.msr & msr::RI))
    throw GuestFault(FaultKind::FloatingPoint, "floating-point unavailable: an FP instruction with MSR[FP]=0");
  c.interrupt(vec::kFpUnavailable, c.pc, 0);
  return false;
}
#define FP_ON \
  if (!fp_enabled(c)) return

fpu::Env env_of(const Cpu& c) {
  fpu::Env e;
  e.round = fpu::Round(c.fpscr & fs::RN);
  e.adjust_overflow = c.fpscr & fs::OE;
  e.adjust_underflow = c.fpscr & fs::UE;
  return e;
}

void set_cr1(Cpu& c) { c.set_cr_field(1, uint32_t(c.fpscr >> 28)); }

// An enabled exception: the program interrupt, if MSR lets it through.
void enabled_exception(Cpu& c) {
  if (c.msr & (msr::FE0 | msr::FE1))
    c.program_check(FaultKind::FloatingPoint, prog::kFpEnabled,
                    fmt::format("floating-point enabled exception (FPSCR {:#010x})", uint32_t(c.fpscr)));
}

// Records an exception bit; true if its enable bit is set.
bool raise(Cpu& c, uint64_t bit, uint64_t enable) {
  c.fpscr |= bit | fs::FX;
  if (!(c.fpscr & enable)) return false;
  c.fpscr |= fs::FEX;
  return true;
}

// The FPSCR after one operation's flags, in qemu's order. Writes FRT
// (unless an enabled invalid operation or zero divide suppresses the
// result), FPRF if asked, CR1 for Rc=1, and takes an enabled exception.
void complete(Cpu& c, uint32_t w, uint64_t result, uint32_t f, bool set_fprf) {
  bool trap = false, suppress = false;
  if (f & fpu::flag::Invalid) {
    uint64_t cause = f & fpu::flag::VxImz ? fs::VXIMZ
                     : f & fpu::flag::VxIsi ? fs::VXISI
                     : f & fpu::flag::VxIdi ? fs::VXIDI
                     : f & fpu::flag::VxZdz ? fs::VXZDZ
                     : f & fpu::flag::VxSqrt ? fs::VXSQRT
                     : f & fpu::flag::VxCvi ? fs::VXCVI
                                            : 0;
    // A signalling NaN counts only where nothing else is invalid (qemu),
    // except for conversions, which report both.
    if (f & fpu::flag::VxSnan && (cause == 0 || cause == fs::VXCVI)) c.fpscr |= fs::VXSNAN;
    if (cause) {
      c.fpscr &= ~(fs::FR | fs::FI);
      if (!(c.fpscr & fs::VE)) c.fpscr = (c.fpscr & ~fs::FPCC) | fs::C | fs::FU;
      c.fpscr |= cause;
    }
    suppress = trap = raise(c, fs::VX, fs::VE);
  }
  if (f & fpu::flag::DivZero) {
    c.fpscr &= ~(fs::FR | fs::FI);
    if (raise(c, fs::ZX, fs::ZE)) suppress = trap = true;
  }
  if (!suppress) {
    c.fpr[FRT(w)] = result;
    if (set_fprf) c.fpscr = (c.fpscr & ~fs::FPRF) | uint64_t(fpu::fprf_of(result)) << fs::kFprfShift;
  }
  if (f & fpu::flag::Overflow) trap |= raise(c, fs::OX, fs::OE);
  else if (f & fpu::flag::Underflow) trap |= raise(c, fs::UX, fs::UE);
  if (f & fpu::flag::Inexact) trap |= raise(c, fs::XX, fs::XE);
  c.fpscr = f & fpu::flag::Inexact ? c.fpscr | fs::FI : c.fpscr & ~fs::FI;
  if (Rc(w)) set_cr1(c);
  if (trap) enabled_exception(c);
}

// mtfsf, mtfsfi, mtfsb0/1, mcrfs.
void store_fpscr(Cpu& c, uint64_t v) { c.fpscr = fpu::fpscr_written(v); }

// After mtfsf/mtfsfi/mtfsb1: CR1, then an enabled exception if FEX is set.
void finish_mtfs(Cpu& c, uint32_t w) {
  if (Rc(w)) set_cr1(c);
  if (c.fpscr & fs::FEX) enabled_exception(c);
}

// False (after the program interrupt) for an update form with RA=0.
bool update_ok(Cpu& c, uint32_t w) {
  if (RA(w) != 0) return true;
  c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "invalid form of a load/store with update");
  return false;
}

}  // namespace

void fp_exceptions_enabled(Cpu& c, uint64_t before) {
  constexpr uint64_t fe = msr::FE0 | msr::FE1;
  if ((before & fe) || !(c.msr & fe) || !(c.fpscr & fs::FEX)) return;
  if (!c.env().has_vectors() || !(c.msr & msr::RI))
    throw GuestFault(FaultKind::FloatingPoint, "floating-point enabled exception pending when MSR[FE0 FE1] was set");
  c.interrupt(vec::kProgram, c.npc, prog::kFpEnabled);
}

// ---- loads and stores ----
// lfs converts with DOUBLE, stfs with SINGLE (bit-exact, no exceptions).
#define FP_LOAD(name, EA, GET, UPDATE)  \
  DEF(name) {                          \
    FP_ON;                             \
    uint32_t w = i.raw;                \
    if (UPDATE && !update_ok(c, w)) return; \
    uint64_t ea = EA(c, w);            \
    c.fpr[FRT(w)] = GET;               \
    if (UPDATE) c.gpr[RA(w)] = ea;     \
  }
#define FP_STORE(name, EA, T, VALUE, UPDATE) \
  DEF(name) {                               \
    FP_ON;                                  \
    uint32_t w = i.raw;                     \
    if (UPDATE && !update_ok(c, w)) return; \
    uint64_t ea = EA(c, w);                 \
    uint64_t v = c.fpr[FRT(w)];             \
    c.mem.store<T>(ea, T(VALUE));           \
    if (UPDATE) c.gpr[RA(w)] = ea;          \
  }
#define SINGLE_IN fpu::double_of_single(c.mem.load<uint32_t>(ea))
#define DOUBLE_IN c.mem.load<uint64_t>(ea)
FP_LOAD(lfs, ea_d, SINGLE_IN, false)
FP_LOAD(lfsu, ea_d, SINGLE_IN, true)
FP_LOAD(lfsx, ea_x, SINGLE_IN, false)
FP_LOAD(lfsux, ea_x, SINGLE_IN, true)
FP_LOAD(lfd, ea_d, DOUBLE_IN, false)
FP_LOAD(lfdu, ea_d, DOUBLE_IN, true)
FP_LOAD(lfdx, ea_x, DOUBLE_IN, false)
FP_LOAD(lfdux, ea_x, DOUBLE_IN, true)
FP_LOAD(lfiwax, ea_x, uint64_t(int64_t(int32_t(c.mem.load<uint32_t>(ea)))), false)
FP_LOAD(lfiwzx, ea_x, uint64_t(c.mem.load<uint32_t>(ea)), false)
FP_STORE(stfs, ea_d, uint32_t, fpu::single_of_double(v), false)
FP_STORE(stfsu, ea_d, uint32_t, fpu::single_of_double(v), true)
FP_STORE(stfsx, ea_x, uint32_t, fpu::single_of_double(v), false)
FP_STORE(stfsux, ea_x, uint32_t, fpu::single_of_double(v), true)
FP_STORE(stfd, ea_d, uint64_t, v, false)
FP_STORE(stfdu, ea_d, uint64_t, v, true)
FP_STORE(stfdx, ea_x, uint64_t, v, false)
FP_STORE(stfdux, ea_x, uint64_t, v, true)
FP_STORE(stfiwx, ea_x, uint32_t, v, false)
#undef FP_LOAD
#undef FP_STORE

// Pairs: FRTp must be even (an odd one is an invalid form).
static void load_pair(Cpu& c, uint32_t w, uint64_t ea) {
  if (FRT(w) & 1) return c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "lfdp with an odd FRTp");
  uint64_t hi = c.mem.load<uint64_t>(ea), lo = c.mem.load<uint64_t>(ea + 8);
  c.fpr[FRT(w)] = hi;
  c.fpr[FRT(w) + 1] = lo;
}
static void store_pair(Cpu& c, uint32_t w, uint64_t ea) {
  if (FRT(w) & 1) return c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "stfdp with an odd FRSp");
  c.mem.store<uint64_t>(ea, c.fpr[FRT(w)]);
  c.mem.store<uint64_t>(ea + 8, c.fpr[FRT(w) + 1]);
}
#define FP_PAIR(name, MOVE, EA) \
  DEF(name) {                   \
    FP_ON;                      \
    MOVE(c, i.raw, EA(c, i.raw)); \
  }
FP_PAIR(lfdp, load_pair, ea_ds)
FP_PAIR(lfdpx, load_pair, ea_x)
FP_PAIR(stfdp, store_pair, ea_ds)
FP_PAIR(stfdpx, store_pair, ea_x)
#undef FP_PAIR

// ---- arithmetic ----
#define FP_BINARY(name, OP, P, A, B)                                    \
  DEF(name) {                                                           \
    FP_ON;                                                              \
    uint32_t w = i.raw;                                                 \
    fpu::Env e = env_of(c);                                             \
    uint64_t r = fpu::OP(e, c.fpr[A(w)], c.fpr[B(w)], Prec::P);         \
    complete(c, w, r, e.flags, true);                                   \
  }
FP_BINARY(fadd, add, Double, FRA, FRB)
FP_BINARY(fadds, add, Single, FRA, FRB)
FP_BINARY(fsub, sub, Double, FRA, FRB)
FP_BINARY(fsubs, sub, Single, FRA, FRB)
FP_BINARY(fmul, mul, Double, FRA, FRC)
FP_BINARY(fmuls, mul, Single, FRA, FRC)
FP_BINARY(fdiv, div, Double, FRA, FRB)
FP_BINARY(fdivs, div, Single, FRA, FRB)
#undef FP_BINARY

#define FP_UNARY(name, EXPR)                  \
  DEF(name) {                                 \
    FP_ON;                                    \
    uint32_t w = i.raw;                       \
    fpu::Env e = env_of(c);                   \
    uint64_t b = c.fpr[FRB(w)];               \
    uint64_t r = EXPR;                        \
    complete(c, w, r, e.flags, true);         \
  }
FP_UNARY(fsqrt, fpu::sqrt(e, b, Prec::Double))
FP_UNARY(fsqrts, fpu::sqrt(e, b, Prec::Single))
// The estimates are qemu's: the correctly rounded 1/b, and 1/sqrt(b) from
// the rounded square root. qemu gives 0.5 for fre(+-0) and fres(+-0); the
// ISA fixes that result at +-infinity, which dusim gives.
FP_UNARY(fre, fpu::div(e, kOne, b, Prec::Double))
FP_UNARY(fres, fpu::div(e, kOne, b, Prec::Single))
FP_UNARY(frsqrte, fpu::div(e, kOne, fpu::sqrt(e, b, Prec::Double), Prec::Double))
FP_UNARY(frsqrtes, fpu::div(e, kOne, fpu::sqrt(e, b, Prec::Double), Prec::Single))
FP_UNARY(frsp, fpu::round_to_single(e, b))
#undef FP_UNARY

#define FP_MULADD(name, NEG_B, NEG_R, P)                                                       \
  DEF(name) {                                                                                  \
    FP_ON;                                                                                     \
    uint32_t w = i.raw;                                                                        \
    fpu::Env e = env_of(c);                                                                    \
    uint64_t r = fpu::muladd(e, c.fpr[FRA(w)], c.fpr[FRC(w)], c.fpr[FRB(w)], NEG_B, NEG_R, Prec::P); \
    complete(c, w, r, e.flags, true);                                                          \
  }
FP_MULADD(fmadd, false, false, Double)
FP_MULADD(fmadds, false, false, Single)
FP_MULADD(fmsub, true, false, Double)
FP_MULADD(fmsubs, true, false, Single)
FP_MULADD(fnmadd, false, true, Double)
FP_MULADD(fnmadds, false, true, Single)
FP_MULADD(fnmsub, true, true, Double)
FP_MULADD(fnmsubs, true, true, Single)
#undef FP_MULADD

// fsel: FRC if FRA >= 0 (-0 included, NaN not), else FRB. No FPSCR change.
DEF(fsel) {
  FP_ON;
  uint32_t w = i.raw;
  uint64_t a = c.fpr[FRA(w)];
  bool ge = !fpu::is_nan(a) && (!(a >> 63) || fpu::is_zero(a));
  c.fpr[FRT(w)] = ge ? c.fpr[FRC(w)] : c.fpr[FRB(w)];
  if (Rc(w)) set_cr1(c);
}

// ---- rounding and conversion ----
#define FP_TO_INT(name, SIGNED, BITS, MODE)                           \
  DEF(name) {                                                         \
    FP_ON;                                                            \
    uint32_t w = i.raw;                                               \
    fpu::Env e = env_of(c);                                           \
    uint64_t r = fpu::to_integer(e, c.fpr[FRB(w)], SIGNED, BITS, MODE); \
    complete(c, w, r, e.flags, false);                                \
  }
FP_TO_INT(fctiw, true, 32, e.round)
FP_TO_INT(fctiwz, true, 32, fpu::Round::Zero)
FP_TO_INT(fctiwu, false, 32, e.round)
FP_TO_INT(fctiwuz, false, 32, fpu::Round::Zero)
FP_TO_INT(fctid, true, 64, e.round)
FP_TO_INT(fctidz, true, 64, fpu::Round::Zero)
FP_TO_INT(fctidu, false, 64, e.round)
FP_TO_INT(fctiduz, false, 64, fpu::Round::Zero)
#undef FP_TO_INT

#define FP_FROM_INT(name, SIGNED, P, FPRF)                               \
  DEF(name) {                                                            \
    FP_ON;                                                               \
    uint32_t w = i.raw;                                                  \
    fpu::Env e = env_of(c);                                              \
    uint64_t r = fpu::from_integer(e, c.fpr[FRB(w)], SIGNED, Prec::P);   \
    complete(c, w, r, e.flags, FPRF);                                    \
  }
FP_FROM_INT(fcfid, true, Double, true)
FP_FROM_INT(fcfidu, false, Double, false)
FP_FROM_INT(fcfids, true, Single, false)
FP_FROM_INT(fcfidus, false, Single, false)
#undef FP_FROM_INT

// fri*: Inexact is not reported (no XX, FI cleared), as in qemu.
#define FP_ROUND_INT(name, MODE)                                          \
  DEF(name) {                                                             \
    FP_ON;                                                                \
    uint32_t w = i.raw;                                                   \
    fpu::Env e = env_of(c);                                               \
    uint64_t r = fpu::round_to_integral(e, c.fpr[FRB(w)], fpu::Round::MODE); \
    complete(c, w, r, e.flags & ~fpu::flag::Inexact, true);               \
  }
FP_ROUND_INT(frin, NearestAway)
FP_ROUND_INT(friz, Zero)
FP_ROUND_INT(frip, Up)
FP_ROUND_INT(frim, Down)
#undef FP_ROUND_INT

// ---- compare and test ----
static void fp_compare(Cpu& c, uint32_t w, bool ordered) {
  uint64_t a = c.fpr[FRA(w)], b = c.fpr[FRB(w)];
  unsigned r = fpu::compare(a, b);
  c.fpscr = (c.fpscr & ~fs::FPCC) | uint64_t(r) << fs::kFprfShift;
  c.set_cr_field(BF(w), r);
  bool trap = false;
  if (r == 1 && ordered) {
    c.fpscr = (c.fpscr & ~fs::FPCC) | fs::C | fs::FU;
    c.fpscr |= fs::VXVC;
    trap |= raise(c, fs::VX, fs::VE);
  }
  if (r == 1 && (fpu::is_snan(a) || fpu::is_snan(b))) {
    c.fpscr |= fs::VXSNAN;
    trap |= raise(c, fs::VX, fs::VE);
  }
  c.fpscr &= ~fs::FI;
  if (trap) enabled_exception(c);
}
DEF(fcmpu) {
  FP_ON;
  fp_compare(c, i.raw, false);
}
DEF(fcmpo) {
  FP_ON;
  fp_compare(c, i.raw, true);
}

static int unbiased_exp(uint64_t d) { return int((d >> 52) & 0x7ff) - 1023; }
static bool zero_or_subnormal(uint64_t d) { return ((d >> 52) & 0x7ff) == 0; }

// ftdiv/ftsqrt: CR field 0b1000 | FG << 2 | FE << 1, FE when the operands
// are ones a software divide or square root must treat specially.
DEF(ftdiv) {
  FP_ON;
  uint32_t w = i.raw;
  uint64_t a = c.fpr[FRA(w)], b = c.fpr[FRB(w)];
  bool fe = false, fg = false;
  if (fpu::is_inf(a) || fpu::is_inf(b) || fpu::is_zero(b)) {
    fe = fg = true;
  } else {
    int ea = unbiased_exp(a), eb = unbiased_exp(b);
    if (fpu::is_nan(a) || fpu::is_nan(b) || eb <= -1022 || eb >= 1021)
      fe = true;
    else if (!fpu::is_zero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970))
      fe = true;
    fg = zero_or_subnormal(b);
  }
  c.set_cr_field(BF(w), 8 | fg << 2 | fe << 1);
}
DEF(ftsqrt) {
  FP_ON;
  uint32_t w = i.raw;
  uint64_t b = c.fpr[FRB(w)];
  bool fe = false, fg = false;
  if (fpu::is_inf(b) || fpu::is_zero(b)) {
    fe = fg = true;
  } else {
    fe = fpu::is_nan(b) || (b >> 63) || unbiased_exp(b) <= -1022 + 52;
    fg = zero_or_subnormal(b);
  }
  c.set_cr_field(BF(w), 8 | fg << 2 | fe << 1);
}

// ---- moves: bit operations, no FPSCR change ----
#define FP_MOVE(name, EXPR)            \
  DEF(name) {                          \
    FP_ON;                             \
    uint32_t w = i.raw;                \
    uint64_t b = c.fpr[FRB(w)];        \
    c.fpr[FRT(w)] = EXPR;              \
    if (Rc(w)) set_cr1(c);             \
  }
FP_MOVE(fmr, b)
FP_MOVE(fneg, b ^ fpu::kSign)
FP_MOVE(fabs, b & ~fpu::kSign)
FP_MOVE(fnabs, b | fpu::kSign)
FP_MOVE(fcpsgn, (c.fpr[FRA(w)] & fpu::kSign) | (b & ~fpu::kSign))
#undef FP_MOVE

// ---- the FPSCR ----
DEF(mffs) {
  FP_ON;
  c.fpr[FRT(i.raw)] = c.fpscr;
  if (Rc(i.raw)) set_cr1(c);
}

// mcrfs: a field of the FPSCR to a CR field; the exception bits copied are cleared.
DEF(mcrfs) {
  FP_ON;
  uint32_t w = i.raw;
  unsigned shift = 4 * (7 - BFA(w));
  c.set_cr_field(BF(w), uint32_t(c.fpscr >> shift) & 0xf);
  store_fpscr(c, c.fpscr & ~((uint64_t(0xf) << shift) & fs::kSticky));
}

// mtfsf FLM,FRB,L,W: the fields FLM selects (in the upper word with W=1),
// or all of them with L=1.
DEF(mtfsf) {
  FP_ON;
  uint32_t w = i.raw;
  unsigned fields = L6(w) ? 0xffff : FLM(w) << (W15(w) ? 8 : 0);
  uint64_t mask = 0;
  for (unsigned n = 0; n < 16; ++n)
    if (fields & (1u << n)) mask |= uint64_t(0xf) << (4 * n);
  store_fpscr(c, (c.fpr[FRB(w)] & mask) | (c.fpscr & ~mask));
  finish_mtfs(c, w);
}

// mtfsfi BF,U,W: U into field BF (of the upper word with W=1).
DEF(mtfsfi) {
  FP_ON;
  uint32_t w = i.raw;
  unsigned field = 8 * W15(w) + 7 - BF(w);
  uint64_t mask = uint64_t(0xf) << (4 * field);
  store_fpscr(c, (uint64_t(U4(w)) << (4 * field)) | (c.fpscr & ~mask));
  finish_mtfs(c, w);
}

DEF(mtfsb0) {
  FP_ON;
  uint32_t w = i.raw;
  uint64_t bit = uint64_t(1) << (31 - RT(w));
  if (bit != fs::FEX && bit != fs::VX && (c.fpscr & bit)) store_fpscr(c, c.fpscr & ~bit);
  if (Rc(w)) set_cr1(c);
}

DEF(mtfsb1) {
  FP_ON;
  uint32_t w = i.raw;
  uint64_t bit = uint64_t(1) << (31 - RT(w));
  if (bit != fs::FEX && bit != fs::VX && bit != fs::NI && !(c.fpscr & bit)) store_fpscr(c, c.fpscr | bit);
  finish_mtfs(c, w);
}

}  // namespace dusim::ppc
