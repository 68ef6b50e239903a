// Exact integer arithmetic and one rounding per operation; see fpu.h.
//
// A finite nonzero operand is unpacked to (sign, exp, sig) with value
// sig * 2^(exp - 63) and sig normalized (bit 63 set), so exp is the weight of
// its leading bit. Operations produce their exact result as a normalized
// 64-bit significand plus a sticky bit for anything below it, which is
// enough to round correctly to 53 bits, and round_pack() rounds it.
#include "cpu_ppc64/fpu.h"

#include <bit>
#include <utility>

namespace dusim::ppc::fpu {

namespace {

using u128 = unsigned __int128;

struct Format {
  int prec, emin, emax, bias_adjust;
};
constexpr Format kDouble{53, -1022, 1023, 1536}, kSingle{24, -126, 127, 192};
const Format& format(Prec p) { return p == Prec::Double ? kDouble : kSingle; }

struct Num {
  bool sign;
  int exp;
  uint64_t sig;
};

Num unpack(uint64_t d) {
  bool sign = d >> 63;
  int e = int(d >> 52) & 0x7ff;
  uint64_t f = d & 0xfffffffffffffull;
  if (e == 0) {  // subnormal (zero is handled by the callers)
    int lz = std::countl_zero(f);
    return {sign, -1074 + 63 - lz, f << lz};
  }
  return {sign, e - 1023, (f | 1ull << 52) << 11};
}

uint64_t signed_zero(bool sign) { return uint64_t(sign) << 63; }
uint64_t signed_inf(bool sign) { return uint64_t(sign) << 63 | 0x7ff0000000000000ull; }

// A NaN result: quieted; a single-precision result keeps only the fraction
// bits a single has (qemu rounds NaNs to the target format, as the ISA's
// single-precision operations do).
uint64_t quiet(uint64_t nan, Prec p) {
  nan |= 0x0008000000000000ull;
  return p == Prec::Single ? nan & ~0x1fffffffull : nan;
}

// R * 2^q (R < 2^54) into a double's bits.
uint64_t pack(bool sign, uint64_t r, int q) {
  if (r == 0) return signed_zero(sign);
  int msb = 63 - std::countl_zero(r);
  int e = q + msb;
  if (e >= -1022) {
    uint64_t frac = msb >= 52 ? r >> (msb - 52) : r << (52 - msb);
    return uint64_t(sign) << 63 | uint64_t(e + 1023) << 52 | (frac & 0xfffffffffffffull);
  }
  return uint64_t(sign) << 63 | r << (q + 1074);  // double subnormal: q >= -1074 here
}

// Rounds (sig + sticky) * 2^(exp - 63), sig normalized, to format p.
uint64_t round_pack(Env& env, bool sign, int exp, uint64_t sig, bool sticky, Prec p) {
  const Format& f = format(p);
  const bool tiny = exp < f.emin;  // before rounding, as Power detects it
  const bool adjust_tiny = tiny && env.adjust_underflow;
  // Weight of the result's last place.
  int q = (tiny && !adjust_tiny ? f.emin : exp) - (f.prec - 1);
  int drop = q - (exp - 63);  // bits of sig below the last place (>= 64 - prec)
  uint64_t r;
  bool guard, rest;
  if (drop > 64) {
    r = 0, guard = false, rest = true;
  } else if (drop == 64) {
    r = 0, guard = sig >> 63, rest = (sig << 1) != 0 || sticky;
  } else {
    r = sig >> drop;
    guard = (sig >> (drop - 1)) & 1;
    rest = (sig & ((1ull << (drop - 1)) - 1)) != 0 || sticky;
  }
  const bool inexact = guard || rest;
  bool up = false;
  switch (env.round) {
    case Round::Nearest: up = guard && (rest || (r & 1)); break;
    case Round::NearestAway: up = guard; break;
    case Round::Zero: break;
    case Round::Up: up = !sign && inexact; break;
    case Round::Down: up = sign && inexact; break;
  }
  r += up;
  if (inexact) env.flags |= flag::Inexact;
  if (tiny) {
    if (adjust_tiny) {
      env.flags |= flag::Underflow;  // enabled underflow: signalled even when exact
      q += f.bias_adjust;
    } else if (inexact) {
      env.flags |= flag::Underflow;
    }
    return pack(sign, r, q);
  }
  int lead = q + 63 - std::countl_zero(r);
  if (lead > f.emax) {
    env.flags |= flag::Overflow;
    if (env.adjust_overflow) return pack(sign, r, q - f.bias_adjust);
    env.flags |= flag::Inexact;
    bool to_inf = env.round == Round::Nearest || env.round == Round::NearestAway ||
                  (env.round == Round::Up && !sign) || (env.round == Round::Down && sign);
    if (to_inf) return signed_inf(sign);
    return pack(sign, (1ull << f.prec) - 1, f.emax - (f.prec - 1));  // the largest finite value
  }
  return pack(sign, r, q);
}

// A 128-bit exact value (s * 2^(exp - 127), s != 0) normalized, then rounded.
uint64_t round_wide(Env& env, bool sign, int exp, u128 s, Prec p) {
  int lz = s >> 64 ? std::countl_zero(uint64_t(s >> 64)) : 64 + std::countl_zero(uint64_t(s));
  s <<= lz;
  return round_pack(env, sign, exp - lz, uint64_t(s >> 64), uint64_t(s) != 0, p);
}

// x * 2^(ex - 126) + y * 2^(ey - 126), both with bit 126 set (bit 127 is
// headroom for the carry), exactly then rounded. An exact zero sum of
// opposite signs has sign `cancel_sign`.
uint64_t add_wide(Env& env, bool sx, int ex, u128 x, bool sy, int ey, u128 y, bool cancel_sign, Prec p) {
  if (ey > ex || (ey == ex && y > x)) {
    std::swap(sx, sy), std::swap(ex, ey), std::swap(x, y);
  }
  int d = ex - ey;
  if (d >= 127) {
    y = 1;  // only a sticky bit remains
  } else if (d > 0) {
    bool lost = (y & ((u128(1) << d) - 1)) != 0;
    y = (y >> d) | lost;
  }
  u128 s = sx == sy ? x + y : x - y;
  if (s == 0) return signed_zero(cancel_sign);
  return round_wide(env, sx, ex + 1, s, p);
}

// a + b (b negated first if negate_b) for finite a and b. The sum of two
// opposite numbers is -0 when rounding down and +0 otherwise (IEEE 754);
// `cancel_negated` flips that sign (qemu's fnmadd negates it).
uint64_t finite_add(Env& env, uint64_t a, uint64_t b, bool negate_b, bool cancel_negated, Prec p) {
  bool sb = (b >> 63) ^ negate_b;
  bool cancel_sign = (env.round == Round::Down) ^ cancel_negated;
  if (is_zero(a) && is_zero(b)) {
    bool sa = a >> 63;
    return signed_zero(sa == sb ? sa : cancel_sign);
  }
  if (is_zero(b)) {
    Num x = unpack(a);
    return round_pack(env, x.sign, x.exp, x.sig, false, p);
  }
  if (is_zero(a)) {
    Num y = unpack(b);
    return round_pack(env, sb, y.exp, y.sig, false, p);
  }
  Num x = unpack(a), y = unpack(b);
  return add_wide(env, x.sign, x.exp, u128(x.sig) << 63, sb, y.exp, u128(y.sig) << 63, cancel_sign, p);
}

// The first NaN among the operands (a, then b), quieted; VXSNAN if any is signalling.
uint64_t pick_nan(Env& env, uint64_t a, uint64_t b, Prec p) {
  if (is_snan(a) || is_snan(b)) env.flags |= flag::VxSnan;
  return quiet(is_nan(a) ? a : b, p);
}

uint64_t add_sub(Env& env, uint64_t a, uint64_t b, bool subtract, Prec p) {
  if (is_nan(a) || is_nan(b)) return pick_nan(env, a, b, p);
  bool sa = a >> 63, sb = (b >> 63) ^ subtract;
  if (is_inf(a) || is_inf(b)) {
    if (is_inf(a) && is_inf(b) && sa != sb) {
      env.flags |= flag::VxIsi;
      return kDefaultNaN;
    }
    return signed_inf(is_inf(a) ? sa : sb);
  }
  return finite_add(env, a, b, subtract, false, p);
}

u128 isqrt(u128 x, bool& exact) {
  u128 res = 0, bit = u128(1) << 126;
  while (bit > x) bit >>= 2;
  while (bit) {
    if (x >= res + bit) {
      x -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  exact = x == 0;
  return res;
}

}  // namespace

uint64_t add(Env& e, uint64_t a, uint64_t b, Prec p) { return add_sub(e, a, b, false, p); }
uint64_t sub(Env& e, uint64_t a, uint64_t b, Prec p) { return add_sub(e, a, b, true, p); }

uint64_t mul(Env& env, uint64_t a, uint64_t c, Prec p) {
  if (is_nan(a) || is_nan(c)) return pick_nan(env, a, c, p);
  bool sign = (a ^ c) >> 63;
  if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c))) {
    env.flags |= flag::VxImz;
    return kDefaultNaN;
  }
  if (is_inf(a) || is_inf(c)) return signed_inf(sign);
  if (is_zero(a) || is_zero(c)) return signed_zero(sign);
  Num x = unpack(a), y = unpack(c);
  return round_wide(env, sign, x.exp + y.exp + 1, u128(x.sig) * y.sig, p);
}

