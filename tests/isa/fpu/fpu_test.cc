// The FPU's arithmetic core (fpu.cc) against the host's IEEE 754 hardware,
// and the interrupts of exec_fp.cc on a real Cpu.
//
// The host oracle (x86-64 SSE2/FMA3, through inline assembly with MXCSR set
// for each operation: every exception masked, no FTZ/DAZ, the rounding mode
// under test) gives correctly rounded double results and the inexact and
// overflow flags. Power detects tininess before rounding, x86 after; the
// oracle's "before" comes from the same operation rounded toward zero, which
// stays below 2^-1022 exactly when the exact result does. Single-precision
// results are checked through rounding to odd: the double operation toward
// zero with the last bit set when inexact, then one conversion to single in
// the mode under test, is the correctly rounded single result (Boldo and
// Melquiond, "When double rounding is odd"; an exact result is taken in the
// mode itself, for the sign of a zero sum). NaN results are checked only
// for being NaNs (x86's NaN rules differ from Power's; the qemu comparisons
// cover them).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cpu_ppc64/cpu.h"
#include "cpu_ppc64/fpu.h"

namespace dusim::ppc {
namespace {

using fpu::Prec;
using fpu::Round;

uint64_t bits_of(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}
double double_of(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

// Operands: special values, values near the double and single boundaries,
// values whose operations cancel or round at ties, and random bit patterns.
class Operands {
 public:
  explicit Operands(uint64_t seed) : rng_(seed) {}
  uint64_t next() {
    static const uint64_t special[] = {
        0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x000fffffffffffff, 0x0010000000000000,
        0x0010000000000001, 0x7fefffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
        0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000001, 0x3fefffffffffffff, 0x4340000000000000,
        0x3ca0000000000000, 0x47efffffe0000000, 0x47effffff0000000, 0x3810000000000000, 0x36a0000000000000,
        0x3690000000000000, 0x380fffffe0000000, 0x3fe0000000000000, 0x4008000000000000};
    uint64_t sign = (rng_() & 1) << 63;
    switch (rng_() % 8) {
      case 0: return special[rng_() % std::size(special)] ^ sign;
      case 1:  // exponent near a boundary
      {
        static const int centres[] = {1, 1023 - 126, 1023 - 149, 1023 + 127, 2046, 1023, 1023 - 1022 + 52};
        int e = centres[rng_() % std::size(centres)] + int(rng_() % 7) - 3;
        e = std::clamp(e, 0, 2046);
        return sign | uint64_t(e) << 52 | (rng_() & 0xfffffffffffffull);
      }
      case 2:  // few significant bits: exact results and ties are common
        return sign | uint64_t(1023 + int(rng_() % 40) - 20) << 52 | (rng_() & 0xff00000000000ull);
      case 3:  // a single-precision value
        return sign | uint64_t(1023 - 150 + rng_() % 280) << 52 | (rng_() & 0xfffffe0000000ull);
      case 4: return sign | (rng_() & 0x000fffffffffffffull);  // subnormal
      default: return rng_();
    }
  }

 private:
  std::mt19937_64 rng_;
};

#if defined(__x86_64__)
// MXCSR exception flags.
constexpr uint32_t kIE = 1, kOE = 8, kPE = 32;

uint32_t mxcsr_of(Round r) {
  static const uint32_t rc[] = {0u << 13, 3u << 13, 2u << 13, 1u << 13};  // RN, RZ, RU, RD
  return 0x1f80 | rc[unsigned(r)];
}

enum class Op { Add, Sub, Mul, Div, Sqrt, Fma };

// One host operation in mode r; returns the double result and MXCSR's flags.
double host(Op op, Round r, double a, double b, double c, uint32_t& flags) {
  uint32_t saved, m = mxcsr_of(r), after;
  __asm__ volatile("stmxcsr %0" : "=m"(saved));
  __asm__ volatile("ldmxcsr %0" : : "m"(m));
  switch (op) {
    case Op::Add: __asm__ volatile("addsd %1, %0" : "+x"(a) : "x"(b)); break;
    case Op::Sub: __asm__ volatile("subsd %1, %0" : "+x"(a) : "x"(b)); break;
    case Op::Mul: __asm__ volatile("mulsd %1, %0" : "+x"(a) : "x"(b)); break;
    case Op::Div: __asm__ volatile("divsd %1, %0" : "+x"(a) : "x"(b)); break;
    case Op::Sqrt: __asm__ volatile("sqrtsd %1, %0" : "=x"(a) : "x"(b)); break;
    case Op::Fma: __asm__ volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b)); a = c; break;
  }
  __asm__ volatile("stmxcsr %0" : "=m"(after));
  __asm__ volatile("ldmxcsr %0" : : "m"(saved));
  flags = after & 0x3f;
  return a;
}

// The single-precision result in mode r, from the round-to-odd double.
double host_single(Op op, Round r, double a, double b, double c, uint32_t& flags, double& odd) {
  uint32_t f1, f2;
  odd = host(op, Round::Zero, a, b, c, f1);
  if (f1 & kPE) odd = double_of(bits_of(odd) | 1);
  else odd = host(op, r, a, b, c, f1);  // exact: the same value, with the mode's sign for a zero sum
  uint32_t saved, m = mxcsr_of(r), after;
  float s;
  __asm__ volatile("stmxcsr %0" : "=m"(saved));
  __asm__ volatile("ldmxcsr %0" : : "m"(m));
  __asm__ volatile("cvtsd2ss %1, %0" : "=x"(s) : "x"(odd));
  __asm__ volatile("stmxcsr %0" : "=m"(after));
  __asm__ volatile("ldmxcsr %0" : : "m"(saved));
  f2 = after & 0x3f;
  flags = (f1 & (kPE | kIE)) | (f2 & (kPE | kOE | kIE));
  return double(s);
}

uint64_t ours(Op op, fpu::Env& e, uint64_t a, uint64_t b, uint64_t c, Prec p) {
  switch (op) {
    case Op::Add: return fpu::add(e, a, b, p);
    case Op::Sub: return fpu::sub(e, a, b, p);
    case Op::Mul: return fpu::mul(e, a, b, p);
    case Op::Div: return fpu::div(e, a, b, p);
    case Op::Sqrt: return fpu::sqrt(e, b, p);
    case Op::Fma: return fpu::muladd(e, a, b, c, false, false, p);
  }
  return 0;
}

struct Tally {
  int compared = 0, failures = 0;
};

void check(Op op, Round r, Prec p, uint64_t a, uint64_t b, uint64_t c, Tally& t) {
  if (fpu::is_nan(a) || fpu::is_nan(b) || fpu::is_nan(c)) return;
  fpu::Env e{r};
  uint64_t got = ours(op, e, a, b, c, p);
  uint32_t hf;
  double odd = 0;
  double want = p == Prec::Double ? host(op, r, double_of(a), double_of(b), double_of(c), hf)
                                  : host_single(op, r, double_of(a), double_of(b), double_of(c), hf, odd);
  ++t.compared;
  bool invalid = hf & kIE;
  bool same = invalid ? fpu::is_nan(got) && (e.flags & fpu::flag::Invalid)
                      : got == bits_of(want) && bool(e.flags & fpu::flag::Inexact) == bool(hf & kPE) &&
                            bool(e.flags & fpu::flag::Overflow) == bool(hf & kOE) && !(e.flags & fpu::flag::Invalid);
  if (same && !invalid && p == Prec::Double) {
    // Tininess before rounding: |exact| < 2^-1022, decided by the toward-zero result.
    uint32_t zf;
    double z = host(op, Round::Zero, double_of(a), double_of(b), double_of(c), zf);
    bool tiny = std::fabs(z) < 0x1p-1022 && (z != 0 || (zf & kPE));
    same = bool(e.flags & fpu::flag::Underflow) == (tiny && (hf & kPE));
  } else if (same && !invalid) {
    bool tiny = std::fabs(odd) < 0x1p-126 && odd != 0;
    same = bool(e.flags & fpu::flag::Underflow) == (tiny && (hf & kPE));
  }
  if (!same && ++t.failures <= 10)
    ADD_FAILURE() << "op " << int(op) << " round " << int(r) << (p == Prec::Single ? " single" : " double") << " a "
                  << std::hex << a << " b " << b << " c " << c << ": ours " << got << " flags " << e.flags
                  << ", host " << bits_of(want) << " mxcsr " << hf;
}

void run_against_host(Op op, int per_mode, uint64_t seed) {
  Operands gen(seed);
  Tally t;
  for (Round r : {Round::Nearest, Round::Zero, Round::Up, Round::Down})
    for (int n = 0; n < per_mode; ++n) {
      uint64_t a = gen.next(), b = gen.next(), c = gen.next();
      check(op, r, Prec::Double, a, b, c, t);
      check(op, r, Prec::Single, a, b, c, t);
    }
  EXPECT_EQ(t.failures, 0);
  EXPECT_GT(t.compared, per_mode * 4);
}

TEST(FpuVsHost, Add) { run_against_host(Op::Add, 100000, 1); }
TEST(FpuVsHost, Sub) { run_against_host(Op::Sub, 100000, 2); }
TEST(FpuVsHost, Mul) { run_against_host(Op::Mul, 100000, 3); }
TEST(FpuVsHost, Div) { run_against_host(Op::Div, 100000, 4); }
TEST(FpuVsHost, Sqrt) { run_against_host(Op::Sqrt, 100000, 5); }
TEST(FpuVsHost, FusedMultiplyAdd) {
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "the host has no FMA3";
  run_against_host(Op::Fma, 100000, 6);
}

// Conversions: int64 to double (cvtsi2sd) and double to int64 toward zero
// (cvttsd2si) where the value fits.
TEST(FpuVsHost, Conversions) {
  Operands gen(7);
  std::mt19937_64 rng(8);
  for (int n = 0; n < 100000; ++n) {
    int64_t v = int64_t(rng()) >> (rng() % 64);
    fpu::Env e{Round::Nearest};
    EXPECT_EQ(fpu::from_integer(e, uint64_t(v), true, Prec::Double), bits_of(double(v))) << v;
    uint64_t d = gen.next();
    double x = double_of(d);
    if (!fpu::is_nan(d) && x > -9.2e18 && x < 9.2e18) {
      fpu::Env z{Round::Zero};
      EXPECT_EQ(int64_t(fpu::to_integer(z, d, true, 64, Round::Zero)), int64_t(x)) << std::hex << d;
    }
  }
}
#endif

// ---- on a Cpu -----------------------------------------------------------------

// 64 KiB of flat memory at 0, no fast path.
class FlatMemory final : public MemTarget {
 public:
  AccessResult access(unsigned, uint64_t addr, unsigned size, Access kind, uint8_t* data) override {
    AccessResult r;
    if (addr + size > bytes.size()) return r;
    r.ok = true;
    if (kind == Access::Read || kind == Access::Fetch) std::memcpy(data, &bytes[addr], size);
    if (kind == Access::Write) std::memcpy(&bytes[addr], data, size);
    return r;
  }
  std::vector<uint8_t> bytes = std::vector<uint8_t>(0x10000);
};

class Env final : public CpuEnv {
 public:
  explicit Env(bool vectors) : vectors_(vectors) {}
  void system_call(Cpu&) override {}
  uint64_t timebase(const Cpu&) override { return 0; }
  bool has_vectors() const override { return vectors_; }

