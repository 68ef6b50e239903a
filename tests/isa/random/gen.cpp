// Generator of random-instruction test programs; see rig.hpp.
//
// What the generator avoids, because the architecture (Power ISA 2.06, Book I)
// leaves the result undefined, and how. Nothing is masked when the dumps are
// compared: every undefined result is made defined in the program itself.
//  - divw/divwu/divwe/divweu, mulhw/mulhwu: RT[0:31] undefined. The next
//    instruction is always `clrldi RT,RT,32`.
//  - The same instructions with Rc=1: CR0 LT/GT/EQ undefined in 64-bit mode.
//    They are followed by `crclr 0; crclr 1; crclr 2` (CR0 SO, a copy of
//    XER SO, is still compared).
//  - Divide by zero, signed overflow (MIN / -1), and extended divides whose
//    quotient does not fit: RT (and CR0 LT/GT/EQ) undefined, OV defined. Normal
//    divides get guard instructions that make the case impossible (odd dividend
//    and odd divisor; divisor with low bits 0b10; small constant divisors;
//    for divwe/divweu/divde/divdeu a shifted-down dividend and a divisor with a
//    high bit forced). The undefined cases are also run on purpose with constant
//    operands, followed by `li RT,0x5a5` and the crclr's, so OV/SO are checked.
//  - mfocrf: the bits outside the selected CR field are undefined; it is followed
//    by an rlwinm that keeps only that field. mtocrf/mfocrf always get exactly one
//    FXM bit (otherwise undefined); mtcrf takes any mask.
//  - XER reserved bits (0:31, 35:56): never set. mtxer's operand is first masked
//    to SO/OV/CA and the byte count (bits 57:63). XER OV32/CA32 (ISA 3.0) do not
//    exist on the POWER7 that qemu is asked to emulate (-cpu power7), nor in dusim.
//  - lwarx/ldarx + stwcx./stdcx.: always the same address, same size, no store in
//    between (a store by the same CPU to the reserved granule, or stcx. to another
//    address, is implementation-dependent; qemu's cmpxchg-based stcx. would fail
//    where a real reservation might not). A second stcx. or a lone one must fail.
//  - Invalid forms: load with update with RA=0 or RA=RT, store with update with
//    RA=0, lmw with RA in the loaded range, bcctr with CTR decrement, reserved
//    BO/BH encodings, larx/stcx. misaligned (alignment interrupt). Ordinary loads
//    and stores are sometimes misaligned on purpose (allowed in big-endian mode).
//  - Timebase and other non-deterministic SPRs are not read.
// Floating point:
//  - No FPSCR exception enable (VE OE UE ZE XE) is ever set: qemu-ppc64 sends
//    SIGFPE on an enabled exception. The initial FPSCR has them clear; mtfsf
//    never selects fields 6-7 of the low word; mtfsfi writes field 7 only with
//    XE clear and never field 6; mtfsb1 never names bits 56-60.
//  - fre and fres never see a zero: the ISA fixes 1/+-0 at +-infinity and
//    dusim gives that, where qemu 7.2 gives 0.5. Their operand is loaded from
//    the constant pool (nonzero entries) just before.
//  - lfdp/stfdp name even registers (odd is an invalid form).
//  - Undefined results are otherwise qemu's and dusim's alike (the high word
//    of fctiw[u][z], stfs of a double out of single range, FPRF after fcti*):
//    they are compared too.
#include "rig.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace rig {

namespace {

uint64_t splitmix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char b[256];
  va_list ap;
  va_start(ap, f);
  vsnprintf(b, sizeof b, f, ap);
  va_end(ap);
  return b;
}

std::string R(int n) { return "r" + std::to_string(n); }

bool is_label(const std::string& l) { return !l.empty() && l.back() == ':'; }
bool is_directive(const std::string& l) { return !l.empty() && l[0] == '.'; }

}  // namespace

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (auto& v : s_) v = splitmix(x);
}

uint64_t Rng::next() {
  uint64_t r = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return r;
}

uint64_t Rng::below(uint64_t n) { return n ? next() % n : 0; }
int64_t Rng::range(int64_t lo, int64_t hi) { return lo + int64_t(below(uint64_t(hi - lo) + 1)); }
bool Rng::chance(int percent) { return below(100) < uint64_t(percent); }

int Group::count() const {
  int n = 0;
  for (auto& u : units)
    for (auto& l : u.lines)
      if (!is_label(l) && !is_directive(l)) ++n;
  return n;
}

std::string slot_name(int slot) {
  static const char* extra[] = {"cr", "xer", "lr", "ctr"};
  if (slot >= kF0 && slot < kF0 + 32) return "f" + std::to_string(slot - kF0);
  if (slot == kFpscr) return "fpscr";
  return slot < 32 ? R(slot) : extra[slot - 32];
}