uint64_t div(Env& env, uint64_t a, uint64_t b, Prec p) {
  if (is_nan(a) || is_nan(b)) return pick_nan(env, a, b, p);
  bool sign = (a ^ b) >> 63;
  if (is_inf(a) && is_inf(b)) {
    env.flags |= flag::VxIdi;
    return kDefaultNaN;
  }
  if (is_zero(a) && is_zero(b)) {
    env.flags |= flag::VxZdz;
    return kDefaultNaN;
  }
  if (is_inf(a)) return signed_inf(sign);
  if (is_zero(a) || is_inf(b)) return signed_zero(sign);
  if (is_zero(b)) {
    env.flags |= flag::DivZero;
    return signed_inf(sign);
  }
  Num x = unpack(a), y = unpack(b);
  u128 n = u128(x.sig) << 64;
  u128 q = n / y.sig;
  bool rem = n % y.sig != 0;
  // x.sig / y.sig lies in (1/2, 2): q has 64 or 65 bits.
  if (q >> 64) return round_pack(env, sign, x.exp - y.exp, uint64_t(q >> 1), rem || (q & 1), p);
  return round_pack(env, sign, x.exp - y.exp - 1, uint64_t(q), rem, p);
}

uint64_t sqrt(Env& env, uint64_t b, Prec p) {
  if (is_nan(b)) {
    if (is_snan(b)) env.flags |= flag::VxSnan;
    return quiet(b, p);
  }
  if (is_zero(b)) return b;
  if (b >> 63) {
    env.flags |= flag::VxSqrt;
    return kDefaultNaN;
  }
  if (is_inf(b)) return b;
  Num x = unpack(b);
  // value = sig * 2^k; make the power of two even, with the radicand's
  // leading bit at 127 or 126 so that the root has its leading bit at 63.
  int k = x.exp - 63;
  int shift = (k & 1) ? 63 : 64;
  bool exact;
  uint64_t r = uint64_t(isqrt(u128(x.sig) << shift, exact));
  return round_pack(env, false, (k - shift) / 2 + 63, r, !exact, p);
}