 private:
  bool vectors_;
};

uint32_t a_form(unsigned po, unsigned frt, unsigned fra, unsigned frb, unsigned frc, unsigned xo) {
  return po << 26 | frt << 21 | fra << 16 | frb << 11 | frc << 6 | xo << 1;
}
uint32_t d_form(unsigned po, unsigned rt, unsigned ra, int16_t d) { return po << 26 | rt << 21 | ra << 16 | uint16_t(d); }

struct Machine {
  explicit Machine(bool vectors) : env(vectors), cpu(0, code, env) { cpu.mem.attach(&mem, 0, 12, &cpu.stall_cycles); }
  // Runs the one instruction `w` placed at 0x1000.
  void step(uint32_t w) {
    to_be<uint32_t>(&mem.bytes[0x1000], w);
    code.invalidate(0x1000, 4);
    cpu.pc = 0x1000;
    cpu.run(cpu.cycles + 1);
  }
  FlatMemory mem;
  CodeCache code;
  Env env;
  Cpu cpu;
};

constexpr uint64_t kInf = 0x7ff0000000000000ull;
namespace fs = fpu::fpscr;

TEST(FpuInterrupts, FpUnavailableTakesVector0x800) {
  Machine m(true);
  m.cpu.msr = msr::SF | msr::ME | msr::RI;  // MSR[FP] clear
  m.cpu.gpr[3] = 0x2000;
  to_be<uint64_t>(&m.mem.bytes[0x2000], 0x400921fb54442d18ull);
  uint32_t lfd = d_form(50, 1, 3, 0);  // lfd f1,0(r3)
  m.step(lfd);
  EXPECT_EQ(m.cpu.pc, vec::kFpUnavailable);
  EXPECT_EQ(m.cpu.srr0, 0x1000u);  // the instruction, to be re-executed
  EXPECT_EQ(m.cpu.fpr[1], 0u);
  EXPECT_FALSE(m.cpu.msr & msr::FP);
  // A handler sets MSR[FP] in SRR1 and returns: the load then runs.
  m.cpu.msr = m.cpu.srr1 | msr::FP;
  m.step(lfd);
  EXPECT_EQ(m.cpu.pc, 0x1004u);
  EXPECT_EQ(m.cpu.fpr[1], 0x400921fb54442d18ull);
}

TEST(FpuInterrupts, FpUnavailableWithoutHandlerEndsTheRun) {
  Machine m(false);
  m.cpu.msr = msr::SF | msr::PR | msr::RI;
  try {
    m.step(a_form(63, 1, 2, 3, 0, 21));  // fadd f1,f2,f3
    FAIL() << "no fault";
  } catch (const GuestFault& f) {
    EXPECT_EQ(f.kind, FaultKind::FloatingPoint);
    EXPECT_NE(std::string(f.what()).find("unavailable"), std::string::npos);
  }
}

TEST(FpuInterrupts, EnabledInvalidOperationSuppressesTheResultAndTraps) {
  Machine m(true);
  m.cpu.msr = msr::SF | msr::ME | msr::RI | msr::FP | msr::FE0 | msr::FE1;
  m.cpu.fpscr = fs::VE;
  m.cpu.fpr[1] = 0x1234;
  m.cpu.fpr[2] = kInf;
  m.cpu.fpr[3] = kInf | fpu::kSign;
  m.step(a_form(63, 1, 2, 3, 0, 21));  // fadd f1,f2,f3: inf - inf
  EXPECT_EQ(m.cpu.pc, vec::kProgram);
  EXPECT_EQ(m.cpu.srr0, 0x1000u);
  EXPECT_TRUE(m.cpu.srr1 & prog::kFpEnabled);
  EXPECT_EQ(m.cpu.fpr[1], 0x1234u) << "the target is not written";
  EXPECT_EQ(m.cpu.fpscr & (fs::FX | fs::FEX | fs::VX | fs::VXISI), fs::FX | fs::FEX | fs::VX | fs::VXISI);

  // MSR[FE0 FE1] = 0: the exception is recorded, no interrupt.
  Machine q(true);
  q.cpu.msr = msr::SF | msr::ME | msr::RI | msr::FP;
  q.cpu.fpscr = fs::ZE;
  q.cpu.fpr[1] = 0x1234;
  q.cpu.fpr[2] = 0x3ff0000000000000ull;
  q.step(a_form(63, 1, 2, 3, 0, 18));  // fdiv f1,f2,f3: 1/0
  EXPECT_EQ(q.cpu.pc, 0x1004u);
  EXPECT_EQ(q.cpu.fpr[1], 0x1234u);
  EXPECT_EQ(q.cpu.fpscr & (fs::FEX | fs::ZX), fs::FEX | fs::ZX);

  // In user mode (no vectors) it ends the run, as qemu-ppc64 sends SIGFPE.
  Machine u(false);
  u.cpu.msr = msr::SF | msr::PR | msr::RI | msr::FP | msr::FE0 | msr::FE1;
  u.cpu.fpscr = fs::VE;
  u.cpu.fpr[2] = kInf;
  u.cpu.fpr[3] = kInf | fpu::kSign;
  try {
    u.step(a_form(63, 1, 2, 3, 0, 21));
    FAIL() << "no fault";
  } catch (const GuestFault& f) {
    EXPECT_EQ(f.kind, FaultKind::FloatingPoint);
    EXPECT_NE(std::string(f.what()).find("enabled exception"), std::string::npos);
  }
}

// FEX already set when mtmsrd turns FE0/FE1 on: the interrupt comes at the
// next instruction.
TEST(FpuInterrupts, EnablingWithAPendingExceptionInterruptsAfterTheMsrWrite) {
  Machine m(true);
  m.cpu.msr = msr::SF | msr::ME | msr::RI | msr::FP;
  m.cpu.fpscr = fs::FX | fs::FEX | fs::VX | fs::VXISI | fs::VE;
  m.cpu.gpr[5] = m.cpu.msr | msr::FE0 | msr::FE1;
  m.step(31u << 26 | 5u << 21 | 178u << 1);  // mtmsrd r5
  EXPECT_EQ(m.cpu.pc, vec::kProgram);
  EXPECT_EQ(m.cpu.srr0, 0x1004u);
  EXPECT_TRUE(m.cpu.srr1 & prog::kFpEnabled);
  EXPECT_TRUE(m.cpu.srr1 & msr::FE0) << "SRR1 keeps the new MSR";
  // Already enabled: no new interrupt from an MSR write.
  m.cpu.msr = m.cpu.srr1 & ~prog::kFpEnabled;
  m.step(31u << 26 | 5u << 21 | 178u << 1);
  EXPECT_EQ(m.cpu.pc, 0x1004u);
}

TEST(FpuInterrupts, EnabledOverflowAndUnderflowDeliverAdjustedExponents) {
  Machine m(true);
  m.cpu.msr = msr::SF | msr::ME | msr::RI | msr::FP;  // recorded, not taken
  m.cpu.fpscr = fs::OE;
  volatile double big = 1e308, small = 1e-308;
  m.cpu.fpr[2] = bits_of(big);
  m.step(a_form(63, 1, 2, 0, 2, 25));  // fmul f1,f2,f2
  double scaled = big * 0x1p-768;
  EXPECT_EQ(m.cpu.fpr[1], bits_of(scaled * scaled)) << "1e616 / 2^1536";
  EXPECT_EQ(m.cpu.fpscr & (fs::OX | fs::FEX), fs::OX | fs::FEX);

  m.cpu.fpscr = fs::UE;
  m.cpu.fpr[2] = bits_of(small);
  m.step(a_form(63, 1, 2, 0, 2, 25));
  double up = small * 0x1p768;
  EXPECT_EQ(m.cpu.fpr[1], bits_of(up * up)) << "1e-616 * 2^1536";
  EXPECT_EQ(m.cpu.fpscr & (fs::UX | fs::FEX), fs::UX | fs::FEX);
}

}  // namespace
}  // namespace dusim::ppc