namespace {

// Values that make carries, overflows, sign changes and shifts interesting.
uint64_t value(Rng& r) {
  static const uint64_t special[] = {
      0, 1, 2, 3, ~0ull, ~1ull, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
      0xffffffff80000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001,
      0x7ffffffe, 0x0000ffff0000ffff, 0xffff8000, 0x8000, 0x7fff, 0xffff, 0x10000,
      0xffffffff00000000, 0xfffffffe, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa,
      0x0123456789abcdef, 0x40, 0x3f, 0x20, 0x1f, 0x80000000ffffffff, 0x7fffffff80000000};
  switch (r.below(10)) {
    case 0:
    case 1: return special[r.below(sizeof special / sizeof special[0])];
    case 2: return uint64_t(r.range(-40, 40));
    case 3: return uint64_t(int64_t(int32_t(uint32_t(r.next()))));
    case 4: return uint32_t(r.next());
    case 5:
    case 6: {
      uint64_t v = 0;
      for (int n = 1 + int(r.below(3)); n--;) v |= 1ull << r.below(64);
      return r.chance(50) ? v : ~v;
    }
    default: return r.next();
  }
}

// Floating-point operands (register images): zeros, subnormals, the normal
// range's ends, infinities, quiet and signalling NaNs with payloads and signs,
// the single-precision boundaries (FLT_MAX and just above it, FLT_MIN, the
// smallest single subnormal and half of it), integer and conversion
// boundaries (2^31, 2^63, 2^64, ties .5), and values one ulp around 1.
const uint64_t kFpSpecial[] = {
    0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff,
    0x800fffffffffffff, 0x0010000000000000, 0x8010000000000000, 0x0010000000000001, 0x7fefffffffffffff,
    0xffefffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000000,
    0x7ff8000000000001, 0xfffc00000000beef, 0x7ff0000000000001, 0xfff0000000000001, 0x7ff4000000000000,
    0x7ff00000deadbeef, 0x3ff0000000000000, 0xbff0000000000000, 0x3fe0000000000000, 0xbfe0000000000000,
    0x4000000000000000, 0x4008000000000000, 0x3fd5555555555555, 0x3ff0000000000001, 0x3fefffffffffffff,
    0x47efffffe0000000, 0xc7efffffe0000000, 0x47effffff0000000, 0x47effffff0000001, 0x47f0000000000000,
    0x3810000000000000, 0xb810000000000000, 0x380fffffe0000000, 0x36a0000000000000, 0x3690000000000000,
    0x3690000000000001, 0xb690000000000000, 0x41e0000000000000, 0x41dfffffffc00000, 0xc1e0000000000000,
    0xc1e0000000200000, 0x41efffffffe00000, 0x41f0000000000000, 0x43e0000000000000, 0xc3e0000000000000,
    0x43dfffffffffffff, 0x43f0000000000000, 0x4330000000000000, 0x4340000000000000, 0x432fffffffffffff,
    0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000, 0x3fe8000000000000, 0x3fdfffffffffffff,
    0x4330000000000001, 0xc330000000000001, 0x3ca0000000000000, 0x3cb0000000000000, 0x0020000000000000,
};
constexpr int kFpSpecials = sizeof kFpSpecial / sizeof kFpSpecial[0];
constexpr int kPoolOffset = 2048;  // the pool's copy lies at r1 - kPoolOffset

uint64_t fp_value(Rng& r) {
  switch (r.below(12)) {
    case 0:
    case 1:
    case 2:
    case 3: return kFpSpecial[r.below(kFpSpecials)];
    case 4: {  // a single-precision value (no NaN: the host would quiet it)
      uint32_t f;
      do f = uint32_t(r.next());
      while (((f >> 23) & 0xff) == 0xff);
      float x;
      memcpy(&x, &f, 4);
      double d = x;
      uint64_t b;
      memcpy(&b, &d, 8);
      return b;
    }
    case 5:
    case 6: {  // moderate exponents: cancellations and exact results are likely
      uint64_t frac = r.chance(40) ? r.next() & (0xfffull << 40) : r.next() & 0xfffffffffffffull;
      return (r.next() & (1ull << 63)) | uint64_t(1023 + r.range(-8, 8)) << 52 | frac;
    }
    case 7: {  // near the subnormal boundaries of double and single, or near the top
      static const int centres[] = {1, 1023 - 126, 1023 - 149, 1023 + 127, 2046, 1023 + 63, 1023 + 31};
      int e = centres[r.below(7)] + int(r.range(-3, 3));
      if (e < 0) e = 0;
      if (e > 2046) e = 2046;
      return (r.next() & (1ull << 63)) | uint64_t(e) << 52 | (r.next() & 0xfffffffffffffull);
    }
    case 8: {  // small integers and halves
      double d = double(r.range(-64, 64)) / (r.chance(50) ? 2 : 1);
      uint64_t b;
      memcpy(&b, &d, 8);
      return b;
    }
    case 9: return value(r);  // integer bit patterns (fcfid's operands)
    default: return r.next();
  }
}

int64_t simm16(Rng& r) {
  static const int64_t special[] = {0, 1, -1, 2, -2, 32767, -32768, 0x7ff0, -0x7ff0, 31, 32, 63, 64};
  switch (r.below(5)) {
    case 0: return special[r.below(sizeof special / sizeof special[0])];
    case 1: return r.range(-20, 20);
    default: return r.range(-32768, 32767);
  }
}

uint64_t uimm16(Rng& r) {
  static const uint64_t special[] = {0, 1, 0xffff, 0x8000, 0x7fff, 0xff, 0xff00, 0x1f, 0x3f};
  switch (r.below(4)) {
    case 0: return special[r.below(sizeof special / sizeof special[0])];
    case 1: return r.below(32);
    default: return r.below(0x10000);
  }
}

// Valid BO values (z bits zero, "at" hint 01 reserved). Index by kind.
const int kBoCond[] = {4, 6, 7, 12, 14, 15};                    // on CR bit only
const int kBoCtr[] = {0, 2, 8, 10, 16, 24, 25, 18, 26, 27};     // decrement CTR
const int kBoAlways = 20;

struct MemOp {
  const char* name;
  int width;
  char form;  // 'D' (D-form), 'S' (DS-form: displacement multiple of 4), 'X' (indexed)
  bool update;
  bool store;
};

const MemOp kMemOps[] = {
    {"lbz", 1, 'D', false, false},    {"lhz", 2, 'D', false, false},
    {"lha", 2, 'D', false, false},    {"lwz", 4, 'D', false, false},
    {"lwa", 4, 'S', false, false},    {"ld", 8, 'S', false, false},
    {"lbzu", 1, 'D', true, false},    {"lhzu", 2, 'D', true, false},
    {"lhau", 2, 'D', true, false},    {"lwzu", 4, 'D', true, false},
    {"ldu", 8, 'S', true, false},     {"lbzx", 1, 'X', false, false},
    {"lhzx", 2, 'X', false, false},   {"lhax", 2, 'X', false, false},
    {"lwzx", 4, 'X', false, false},   {"lwax", 4, 'X', false, false},
    {"ldx", 8, 'X', false, false},    {"lhbrx", 2, 'X', false, false},
    {"lwbrx", 4, 'X', false, false},  {"ldbrx", 8, 'X', false, false},
    {"lbzux", 1, 'X', true, false},   {"lhzux", 2, 'X', true, false},
    {"lhaux", 2, 'X', true, false},   {"lwzux", 4, 'X', true, false},
    {"lwaux", 4, 'X', true, false},   {"ldux", 8, 'X', true, false},
    {"stb", 1, 'D', false, true},     {"sth", 2, 'D', false, true},
    {"stw", 4, 'D', false, true},     {"std", 8, 'S', false, true},
    {"stbu", 1, 'D', true, true},     {"sthu", 2, 'D', true, true},
    {"stwu", 4, 'D', true, true},     {"stdu", 8, 'S', true, true},
    {"stbx", 1, 'X', false, true},    {"sthx", 2, 'X', false, true},
    {"stwx", 4, 'X', false, true},    {"stdx", 8, 'X', false, true},
    {"sthbrx", 2, 'X', false, true},  {"stwbrx", 4, 'X', false, true},
    {"stdbrx", 8, 'X', false, true},  {"stbux", 1, 'X', true, true},
    {"sthux", 2, 'X', true, true},    {"stwux", 4, 'X', true, true},
    {"stdux", 8, 'X', true, true},
};

class Gen {
 public:
  Gen(Rng& r, int base, Profile profile) : r_(r), base_(base), fp_percent_(profile == Profile::Fp ? 80 : 6) {}

  std::vector<Group> make(int target) {
    std::vector<Group> out;
    int n = 0;
    while (n < target) {
      Group g = group();
      n += g.count();
      out.push_back(std::move(g));
    }
    return out;
  }

 private:
  Rng& r_;
  int base_;
  int fp_percent_;              // share of floating-point groups
  std::vector<int> frecent_;    // recently written FPRs, preferred as sources
  std::vector<int> recent_;     // recently written registers, preferred as sources
  std::vector<int> avoid_;      // registers that must not be written right now
  bool in_loop_ = false;

  bool avoided(int d) const {
    for (int a : avoid_)
      if (a == d) return true;
    return false;
  }
  // A register random code may write: not r1 (stack), not the buffer base.
  int dest() {
    int d;
    do d = int(r_.below(32));
    while (d == 1 || d == base_ || avoided(d));
    recent_.push_back(d);
    if (recent_.size() > 6) recent_.erase(recent_.begin());
    return d;
  }
  // A writable register that is also usable as RA of an address (not r0),
  // different from the ones given.
  int ptr(std::initializer_list<int> other = {}) {
    for (;;) {
      int d = dest();
      bool ok = d != 0;
      for (int o : other) ok = ok && d != o;
      if (ok) return d;
    }
  }
  int src() {
    if (!recent_.empty() && r_.chance(35)) return recent_[r_.below(recent_.size())];
    return int(r_.below(32));
  }
  // RA operand of addi/addis/isel, where 0 means the value 0.
  std::string ra0() {
    int a = src();
    return a == 0 ? "0" : R(a);
  }
  std::string rc() { return r_.chance(50) ? "." : ""; }
  template <size_t N>
  const char* pick(const char* const (&a)[N]) { return a[r_.below(N)]; }
  template <size_t N>
  int pick(const int (&a)[N]) { return a[r_.below(N)]; }

  static Unit u(std::initializer_list<std::string> lines) { return Unit{std::vector<std::string>(lines)}; }
  static void add(Group& g, std::string line) {
    if (line.rfind("lfdp", 0) == 0 || line.rfind("stfdp", 0) == 0)
      g.units.push_back(Unit{{".machine push", ".machine power6", std::move(line), ".machine pop"}});
    else
      g.units.push_back(Unit{{std::move(line)}});
  }