uint64_t muladd(Env& env, uint64_t a, uint64_t c, uint64_t b, bool negate_b, bool negate_result, Prec p) {
  if (is_nan(a) || is_nan(b) || is_nan(c)) {
    if (is_snan(a) || is_snan(b) || is_snan(c)) env.flags |= flag::VxSnan;
    // Infinity times zero plus a NaN is also an invalid multiplication (qemu).
    if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c))) env.flags |= flag::VxImz;
    return quiet(is_nan(a) ? a : is_nan(b) ? b : c, p);
  }
  // qemu negates before rounding: the directed modes round -(a*c+b)
  // rather than negating the rounded a*c+b as the ISA text has it. Negating
  // both addends is that exact negation; only a sum that cancels exactly
  // takes its sign (from the rounding mode) before the negation.
  bool sp = ((a ^ c) >> 63) ^ negate_result, sb = (b >> 63) ^ negate_b ^ negate_result;
  if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c))) {
    env.flags |= flag::VxImz;
    return kDefaultNaN;
  }
  if (is_inf(a) || is_inf(c)) {
    if (is_inf(b) && sb != sp) {
      env.flags |= flag::VxIsi;
      return kDefaultNaN;
    }
    return signed_inf(sp);
  }
  if (is_inf(b)) return signed_inf(sb);
  uint64_t b_signed = (b & ~kSign) | uint64_t(sb) << 63;
  if (is_zero(a) || is_zero(c)) return finite_add(env, signed_zero(sp), b_signed, false, negate_result, p);
  Num x = unpack(a), y = unpack(c);
  u128 prod = u128(x.sig) * y.sig;  // bit 127 or 126 set; the low 22 bits are zero
  int pe = x.exp + y.exp;           // weight of bit 126
  if (prod >> 127) {
    prod >>= 1;
    ++pe;
  }
  if (is_zero(b)) return round_wide(env, sp, pe + 1, prod, p);
  Num z = unpack(b);
  bool cancel_sign = (env.round == Round::Down) ^ negate_result;
  return add_wide(env, sp, pe, prod, sb, z.exp, u128(z.sig) << 63, cancel_sign, p);
}

