// The floating-point unit's arithmetic (Power ISA 2.06 Book I chapter 4),
// on the 64-bit register images of FPRs, and the FPSCR's bits.
//
// Every operation computes its exact result with integer arithmetic and
// rounds it once, to double precision or to single precision (the single
// forms, frsp and fcfid[u]s keep their result in double format, as the FPRs
// do). No host floating point is involved, so results and flags are the
// same on every host whatever its FPU mode: IEEE 754 rounding in the four
// FPSCR[RN] modes (and ties-away for frin), subnormals, tininess detected
// before rounding, the exponent-adjusted results of enabled overflow and
// underflow, and Power's NaN rules (the first NaN operand in the order
// FRA, FRB, FRC, quieted; 0x7ff8000000000000 for invalid operations).
//
// qemu-ppc64 is the oracle: where it departs from the ISA text, the
// functions here and the instruction bodies (exec_fp.cc) follow it, and say so.
#pragma once

#include <cstdint>

namespace dusim::ppc::fpu {

// FPSCR bits, numbered from the least significant bit of the 64-bit
// register (IBM bit 63 - n). The upper word holds only DRN (decimal rounding).
namespace fpscr {
constexpr uint64_t FX = 1u << 31, FEX = 1u << 30, VX = 1u << 29, OX = 1u << 28, UX = 1u << 27, ZX = 1u << 26,
                   XX = 1u << 25, VXSNAN = 1u << 24, VXISI = 1u << 23, VXIDI = 1u << 22, VXZDZ = 1u << 21,
                   VXIMZ = 1u << 20, VXVC = 1u << 19, FR = 1u << 18, FI = 1u << 17, C = 1u << 16, FL = 1u << 15,
                   FG = 1u << 14, FE = 1u << 13, FU = 1u << 12, VXSOFT = 1u << 10, VXSQRT = 1u << 9,
                   VXCVI = 1u << 8, VE = 1u << 7, OE = 1u << 6, UE = 1u << 5, ZE = 1u << 4, XE = 1u << 3,
                   NI = 1u << 2, RN = 3;
constexpr uint64_t FPCC = FL | FG | FE | FU, FPRF = C | FPCC;
constexpr uint64_t kFprfShift = 12;
// The invalid-operation causes, whose OR is VX.
constexpr uint64_t IX = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
// What mtfsf, mtfsfi, mtfsb0/1 and mcrfs can write: all but FEX, VX (both
// computed), reserved bit 52 and the reserved upper word outside DRN.
constexpr uint64_t kWritable = 0x7ull << 32 | (0xffffffffull & ~(FEX | VX | 1u << 11));
// The exception bits mcrfs clears in the field it copies.
constexpr uint64_t kSticky = FX | OX | UX | ZX | XX | IX;
}  // namespace fpscr

// Exception conditions one operation raised (the caller turns them into FPSCR bits).
namespace flag {
constexpr uint32_t Inexact = 1, Overflow = 2, Underflow = 4, DivZero = 8, VxSnan = 16, VxIsi = 32, VxIdi = 64,
                   VxZdz = 128, VxImz = 256, VxSqrt = 512, VxCvi = 1024;
constexpr uint32_t Invalid = VxSnan | VxIsi | VxIdi | VxZdz | VxImz | VxSqrt | VxCvi;
}  // namespace flag

// Rounding: the FPSCR[RN] encodings, then ties-away (frin only).
enum class Round : uint8_t { Nearest = 0, Zero = 1, Up = 2, Down = 3, NearestAway = 4 };
enum class Prec : uint8_t { Double, Single };

// The state one operation runs in, and what it raised.
struct Env {
  Round round = Round::Nearest;
  bool adjust_overflow = false;   // FPSCR[OE]: an overflowing result keeps its exponent, less 1536 (192 single)
  bool adjust_underflow = false;  // FPSCR[UE]: a tiny result keeps its exponent, plus 1536 (192 single)
  uint32_t flags = 0;
};

constexpr uint64_t kDefaultNaN = 0x7ff8000000000000ull;
constexpr uint64_t kSign = 1ull << 63;

constexpr bool is_nan(uint64_t d) { return (d & ~kSign) > 0x7ff0000000000000ull; }
constexpr bool is_snan(uint64_t d) { return is_nan(d) && !(d & 0x0008000000000000ull); }
constexpr bool is_inf(uint64_t d) { return (d & ~kSign) == 0x7ff0000000000000ull; }
constexpr bool is_zero(uint64_t d) { return (d & ~kSign) == 0; }

// Arithmetic. Operand order is the instruction's: muladd computes
// (a * c) + b, negating b first (fmsub) and/or the result (fnm*), a
// NaN result excepted.
uint64_t add(Env& e, uint64_t a, uint64_t b, Prec p);
uint64_t sub(Env& e, uint64_t a, uint64_t b, Prec p);
uint64_t mul(Env& e, uint64_t a, uint64_t c, Prec p);
uint64_t div(Env& e, uint64_t a, uint64_t b, Prec p);
uint64_t sqrt(Env& e, uint64_t b, Prec p);
uint64_t muladd(Env& e, uint64_t a, uint64_t c, uint64_t b, bool negate_b, bool negate_result, Prec p);
// frsp: b rounded to single precision (in double format).
uint64_t round_to_single(Env& e, uint64_t b);
// frin/friz/frip/frim: b rounded to an integral value in mode r (Inexact is reported).
uint64_t round_to_integral(Env& e, uint64_t b, Round r);

// fcti*: b to a 32- or 64-bit integer in mode r. An invalid conversion
// raises VxCvi (and VxSnan for an SNaN) and gives what qemu gives: the
// nearest bound for infinities and out-of-range values, the "NaN value"
// (0x80000000, 0x8000000000000000, or 0 unsigned) for NaNs. 32-bit signed
// results are sign-extended, unsigned ones zero-extended.
uint64_t to_integer(Env& e, uint64_t b, bool is_signed, unsigned bits, Round r);
// fcfid*: a 64-bit integer to double or single precision.
uint64_t from_integer(Env& e, uint64_t v, bool is_signed, Prec p);

// fcmpu/fcmpo: the CR field value, 8 (less), 4 (greater), 2 (equal) or 1 (unordered).
unsigned compare(uint64_t a, uint64_t b);

// An FPSCR value as mtfsf (or mcrfs, mtfsb*) leaves it: reserved bits
// cleared, VX and FEX recomputed as the summaries they are.
uint64_t fpscr_written(uint64_t v);

// FPRF (class and FPCC, 5 bits) of a result in double format.
unsigned fprf_of(uint64_t d);

// The ISA's DOUBLE and SINGLE: the bit-exact conversions of lfs and stfs
// (no rounding, no exceptions).
uint64_t double_of_single(uint32_t s);
uint32_t single_of_double(uint64_t d);

}  // namespace dusim::ppc::fpu