  // The normalisation that follows an instruction with an undefined high word.
  static void word_result(Unit& x, int rt, bool rc) {
    x.lines.push_back(fmt("clrldi %s,%s,32", R(rt).c_str(), R(rt).c_str()));
    if (rc) {
      x.lines.push_back("crclr 0");
      x.lines.push_back("crclr 1");
      x.lines.push_back("crclr 2");
    }
  }

  Group group() {
    Group g;
    if (int(r_.below(100)) < fp_percent_) {
      fp(g);
      return g;
    }
    int w = int(r_.below(100));
    if ((w -= 54) < 0) alu(g);
    else if ((w -= 9) < 0) div(g);
    else if ((w -= 14) < 0) mem(g);
    else if ((w -= 2) < 0) multiple(g);
    else if ((w -= 4) < 0) reserve(g);
    else if ((w -= 8) < 0) fwd_branch(g);
    else if ((w -= 3) < 0) reg_branch(g);
    else if ((w -= 3) < 0) loop(g);
    else misc(g);
    return g;
  }

  static std::string F(int n) { return "f" + std::to_string(n); }
  std::string fd() {
    int d = int(r_.below(32));
    frecent_.push_back(d);
    if (frecent_.size() > 6) frecent_.erase(frecent_.begin());
    return F(d);
  }
  std::string fs() {
    if (!frecent_.empty() && r_.chance(40)) return F(frecent_[r_.below(frecent_.size())]);
    return F(int(r_.below(32)));
  }
  std::string frc() { return r_.chance(30) ? "." : ""; }
  std::string single() { return r_.chance(40) ? "s" : ""; }
  // The pool entry k (kFpSpecial[k]), as a D-form operand.
  static std::string pool(int k) { return fmt("%d(r1)", 8 * k - kPoolOffset); }
  int nonzero_pool_entry() {
    int k;
    do k = int(r_.below(kFpSpecials));
    while ((kFpSpecial[k] << 1) == 0);
    return k;
  }

  // One floating-point instruction (with what it needs glued to it).
  void fp(Group& g) {
    switch (r_.below(20)) {
      case 0:
      case 1: {
        static const char* const ops[] = {"fadd", "fsub", "fdiv"};
        std::string o = std::string(pick(ops)) + single() + frc();
        std::string a = fs(), b = fs();
        add(g, fmt("%s %s,%s,%s", o.c_str(), fd().c_str(), a.c_str(), b.c_str()));
        break;
      }
      case 2: {
        std::string o = "fmul" + single() + frc();
        std::string a = fs(), c = fs();
        add(g, fmt("%s %s,%s,%s", o.c_str(), fd().c_str(), a.c_str(), c.c_str()));
        break;
      }
      case 3:
      case 4: {
        static const char* const ops[] = {"fmadd", "fmsub", "fnmadd", "fnmsub"};
        std::string o = std::string(pick(ops)) + single() + frc();
        std::string a = fs(), c = fs(), b = fs();
        add(g, fmt("%s %s,%s,%s,%s", o.c_str(), fd().c_str(), a.c_str(), c.c_str(), b.c_str()));
        break;
      }
      case 5: {
        static const char* const ops[] = {"fsqrt", "fsqrts", "frsqrte", "frsqrtes", "frsp",
                                          "frin",  "friz",   "frip",    "frim"};
        std::string o = std::string(pick(ops)) + frc();
        std::string b = fs();
        add(g, fmt("%s %s,%s", o.c_str(), fd().c_str(), b.c_str()));
        break;
      }
      case 6: {
        static const char* const ops[] = {"fctiw", "fctiwz", "fctiwu", "fctiwuz", "fctid", "fctidz",
                                          "fctidu", "fctiduz", "fcfid", "fcfidu", "fcfids", "fcfidus"};
        std::string o = std::string(pick(ops)) + frc();
        std::string b = fs();
        add(g, fmt("%s %s,%s", o.c_str(), fd().c_str(), b.c_str()));
        break;
      }
      case 7: {  // the estimates, on a nonzero operand fresh from the pool
        std::string b = fd();
        std::string o = std::string(r_.chance(50) ? "fre" : "fres") + frc();
        g.units.push_back(u({fmt("lfd %s,%s", b.c_str(), pool(nonzero_pool_entry()).c_str()),
                             fmt("%s %s,%s", o.c_str(), fd().c_str(), b.c_str())}));
        break;
      }
      case 8: {
        std::string a = fs(), c = fs(), b = fs();
        add(g, fmt("fsel%s %s,%s,%s,%s", frc().c_str(), fd().c_str(), a.c_str(), c.c_str(), b.c_str()));
        break;
      }
      case 9: {
        static const char* const ops[] = {"fmr", "fneg", "fabs", "fnabs"};
        std::string b = fs();
        if (r_.chance(25)) {
          std::string a = fs();
          add(g, fmt("fcpsgn%s %s,%s,%s", frc().c_str(), fd().c_str(), a.c_str(), b.c_str()));
        } else {
          add(g, fmt("%s%s %s,%s", pick(ops), frc().c_str(), fd().c_str(), b.c_str()));
        }
        break;
      }
      case 10: {
        std::string a = fs(), b = fs();
        switch (r_.below(4)) {
          case 0: add(g, fmt("fcmpu %d,%s,%s", int(r_.below(8)), a.c_str(), b.c_str())); break;
          case 1: add(g, fmt("fcmpo %d,%s,%s", int(r_.below(8)), a.c_str(), b.c_str())); break;
          case 2: add(g, fmt("ftdiv %d,%s,%s", int(r_.below(8)), a.c_str(), b.c_str())); break;
          default: add(g, fmt("ftsqrt %d,%s", int(r_.below(8)), b.c_str())); break;
        }
        break;
      }
      case 11: fpscr(g); break;
      case 12: add(g, fmt("lfd %s,%s", fd().c_str(), pool(int(r_.below(kFpSpecials))).c_str())); break;
      case 13:
      case 14:
      case 15: fp_mem(g); break;
      case 16: {  // an FPR through memory into a GPR, or back
        int off = int(r_.below(kBufSize / 8)) * 8;
        std::string B = R(base_);
        if (r_.chance(50)) {
          add(g, fmt("stfd %s,%d(%s)", fs().c_str(), off, B.c_str()));
          add(g, fmt("ld %s,%d(%s)", R(dest()).c_str(), off, B.c_str()));
        } else {
          add(g, fmt("std %s,%d(%s)", R(src()).c_str(), off, B.c_str()));
          add(g, fmt("lfd %s,%d(%s)", fd().c_str(), off, B.c_str()));
        }
        break;
      }
      case 17: {  // rounding mode
        add(g, fmt("mtfsfi%s 7,%d", frc().c_str(), int(r_.below(4))));
        break;
      }
      default: {  // a conversion pair as compilers emit them
        std::string t = fd();
        static const char* const ops[] = {"fctidz", "fctiwz", "fcfid", "frsp"};
        const char* o = pick(ops);
        std::string b = fs();
        add(g, fmt("%s %s,%s", o, t.c_str(), b.c_str()));
        add(g, fmt("%s %s,%s", r_.chance(50) ? "fcfid" : "frsp", fd().c_str(), t.c_str()));
      }
    }
  }