uint64_t round_to_single(Env& env, uint64_t b) {
  if (is_nan(b)) {
    if (is_snan(b)) env.flags |= flag::VxSnan;
    return quiet(b, Prec::Single);
  }
  if (is_zero(b) || is_inf(b)) return b;
  Num x = unpack(b);
  return round_pack(env, x.sign, x.exp, x.sig, false, Prec::Single);
}

uint64_t round_to_integral(Env& env, uint64_t b, Round mode) {
  if (is_nan(b)) {
    if (is_snan(b)) env.flags |= flag::VxSnan;
    return quiet(b, Prec::Double);
  }
  if (is_zero(b) || is_inf(b)) return b;
  Num x = unpack(b);
  if (x.exp >= 52) return b;  // already integral
  uint64_t r;
  if (x.exp < 0) {  // |b| < 1: 0 or 1
    bool half_or_more = x.exp == -1, above_half = half_or_more && (x.sig << 1) != 0;
    bool one = false;
    switch (mode) {
      case Round::Nearest: one = above_half; break;
      case Round::NearestAway: one = half_or_more; break;
      case Round::Zero: break;
      case Round::Up: one = !x.sign; break;
      case Round::Down: one = x.sign; break;
    }
    r = one ? (uint64_t(x.sign) << 63 | 0x3ff0000000000000ull) : signed_zero(x.sign);
    env.flags |= flag::Inexact;
    return r;
  }
  // Round to the integer grid: the last place has weight 2^0, i.e. a
  // precision of exp + 1 bits.
  int drop = 63 - x.exp;
  uint64_t low = x.sig & ((1ull << drop) - 1);
  if (low == 0) return b;
  env.flags |= flag::Inexact;
  uint64_t n = x.sig >> drop;
  bool guard = (low >> (drop - 1)) & 1, rest = (low & ((1ull << (drop - 1)) - 1)) != 0;
  bool up = false;
  switch (mode) {
    case Round::Nearest: up = guard && (rest || (n & 1)); break;
    case Round::NearestAway: up = guard; break;
    case Round::Zero: break;
    case Round::Up: up = !x.sign; break;
    case Round::Down: up = x.sign; break;
  }
  return pack(x.sign, n + up, 0);
}

uint64_t to_integer(Env& env, uint64_t b, bool is_signed, unsigned bits, Round mode) {
  const uint64_t max = is_signed ? (bits == 32 ? 0x7fffffffull : 0x7fffffffffffffffull)
                                 : (bits == 32 ? 0xffffffffull : ~0ull);
  const uint64_t min_mag = is_signed ? max + 1 : 0;  // magnitude of the most negative value
  auto extend = [&](uint64_t v) {
    return is_signed && bits == 32 ? uint64_t(int64_t(int32_t(uint32_t(v)))) : v;
  };
  auto invalid = [&](uint64_t v) {
    env.flags |= flag::VxCvi;
    return extend(v);
  };
  if (is_nan(b)) {
    if (is_snan(b)) env.flags |= flag::VxSnan;
    env.flags |= flag::VxCvi;
    return is_signed ? (bits == 32 ? 0x80000000ull : 0x8000000000000000ull) : 0;
  }
  bool sign = b >> 63;
  if (is_inf(b)) return invalid(sign ? (is_signed ? -min_mag : 0) : max);
  if (is_zero(b)) return 0;
  // The magnitude rounded to an integer, as a double, then taken apart.
  Env local{mode};
  uint64_t r = round_to_integral(local, b, mode);
  bool inexact = local.flags & flag::Inexact;
  if (is_zero(r)) {
    if (inexact) env.flags |= flag::Inexact;
    return 0;
  }
  Num x = unpack(r);
  uint64_t mag = x.exp >= 64 ? ~0ull : x.sig >> (63 - x.exp);
  if (x.exp >= 64) return invalid(sign ? (is_signed ? -min_mag : 0) : max);
  if (sign) {
    if (!is_signed || mag > min_mag) return invalid(is_signed ? -min_mag : 0);
    if (inexact) env.flags |= flag::Inexact;
    return extend(-mag);
  }
  if (mag > max) return invalid(max);
  if (inexact) env.flags |= flag::Inexact;
  return extend(mag);
}

uint64_t from_integer(Env& env, uint64_t v, bool is_signed, Prec p) {
  if (v == 0) return 0;
  bool sign = is_signed && int64_t(v) < 0;
  uint64_t mag = sign ? -v : v;
  int lz = std::countl_zero(mag);
  return round_pack(env, sign, 63 - lz, mag << lz, false, p);
}

unsigned compare(uint64_t a, uint64_t b) {
  if (is_nan(a) || is_nan(b)) return 1;
  if (is_zero(a) && is_zero(b)) return 2;
  // Sign-magnitude to a totally ordered integer.
  auto key = [](uint64_t d) { return d >> 63 ? -int64_t(d & ~kSign) : int64_t(d); };
  int64_t x = key(a), y = key(b);
  return x < y ? 8 : x > y ? 4 : 2;
}

uint64_t fpscr_written(uint64_t v) {
  v &= fpscr::kWritable;
  if (v & fpscr::IX) v |= fpscr::VX;
  if ((v >> 25) & (v >> 3) & 0x1f) v |= fpscr::FEX;  // OX UX ZX XX VX against OE UE ZE XE VE
  return v;
}

unsigned fprf_of(uint64_t d) {
  bool neg = d >> 63;
  if (is_nan(d)) return is_snan(d) ? 0x00 : 0x11;
  if (is_inf(d)) return neg ? 0x09 : 0x05;
  if (is_zero(d)) return neg ? 0x12 : 0x02;
  if (((d >> 52) & 0x7ff) == 0) return neg ? 0x18 : 0x14;
  return neg ? 0x08 : 0x04;
}

uint64_t double_of_single(uint32_t s) {
  uint64_t sign = uint64_t(s >> 31) << 63;
  unsigned e = (s >> 23) & 0xff;
  uint64_t f = s & 0x7fffff;
  if (e == 0xff) return sign | 0x7ff0000000000000ull | f << 29;
  if (e != 0) return sign | uint64_t(e - 127 + 1023) << 52 | f << 29;
  if (f == 0) return sign;
  int lz = std::countl_zero(f) - 41;  // leading zeros within the 23-bit fraction
  return sign | uint64_t(-126 - lz - 1 + 1023) << 52 | ((f << (lz + 1)) & 0x7fffff) << 29;
}

uint32_t single_of_double(uint64_t d) {
  unsigned e = (d >> 52) & 0x7ff;
  uint32_t sign = uint32_t(d >> 63) << 31;
  // Exponents a single holds in normal form (and infinities, NaNs): the
  // sign, the exponent's top bit and low 7 bits, the fraction's top 23 bits.
  if (e > 896) return uint32_t((d >> 62) << 30) | uint32_t((d >> 29) & 0x3fffffff);
  // A single's subnormal range: the significand shifted into place. Below
  // it the ISA leaves the result undefined; qemu stores a signed zero.
  if (e >= 874) return sign | uint32_t(((1ull << 52) | (d & 0xfffffffffffffull)) >> (896 + 30 - e));
  return sign;
}

}  // namespace dusim::ppc::fpu