  // The FPSCR: moves from and to it, never setting an exception enable.
  void fpscr(Group& g) {
    switch (r_.below(6)) {
      case 0: add(g, fmt("mffs%s %s", frc().c_str(), fd().c_str())); break;
      case 1: add(g, fmt("mcrfs %d,%d", int(r_.below(8)), int(r_.below(8)))); break;
      case 2: {
        int field = int(r_.below(7));  // 0-5, or 7 with XE clear
        if (field == 6) field = 7;
        int u = int(r_.below(16));
        if (field == 7) u &= 7;
        if (r_.chance(15)) add(g, fmt("mtfsfi%s %d,%d,1", frc().c_str(), int(r_.below(8)), u));  // upper word
        else add(g, fmt("mtfsfi%s %d,%d", frc().c_str(), field, u));
        break;
      }
      case 3: {
        int flm = int(r_.below(256)) & ~3;  // never the enables' fields 6 and 7
        if (r_.chance(15)) add(g, fmt("mtfsf%s %d,%s,0,1", frc().c_str(), int(r_.below(256)), fs().c_str()));
        else add(g, fmt("mtfsf%s %d,%s", frc().c_str(), flm, fs().c_str()));
        break;
      }
      case 4: add(g, fmt("mtfsb0%s %d", frc().c_str(), int(r_.below(32)))); break;
      default: {
        int bt;
        do bt = int(r_.below(32));
        while (bt >= 24 && bt <= 28);
        add(g, fmt("mtfsb1%s %d", frc().c_str(), bt));
      }
    }
  }

  // Floating-point loads and stores on the buffer: every width, update and
  // indexed form, the integer-word forms and the pairs (which binutils
  // accepts only for POWER6, though POWER7 and qemu -cpu power7 have them).
  void fp_mem(Group& g) {
    struct Op {
      const char* name;
      int width;
      char form;  // 'D', 'S' (DS-form), 'X'
      bool update, store, pair;
    };
    static const Op ops[] = {
        {"lfs", 4, 'D', false, false, false},    {"lfsu", 4, 'D', true, false, false},
        {"lfd", 8, 'D', false, false, false},    {"lfdu", 8, 'D', true, false, false},
        {"stfs", 4, 'D', false, true, false},    {"stfsu", 4, 'D', true, true, false},
        {"stfd", 8, 'D', false, true, false},    {"stfdu", 8, 'D', true, true, false},
        {"lfsx", 4, 'X', false, false, false},   {"lfsux", 4, 'X', true, false, false},
        {"lfdx", 8, 'X', false, false, false},   {"lfdux", 8, 'X', true, false, false},
        {"stfsx", 4, 'X', false, true, false},   {"stfsux", 4, 'X', true, true, false},
        {"stfdx", 8, 'X', false, true, false},   {"stfdux", 8, 'X', true, true, false},
        {"lfiwax", 4, 'X', false, false, false}, {"lfiwzx", 4, 'X', false, false, false},
        {"stfiwx", 4, 'X', false, true, false},  {"lfdp", 16, 'S', false, false, true},
        {"stfdp", 16, 'S', false, true, true},   {"lfdpx", 16, 'X', false, false, true},
        {"stfdpx", 16, 'X', false, true, true},
    };
    const Op& m = ops[r_.below(sizeof ops / sizeof ops[0])];
    int off = offset(m.width > 8 ? 8 : m.width, false);
    if (off > kBufSize - m.width) off = kBufSize - m.width;
    if (m.form == 'S') off &= ~3;
    std::string reg = m.pair ? F(2 * int(r_.below(16))) : m.store ? fs() : fd();
    std::string B = R(base_);
    if (m.form != 'X') {
      if (m.update || r_.chance(35)) {
        int disp = m.form == 'S' ? 4 * int(r_.range(-24, 24)) : int(r_.range(-100, 100));
        int p = ptr();
        add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), off - disp));
        add(g, fmt("%s %s,%d(%s)", m.name, reg.c_str(), disp, R(p).c_str()));
      } else {
        add(g, fmt("%s %s,%d(%s)", m.name, reg.c_str(), off, B.c_str()));
      }
      return;
    }
    int i = dest();
    if (m.update || r_.chance(50)) {
      int p = ptr({i});
      int k = int(r_.range(-300, 300));
      add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), k));
      add(g, fmt("li %s,%d", R(i).c_str(), off - k));
      add(g, fmt("%s %s,%s,%s", m.name, reg.c_str(), R(p).c_str(), R(i).c_str()));
    } else {
      add(g, fmt("addi %s,%s,%d", R(i).c_str(), B.c_str(), off));
      add(g, fmt("%s %s,0,%s", m.name, reg.c_str(), R(i).c_str()));
    }
  }

  // One fixed-point, logical, rotate, compare, CR or SPR-move instruction.
  void alu(Group& g) {
    std::string t, a, b;
    auto rt = [&] { return R(dest()); };
    auto rs = [&] { return R(src()); };
    switch (r_.below(in_loop_ ? 15 : 16)) {
      case 0: {
        static const char* const ops[] = {"add", "addc", "adde", "subf", "subfc", "subfe", "mullw", "mulld"};
        std::string o = std::string(pick(ops)) + (r_.chance(50) ? "o" : "") + rc();
        a = rs(), b = rs();
        add(g, fmt("%s %s,%s,%s", o.c_str(), rt().c_str(), a.c_str(), b.c_str()));
        break;
      }
      case 1: {
        static const char* const ops[] = {"addme", "addze", "subfme", "subfze", "neg"};
        std::string o = std::string(pick(ops)) + (r_.chance(50) ? "o" : "") + rc();
        a = rs();
        add(g, fmt("%s %s,%s", o.c_str(), rt().c_str(), a.c_str()));
        break;
      }
      case 2: {
        switch (r_.below(6)) {
          case 0: a = ra0(); add(g, fmt("addi %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
          case 1: a = ra0(); add(g, fmt("addis %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
          case 2: a = rs(); add(g, fmt("addic %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
          case 3: a = rs(); add(g, fmt("addic. %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
          case 4: a = rs(); add(g, fmt("subfic %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
          default: a = rs(); add(g, fmt("mulli %s,%s,%lld", rt().c_str(), a.c_str(), (long long)simm16(r_))); break;
        }
        break;
      }
      case 3: {
        static const char* const ops[] = {"mulhw", "mulhwu", "mulhd", "mulhdu"};
        int k = int(r_.below(4));
        bool dot = r_.chance(50);
        a = rs(), b = rs();
        int d = dest();
        Unit x = u({fmt("%s%s %s,%s,%s", ops[k], dot ? "." : "", R(d).c_str(), a.c_str(), b.c_str())});
        if (k < 2) word_result(x, d, dot);
        g.units.push_back(x);
        break;
      }
      case 4: {
        static const char* const ops[] = {"and", "andc", "or", "orc", "xor", "nor", "nand", "eqv"};
        std::string o = std::string(pick(ops)) + rc();
        a = rs(), b = rs();
        add(g, fmt("%s %s,%s,%s", o.c_str(), rt().c_str(), a.c_str(), b.c_str()));
        break;
      }
      case 5: {
        static const char* const ops[] = {"andi.", "andis.", "ori", "oris", "xori", "xoris"};
        const char* o = pick(ops);
        a = rs();
        add(g, fmt("%s %s,%s,%llu", o, rt().c_str(), a.c_str(), (unsigned long long)uimm16(r_)));
        break;
      }
      case 6: {
        static const char* const ops[] = {"extsb", "extsh", "extsw", "cntlzw", "cntlzd"};
        static const char* const ops2[] = {"popcntb", "popcntw", "popcntd", "prtyw", "prtyd"};
        a = rs();
        switch (r_.below(3)) {
          case 0: add(g, fmt("%s%s %s,%s", pick(ops), rc().c_str(), rt().c_str(), a.c_str())); break;
          case 1: add(g, fmt("%s %s,%s", pick(ops2), rt().c_str(), a.c_str())); break;
          default: b = rs(); add(g, fmt("cmpb %s,%s,%s", rt().c_str(), a.c_str(), b.c_str())); break;
        }
        break;
      }
      case 7: {
        int bf = int(r_.below(8)), l = int(r_.below(2));
        a = rs();
        switch (r_.below(4)) {
          case 0: add(g, fmt("cmp %d,%d,%s,%s", bf, l, a.c_str(), rs().c_str())); break;
          case 1: add(g, fmt("cmpl %d,%d,%s,%s", bf, l, a.c_str(), rs().c_str())); break;
          case 2: add(g, fmt("cmpi %d,%d,%s,%lld", bf, l, a.c_str(), (long long)simm16(r_))); break;
          default: add(g, fmt("cmpli %d,%d,%s,%llu", bf, l, a.c_str(), (unsigned long long)uimm16(r_))); break;
        }
        break;
      }
      case 8: {
        int mb = int(r_.below(32)), me = int(r_.below(32)), sh = int(r_.below(32));
        a = rs();
        switch (r_.below(3)) {
          case 0: add(g, fmt("rlwinm%s %s,%s,%d,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, mb, me)); break;
          case 1: b = rs(); add(g, fmt("rlwnm%s %s,%s,%s,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), b.c_str(), mb, me)); break;
          default: add(g, fmt("rlwimi%s %s,%s,%d,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, mb, me)); break;
        }
        break;
      }
      case 9: {
        int m = int(r_.below(64)), sh = int(r_.below(64));
        a = rs();
        switch (r_.below(6)) {
          case 0: add(g, fmt("rldicl%s %s,%s,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, m)); break;
          case 1: add(g, fmt("rldicr%s %s,%s,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, m)); break;
          case 2: add(g, fmt("rldic%s %s,%s,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, m)); break;
          case 3: add(g, fmt("rldimi%s %s,%s,%d,%d", rc().c_str(), rt().c_str(), a.c_str(), sh, m)); break;
          case 4: b = rs(); add(g, fmt("rldcl%s %s,%s,%s,%d", rc().c_str(), rt().c_str(), a.c_str(), b.c_str(), m)); break;
          default: b = rs(); add(g, fmt("rldcr%s %s,%s,%s,%d", rc().c_str(), rt().c_str(), a.c_str(), b.c_str(), m)); break;
        }
        break;
      }
      case 10: {
        static const char* const ops[] = {"slw", "srw", "sraw", "sld", "srd", "srad"};
        a = rs();
        switch (r_.below(4)) {
          case 0: add(g, fmt("srawi%s %s,%s,%d", rc().c_str(), rt().c_str(), a.c_str(), int(r_.below(32)))); break;
          case 1: add(g, fmt("sradi%s %s,%s,%d", rc().c_str(), rt().c_str(), a.c_str(), int(r_.below(64)))); break;
          default: {
            // Shift amounts come from a register; make small ones common.
            if (r_.chance(40)) {
              int s = dest();
              add(g, fmt("li %s,%d", R(s).c_str(), int(r_.below(140))));
              b = R(s);
            } else {
              b = rs();
            }
            add(g, fmt("%s%s %s,%s,%s", pick(ops), rc().c_str(), rt().c_str(), a.c_str(), b.c_str()));
          }
        }
        break;
      }
      case 11: {
        a = ra0(), b = rs();
        add(g, fmt("isel %s,%s,%s,%d", rt().c_str(), a.c_str(), b.c_str(), int(r_.below(32))));
        break;
      }
      case 12: {
        static const char* const ops[] = {"crand", "cror", "crxor", "crnand", "crnor", "creqv", "crandc", "crorc"};
        if (r_.chance(20))
          add(g, fmt("mcrf %d,%d", int(r_.below(8)), int(r_.below(8))));
        else
          add(g, fmt("%s %d,%d,%d", pick(ops), int(r_.below(32)), int(r_.below(32)), int(r_.below(32))));
        break;
      }
      case 13: {
        switch (r_.below(4)) {
          case 0: add(g, fmt("mfcr %s", rt().c_str())); break;
          case 1: a = rs(); add(g, fmt("mtcrf %d,%s", int(r_.below(256)), a.c_str())); break;
          case 2: a = rs(); add(g, fmt("mtocrf %d,%s", 1 << r_.below(8), a.c_str())); break;
          default: {
            int f = int(r_.below(8)), d = dest();
            // FXM bit 7-f selects CR field f, bits 32+4f..35+4f of RT.
            g.units.push_back(u({fmt("mfocrf %s,%d", R(d).c_str(), 0x80 >> f),
                                 fmt("rlwinm %s,%s,0,%d,%d", R(d).c_str(), R(d).c_str(), 4 * f, 4 * f + 3)}));
          }
        }
        break;
      }
      case 14: {
        switch (r_.below(in_loop_ ? 5 : 7)) {
          case 0: add(g, fmt("%s %s", r_.chance(50) ? "mfxer" : "mfspr", rt().c_str())); break;
          case 1: {
            int s = dest();
            a = rs();
            add(g, fmt("rlwinm %s,%s,0,25,2", R(s).c_str(), a.c_str()));  // SO OV CA + byte count (wraps into the high word)
            add(g, fmt("clrldi %s,%s,32", R(s).c_str(), R(s).c_str()));
            add(g, r_.chance(50) ? fmt("mtxer %s", R(s).c_str()) : fmt("mtspr 1,%s", R(s).c_str()));
            break;
          }
          case 2: add(g, r_.chance(50) ? fmt("mflr %s", rt().c_str()) : fmt("mfspr %s,8", rt().c_str())); break;
          case 3: a = rs(); add(g, r_.chance(50) ? fmt("mtlr %s", a.c_str()) : fmt("mtspr 8,%s", a.c_str())); break;
          case 4: add(g, r_.chance(50) ? fmt("mfctr %s", rt().c_str()) : fmt("mfspr %s,9", rt().c_str())); break;
          default: a = rs(); add(g, r_.chance(50) ? fmt("mtctr %s", a.c_str()) : fmt("mtspr 9,%s", a.c_str())); break;
        }
        // "mfspr rT" alone is not an instruction: spell the XER form.
        std::string& l = g.units.back().lines.back();
        if (l.rfind("mfspr ", 0) == 0 && l.find(',') == std::string::npos) l += ",1";
        break;
      }
      default: {  // 15, outside loops: a simple load or store at the base register
        const MemOp& m = kMemOps[r_.below(sizeof kMemOps / sizeof kMemOps[0])];
        if (m.form == 'X' || m.update) {
          add(g, fmt("lbz %s,%d(%s)", rt().c_str(), int(r_.below(kBufSize)), R(base_).c_str()));
        } else {
          int off = int(r_.below(uint64_t(kBufSize - m.width + 1) / 4)) * 4;
          std::string reg = m.store ? rs() : rt();
          add(g, fmt("%s %s,%d(%s)", m.name, reg.c_str(), off, R(base_).c_str()));
        }
      }
    }
  }

  void div(Group& g) {
    static const char* const ops[] = {"divw", "divwu", "divd", "divdu", "divwe", "divweu", "divde", "divdeu"};
    int k = int(r_.below(8));
    bool oe = r_.chance(50), dot = r_.chance(50);
    std::string o = std::string(ops[k]) + (oe ? "o" : "") + (dot ? "." : "");
    bool word = k == 0 || k == 1 || k == 4 || k == 5;
    bool is_signed = k == 0 || k == 2 || k == 4 || k == 6;
    bool extended = k >= 4;
    int x = dest(), y = dest();
    while (y == x) y = dest();
    std::string X = R(x), Y = R(y), A = R(src()), B = R(src());

    if (r_.chance(12)) {
      // Undefined quotient on purpose; only OV/SO (with OE) are defined.
      int v = int(r_.below(3));
      if (v == 0 || (v == 1 && !is_signed && !extended)) {
        add(g, fmt("li %s,0", Y.c_str()));  // divide by zero
        X = A;
      } else if (extended) {
        add(g, fmt("li %s,%d", X.c_str(), int(r_.range(3, 9))));  // quotient too large
        add(g, fmt("li %s,%d", Y.c_str(), int(r_.range(1, 3))));
      } else {
        add(g, word ? fmt("lis %s,-32768", X.c_str()) : fmt("li %s,1", X.c_str()));  // MIN / -1
        if (!word) add(g, fmt("rotrdi %s,%s,1", X.c_str(), X.c_str()));
        add(g, fmt("li %s,-1", Y.c_str()));
      }
      int t = dest();
      Unit d = u({fmt("%s %s,%s,%s", o.c_str(), R(t).c_str(), X.c_str(), Y.c_str()), fmt("li %s,0x5a5", R(t).c_str())});
      if (dot) d.lines.insert(d.lines.end(), {"crclr 0", "crclr 1", "crclr 2"});
      g.units.push_back(d);
      return;
    }

    if (!extended) {
      int v = int(r_.below(4));
      if (v == 0) {  // odd dividend (never MIN) and odd divisor (never 0)
        add(g, fmt("ori %s,%s,1", X.c_str(), A.c_str()));
        add(g, fmt("ori %s,%s,1", Y.c_str(), B.c_str()));
      } else if (v == 1 || !is_signed) {  // divisor ending in 0b10 (or odd, unsigned): never 0 or -1
        X = A;
        if (is_signed) {
          add(g, fmt("ori %s,%s,3", Y.c_str(), B.c_str()));
          add(g, fmt("xori %s,%s,1", Y.c_str(), Y.c_str()));
        } else {
          add(g, r_.chance(50) ? fmt("ori %s,%s,1", Y.c_str(), B.c_str()) : fmt("oris %s,%s,0x8000", Y.c_str(), B.c_str()));
        }
      } else {  // small constant divisor
        X = A;
        int c;
        do c = int(r_.range(-9, 9));
        while (c == 0 || c == -1);
        add(g, fmt("li %s,%d", Y.c_str(), c));
      }
    } else if (word && !is_signed) {  // divweu: dividend < 2^(32-s) <= divisor (low words)
      int s = int(r_.range(1, 31));
      add(g, fmt("rlwinm %s,%s,0,%d,31", X.c_str(), A.c_str(), s));
      uint32_t bit = 1u << (32 - s);
      add(g, bit >= 0x10000 ? fmt("oris %s,%s,0x%x", Y.c_str(), B.c_str(), bit >> 16)
                            : fmt("ori %s,%s,0x%x", Y.c_str(), B.c_str(), bit));
    } else if (word) {  // divwe: |dividend| <= 2^29 < |divisor| / 2, divisor in +-[2^30, 2^31)
      add(g, fmt("srawi %s,%s,%d", X.c_str(), A.c_str(), int(r_.range(2, 31))));
      if (r_.chance(50)) {
        add(g, fmt("rlwinm %s,%s,0,2,31", Y.c_str(), B.c_str()));
        add(g, fmt("oris %s,%s,0x4000", Y.c_str(), Y.c_str()));
      } else {
        add(g, fmt("oris %s,%s,0x8000", Y.c_str(), B.c_str()));
        add(g, fmt("rlwinm %s,%s,0,2,0", Y.c_str(), Y.c_str()));
      }
    } else if (!is_signed) {  // divdeu: dividend < 2^(64-s) <= divisor
      int s = int(r_.range(1, 63));
      add(g, fmt("rldicl %s,%s,0,%d", X.c_str(), A.c_str(), s));
      add(g, fmt("rotldi %s,%s,%d", Y.c_str(), B.c_str(), s));
      add(g, fmt("ori %s,%s,1", Y.c_str(), Y.c_str()));
      add(g, fmt("rotrdi %s,%s,%d", Y.c_str(), Y.c_str(), s));
    } else {  // divde: |dividend| <= 2^61, |divisor| >= 2^62
      add(g, fmt("sradi %s,%s,%d", X.c_str(), A.c_str(), int(r_.range(2, 63))));
      add(g, fmt("rotldi %s,%s,2", Y.c_str(), B.c_str()));
      add(g, fmt("ori %s,%s,3", Y.c_str(), Y.c_str()));
      add(g, fmt("xori %s,%s,%d", Y.c_str(), Y.c_str(), r_.chance(50) ? 1 : 2));
      add(g, fmt("rotrdi %s,%s,2", Y.c_str(), Y.c_str()));
    }
    int t = dest();
    Unit d = u({fmt("%s %s,%s,%s", o.c_str(), R(t).c_str(), X.c_str(), Y.c_str())});
    if (word) word_result(d, t, dot);
    g.units.push_back(d);
  }

  // Picks a buffer offset for an access of `width` bytes.
  int offset(int width, bool must_align) {
    if (must_align || r_.chance(75)) return int(r_.below(uint64_t(kBufSize / width))) * width;
    return int(r_.below(uint64_t(kBufSize - width + 1)));
  }

  // The register a load or store moves: any source for a store; for a load, a
  // destination other than the pointer an update form writes back.
  std::string data_reg(const MemOp& m, int p) {
    if (m.store) return R(src());
    int t;
    do t = dest();
    while (m.update && t == p);
    return R(t);
  }

  void mem(Group& g) {
    const MemOp& m = kMemOps[r_.below(sizeof kMemOps / sizeof kMemOps[0])];
    int off = offset(m.width, false);
    std::string B = R(base_);
    if (m.form != 'X') {
      int disp = off, p = -1;
      bool via_ptr = m.update || (m.form == 'S' && off % 4) || r_.chance(35);
      if (via_ptr) {
        // The pointer absorbs any misalignment a DS-form displacement cannot hold.
        disp = m.form == 'S' ? 4 * int(r_.range(-24, 24)) : int(r_.range(-100, 100));
        p = ptr();
        add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), off - disp));
      }
      std::string ra = p >= 0 ? R(p) : B;
      std::string reg = data_reg(m, p);
      add(g, fmt("%s %s,%d(%s)", m.name, reg.c_str(), disp, ra.c_str()));
      return;
    }
    // Indexed: EA = (RA|0) + RB.
    std::string ra, rb;
    int p = -1;
    int v = int(r_.below(m.update ? 2 : 4));
    if (v == 0) {  // RA = pointer to base + k, RB = index off - k
      int k = int(r_.range(-300, 300));
      p = ptr();
      int i = dest();
      while (i == p) i = dest();
      add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), k));
      add(g, fmt("li %s,%d", R(i).c_str(), off - k));
      ra = R(p), rb = R(i);
    } else if (v == 1) {  // RA = small offset, RB = base
      p = ptr();
      add(g, fmt("li %s,%d", R(p).c_str(), off));
      ra = R(p), rb = B;
    } else if (v == 2) {  // RA = base, RB = index
      int i = dest();
      add(g, fmt("li %s,%d", R(i).c_str(), off));
      ra = B, rb = R(i);
    } else {  // RA = 0, RB = pointer
      int i = dest();
      add(g, fmt("addi %s,%s,%d", R(i).c_str(), B.c_str(), off));
      ra = "0", rb = R(i);
    }
    std::string reg = data_reg(m, p);
    add(g, fmt("%s %s,%s,%s", m.name, reg.c_str(), ra.c_str(), rb.c_str()));
  }

  void multiple(Group& g) {
    std::string B = R(base_);
    if (base_ < 31 && r_.chance(50)) {
      int t = int(r_.range(std::max(2, base_ + 1), 31));
      int n = 32 - t;
      int off = int(r_.below(uint64_t((kBufSize - 4 * n) / 4 + 1))) * 4;
      // A pointer register below RT (RA must not be loaded), if there is one.
      std::vector<int> ptrs;
      for (int p = 2; p < t; ++p)
        if (p != base_) ptrs.push_back(p);
      if (ptrs.empty() || r_.chance(50)) {
        add(g, fmt("lmw %s,%d(%s)", R(t).c_str(), off, B.c_str()));
      } else {
        int p = ptrs[r_.below(ptrs.size())];
        int disp = 4 * int(r_.range(-8, 8));
        add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), off - disp));
        add(g, fmt("lmw %s,%d(%s)", R(t).c_str(), disp, R(p).c_str()));
      }
    } else {
      int s = int(r_.below(32));
      int n = 32 - s;
      int off = int(r_.below(uint64_t((kBufSize - 4 * n) / 4 + 1))) * 4;
      add(g, fmt("stmw %s,%d(%s)", R(s).c_str(), off, B.c_str()));
    }
  }

  void reserve(Group& g) {
    bool dbl = r_.chance(50);
    int w = dbl ? 8 : 4;
    int off = offset(w, true);
    std::string B = R(base_), ra, rb;
    int v = int(r_.below(3));
    if (v == 0) {
      int i = dest();
      add(g, fmt("li %s,%d", R(i).c_str(), off));
      ra = B, rb = R(i);
    } else if (v == 1) {
      int i = dest();
      add(g, fmt("addi %s,%s,%d", R(i).c_str(), B.c_str(), off));
      ra = "0", rb = R(i);
    } else {
      int p = ptr(), i = dest();
      while (i == p) i = dest();
      int k = int(r_.range(-64, 64));
      add(g, fmt("addi %s,%s,%d", R(p).c_str(), B.c_str(), k));
      add(g, fmt("li %s,%d", R(i).c_str(), off - k));
      ra = R(p), rb = R(i);
    }
    for (auto& s : {ra, rb})
      if (s != "0" && s != B) avoid_.push_back(std::stoi(s.substr(1)));
    const char* larx = dbl ? "ldarx" : "lwarx";
    const char* stcx = dbl ? "stdcx." : "stwcx.";
    if (r_.chance(12)) {  // no reservation: must fail and store nothing
      add(g, fmt("%s %s,%s,%s", stcx, R(src()).c_str(), ra.c_str(), rb.c_str()));
    } else {
      std::string eh = r_.chance(30) ? ",1" : "";
      add(g, fmt("%s %s,%s,%s%s", larx, R(dest()).c_str(), ra.c_str(), rb.c_str(), eh.c_str()));
      for (int n = int(r_.below(3)); n--;) {
        Group tmp;
        alu_no_mem(tmp);
        for (auto& x : tmp.units) g.units.push_back(x);
      }
      add(g, fmt("%s %s,%s,%s", stcx, R(src()).c_str(), ra.c_str(), rb.c_str()));
      if (r_.chance(25)) add(g, fmt("%s %s,%s,%s", stcx, R(src()).c_str(), ra.c_str(), rb.c_str()));
    }
    avoid_.clear();
    g.splittable = false;
  }

  // An ALU instruction that does not touch memory or CTR.
  void alu_no_mem(Group& g) {
    bool saved = in_loop_;
    in_loop_ = true;
    alu(g);
    in_loop_ = saved;
  }

  int bi() { return int(r_.below(32)); }
  int any_bo() {
    switch (r_.below(3)) {
      case 0: return pick(kBoCond);
      case 1: return pick(kBoCtr);
      default: return r_.chance(30) ? kBoAlways : pick(kBoCond);
    }
  }

  void fwd_branch(Group& g) {
    g.skip = int(r_.below(4));
    switch (r_.below(6)) {
      case 0: add(g, "b %T"); break;
      case 1: add(g, "bl %T"); break;
      case 2: add(g, fmt("bcl %d,%d,%%T", any_bo(), bi())); break;
      default: add(g, fmt("bc %d,%d,%%T", any_bo(), bi())); break;
    }
  }

  // bclr/bcctr to a label ahead; the address comes from bcl 20,31,$+4.
  void reg_branch(Group& g) {
    g.skip = int(r_.below(3));
    g.splittable = false;
    int x = ptr();  // not r0: it is addi's RA
    bool ctr = r_.chance(40);
    Unit b;
    b.lines = {"bcl 20,31,1f", "1:", fmt("mflr %s", R(x).c_str()), fmt("addi %s,%s,%%T-1b", R(x).c_str(), R(x).c_str()),
               fmt("%s %s", ctr ? "mtctr" : "mtlr", R(x).c_str())};
    const char* lk = r_.chance(30) ? "l" : "";
    if (ctr) {
      static const int bh[] = {0, 3};
      int bo = r_.chance(20) ? kBoAlways : pick(kBoCond);
      b.lines.push_back(fmt("bcctr%s %d,%d,%d", lk, bo, bi(), pick(bh)));
    } else {
      static const int bh[] = {0, 1, 3};
      b.lines.push_back(fmt("bclr%s %d,%d,%d", lk, any_bo(), bi(), pick(bh)));
    }
    g.units.push_back(b);
  }

  // A counted loop: li rC,n; mtctr rC; 1: body; bc (decrementing),BI,1b.
  void loop(Group& g) {
    static const int bo[] = {16, 16, 24, 25, 0, 8};
    g.splittable = false;
    int c = dest();
    Unit l = u({fmt("li %s,%d", R(c).c_str(), int(r_.range(1, 5))), fmt("mtctr %s", R(c).c_str()), "1:"});
    Group body;
    for (int n = 1 + int(r_.below(4)); n--;) alu_no_mem(body);
    for (auto& x : body.units) l.lines.insert(l.lines.end(), x.lines.begin(), x.lines.end());
    l.lines.push_back(fmt("bc %d,%d,1b", pick(bo), bi()));
    g.units.push_back(l);
  }

  void misc(Group& g) {
    std::string B = R(base_);
    switch (r_.below(4)) {
      case 0: {
        static const char* const ops[] = {"sync", "lwsync", "isync", "eieio", "nop"};
        add(g, pick(ops));
        break;
      }
      case 1: {
        static const char* const ops[] = {"dcbz", "dcbz", "dcbt", "dcbtst", "dcbst", "dcbf", "icbi"};
        int i = dest();
        int off = int(r_.below(kBufSize));
        if (r_.chance(50)) {
          add(g, fmt("li %s,%d", R(i).c_str(), off));
          add(g, fmt("%s %s,%s", pick(ops), B.c_str(), R(i).c_str()));
        } else {
          add(g, fmt("addi %s,%s,%d", R(i).c_str(), B.c_str(), off));
          add(g, fmt("%s 0,%s", pick(ops), R(i).c_str()));
        }
        break;
      }
      default: {  // traps that cannot fire: RA compared with itself is only ever EQ
        int to = int(r_.below(32)) & ~4;
        std::string a = R(src());
        switch (r_.below(3)) {
          case 0: add(g, fmt("tw %d,%s,%s", to, a.c_str(), a.c_str())); break;
          case 1: add(g, fmt("td %d,%s,%s", to, a.c_str(), a.c_str())); break;
          default: add(g, fmt("%s 0,%s,%lld", r_.chance(50) ? "twi" : "tdi", a.c_str(), (long long)simm16(r_))); break;
        }
      }
    }
  }
};

void put64(std::string& s, uint64_t v) { s += fmt("0x%016llx", (unsigned long long)v); }

}  // namespace

Case generate_case(uint64_t seed, int index, Profile profile) {
  uint64_t mix = seed * 0x100000001b3ull ^ (uint64_t(index) << 32 | 0x5eed);
  if (profile == Profile::Fp) mix ^= 0xf10a7ull << 40;
  Rng r(mix);
  Case c;
  c.base = int(r.range(2, 31));
  for (int i = 0; i < 32; ++i) c.init.slot[i] = value(r);
  c.init.slot[1] = 0;
  c.init.slot[c.base] = 0;
  c.init.slot[kCr] = r.chance(20) ? value(r) & 0xffffffff : uint32_t(r.next());
  c.init.slot[kXer] = (r.below(8) << 29) | (r.chance(30) ? r.below(128) : 0);
  c.init.slot[kLr] = value(r);
  c.init.slot[kCtr] = r.chance(30) ? r.below(4) : value(r);
  for (int i = 0; i < 32; ++i) c.init.slot[kF0 + i] = fp_value(r);
  // FPSCR: random status, exception and DRN bits, a rounding mode (nearest
  // half the time), no enables (VE..XE, bits 3-7).
  uint64_t fpscr = r.chance(40) ? 0 : r.next() & 0x7ffffff00ull;
  fpscr |= r.chance(50) ? 0 : r.below(4);
  c.init.slot[kFpscr] = (fpscr & ~0xf8ull) | (r.chance(30) ? r.below(8) << 32 : 0);
  int pattern = int(r.below(4));
  for (int i = 0; i < kBufSize; ++i)
    c.init.buf[i] = pattern == 0 ? uint8_t(i) : pattern == 1 ? uint8_t(r.chance(50) ? 0xff : r.next()) : uint8_t(r.next());
  Gen gen(r, c.base, profile);
  c.groups = gen.make(int(r.range(20, 50)));
  return c;
}

State parse_record(const uint8_t* p) {
  State s;
  for (int i = 0; i < kSlots; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v = v << 8 | p[8 * i + b];
    s.slot[i] = v;
  }
  for (int i = 0; i < kBufSize; ++i) s.buf[i] = p[kRegsSize + i];
  return s;
}

std::string emit_program(const std::vector<Case>& cases) {
  // Data layout (.bss): an 8 KiB stack, r1 = its top; the dump record at
  // r1+472 (552 bytes of registers) runs straight into the 128-byte-aligned
  // scratch buffer at r1+1024, so one write() sends both. The floating-point
  // constant pool is copied below r1 once, at r1 - kPoolOffset.
  constexpr int kRec = 472, kBuf = 1024;
  static_assert(kRec + kRegsSize == kBuf);
  std::string s;
  auto line = [&](const std::string& l) {
    if (is_label(l)) s += l + "\n";
    else s += "\t" + l + "\n";
  };
  auto load_addr = [&](int reg, const std::string& sym) {
    std::string r = R(reg);
    line(fmt("lis %s,%s@highest", r.c_str(), sym.c_str()));
    line(fmt("ori %s,%s,%s@higher", r.c_str(), r.c_str(), sym.c_str()));
    line(fmt("rldicr %s,%s,32,31", r.c_str(), r.c_str()));
    line(fmt("oris %s,%s,%s@h", r.c_str(), r.c_str(), sym.c_str()));
    line(fmt("ori %s,%s,%s@l", r.c_str(), r.c_str(), sym.c_str()));
  };
  s += "# Generated by isa_random (tests/isa/random); one record per case on stdout.\n";
  s += "\t.section \".opd\",\"aw\"\n\t.align 3\n\t.globl _start\n_start:\n\t.quad ._start,.TOC.@tocbase,0\n";
  s += "\t.text\n\t.globl ._start\n._start:\n";
  load_addr(1, "rig_stack_top");
  load_addr(3, "rig_fpool");
  line(fmt("li r4,%d", kFpSpecials));
  line("mtctr r4");
  line("addi r3,r3,-8");
  line(fmt("addi r5,r1,%d", -kPoolOffset - 8));
  line("1:");
  line("ldu r6,8(r3)");
  line("stdu r6,8(r5)");
  line("bdnz 1b");
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    const Case& c = cases[ci];
    std::string tag = fmt(".Lc%zu", ci);
    s += fmt("# ---- case %zu: buffer base r%d\n", ci, c.base);
    load_addr(31, tag + "_init");
    line("li r3,32");
    line("mtctr r3");
    line(fmt("addi r4,r31,%d", kRegsSize - 8));
    line(fmt("addi r5,r1,%d", kBuf - 8));
    line("1:");
    line("ldu r6,8(r4)");
    line("stdu r6,8(r5)");
    line("bdnz 1b");
    line(fmt("ld r3,%d(r31)", 8 * kCr));
    line("mtcrf 255,r3");
    line(fmt("ld r3,%d(r31)", 8 * kXer));
    line("mtxer r3");
    line(fmt("ld r3,%d(r31)", 8 * kLr));
    line("mtlr r3");
    line(fmt("ld r3,%d(r31)", 8 * kCtr));
    line("mtctr r3");
    line(fmt("lfd f0,%d(r31)", 8 * kFpscr));
    line("mtfsf 255,f0,1,0");
    for (int i = 0; i < 32; ++i) line(fmt("lfd f%d,%d(r31)", i, 8 * (kF0 + i)));
    for (int i = 0; i < 32; ++i)
      if (i != 1 && i != 31) line(fmt("ld %s,%d(r31)", R(i).c_str(), 8 * i));
    line(fmt("ld r31,%d(r31)", 8 * 31));
    for (size_t gi = 0; gi < c.groups.size(); ++gi) {
      const Group& g = c.groups[gi];
      line(fmt("%s_%zu:", tag.c_str(), gi));
      std::string target = tag + "_end";
      if (g.skip >= 0 && gi + 1 + g.skip < c.groups.size()) target = fmt("%s_%zu", tag.c_str(), gi + 1 + g.skip);
      for (auto& u : g.units)
        for (auto l : u.lines) {
          for (size_t p; (p = l.find("%T")) != std::string::npos;) l.replace(p, 2, target);
          line(l);
        }
    }
    line(tag + "_end:");
    for (int i = 0; i < 32; ++i) line(fmt("std %s,%d(r1)", R(i).c_str(), kRec + 8 * i));
    line("mfcr r3");
    line(fmt("std r3,%d(r1)", kRec + 8 * kCr));
    line("mfxer r3");
    line(fmt("std r3,%d(r1)", kRec + 8 * kXer));
    line("mflr r3");
    line(fmt("std r3,%d(r1)", kRec + 8 * kLr));
    line("mfctr r3");
    line(fmt("std r3,%d(r1)", kRec + 8 * kCtr));
    for (int i = 0; i < 32; ++i) line(fmt("stfd f%d,%d(r1)", i, kRec + 8 * (kF0 + i)));
    line("mffs f0");
    line(fmt("stfd f0,%d(r1)", kRec + 8 * kFpscr));
    line("li r0,4");  // write(1, record, kRecordSize)
    line("li r3,1");
    line(fmt("addi r4,r1,%d", kRec));
    line(fmt("li r5,%d", kRecordSize));
    line("sc");
  }
  line("li r0,1");  // exit(0)
  line("li r3,0");
  line("sc");

  s += "\t.data\n\t.balign 8\n";
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    const Case& c = cases[ci];
    s += fmt(".Lc%zu_init:\n", ci);
    for (int i = 0; i < kSlots; ++i) {
      if (i == c.base) {
        s += "\t.quad rig_buf\n";
        continue;
      }
      s += "\t.quad ";
      put64(s, i == 1 ? 0 : c.init.slot[i]);
      s += "\n";
    }
    for (int i = 0; i < kBufSize; i += 16) {
      s += "\t.byte ";
      for (int j = 0; j < 16; ++j) s += fmt("%s%u", j ? "," : "", c.init.buf[i + j]);
      s += "\n";
    }
  }
  s += "\t.balign 8\nrig_fpool:\n";
  for (uint64_t v : kFpSpecial) {
    s += "\t.quad ";
    put64(s, v);
    s += "\n";
  }
  s += "\t.bss\n\t.balign 4096\n\t.space 8192\n\t.globl rig_stack_top\nrig_stack_top:\n";
  s += fmt("\t.space %d\n\t.globl rig_record\nrig_record:\n\t.space %d\n", kRec, kRegsSize);
  s += fmt("\t.globl rig_buf\nrig_buf:\n\t.space %d\n", kBufSize);
  return s;
}

}  // namespace rig
