#include "isa_rules.h"

#include <bit>
#include <string>

#include "cpu_ppc64/insn.h"

namespace dusim::ppc::test {

namespace {

// IBM bit numbers ("6-10,31": bit 0 is the most significant) to a mask.
constexpr uint32_t ibm_bits(std::string_view spec) {
  uint32_t m = 0;
  while (!spec.empty()) {
    unsigned lo = 0, hi;
    size_t k = 0;
    while (k < spec.size() && spec[k] >= '0' && spec[k] <= '9') lo = lo * 10 + (spec[k++] - '0');
    hi = lo;
    if (k < spec.size() && spec[k] == '-') {
      hi = 0;
      for (++k; k < spec.size() && spec[k] >= '0' && spec[k] <= '9';) hi = hi * 10 + (spec[k++] - '0');
    }
    for (unsigned b = lo; b <= hi; ++b) m |= 1u << (31 - b);
    spec.remove_prefix(k < spec.size() ? k + 1 : k);
  }
  return m;
}

bool is_one_of(std::string_view m, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (m == n) return true;
  return false;
}

// Reserved fields, from the instruction layouts of Power ISA 2.06 Books I-III.
// Entries not listed have none.
struct ReservedFields {
  const char* bits;
  std::initializer_list<std::string_view> mnemonics;
};
const ReservedFields kReserved[] = {
    {"31",
     {"lbzx",  "lbzux",  "lhzx",   "lhzux",  "lhax",   "lhaux", "lwzx",  "lwzux", "lwax",  "lwaux", "ldx",   "ldux",
      "lhbrx", "lwbrx",  "ldbrx",  "lswi",   "lswx",   "stbx",  "stbux", "sthx",  "sthux", "stwx",  "stwux", "stdx",
      "stdux", "sthbrx", "stwbrx", "stdbrx", "stswi",  "stswx", "tw",    "td",    "cmpb",  "isel",  "mfspr", "mtspr",
      "mftb",  "crand",  "crandc", "creqv",  "crnand", "crnor", "cror",  "crorc", "crxor", "dcbt",  "dcbtst"}},
    {"9", {"cmpi", "cmpli"}},
    {"9,31", {"cmp", "cmpl"}},
    {"16-20", {"addme", "addze", "subfme", "subfze", "neg", "extsb", "extsh", "extsw", "cntlzw", "cntlzd"}},
    {"16-20,31", {"popcntb", "popcntw", "popcntd", "prtyw", "prtyd"}},
    {"21", {"mulhw", "mulhwu", "mulhd", "mulhdu"}},
    {"6-10,31", {"dcbz", "dcbst", "dcbi", "icbi"}},
    // segment lookaside buffer and TLB management (Book III-S 5.9.3)
    {"11-15,31", {"slbmte", "slbmfee", "slbmfev", "tlbie"}},
    {"6-15,31", {"slbie"}},
    {"6-20,31", {"slbia", "tlbsync"}},
    {"6-9,11-15,31", {"tlbiel"}},
    {"6-8,31", {"dcbf"}},
    {"6-20,31", {"rfid", "hrfid", "isync", "eieio"}},
    {"6-8,11-20,31", {"sync"}},
    {"9-10,14-20,31", {"mcrf"}},
    {"12-20,31", {"mfcr"}},
    {"20,31", {"mfocrf", "mtcrf", "mtocrf"}},
    {"11-20,31", {"mfmsr"}},
    {"11-14,16-20,31", {"mtmsr", "mtmsrd"}},
    {"16-18", {"bclr", "bcctr", "bctar"}},
    {"6-19,27-29,31", {"sc"}},
    // floating point
    {"31", {"lfsx", "lfsux", "lfdx", "lfdux", "lfiwax", "lfiwzx", "lfdpx", "stfsx", "stfsux", "stfdx", "stfdux",
            "stfiwx", "stfdpx"}},
    {"21-25", {"fadd", "fadds", "fsub", "fsubs", "fdiv", "fdivs"}},
    {"16-20", {"fmul", "fmuls"}},
    {"11-15,21-25", {"fsqrt", "fsqrts", "fre", "fres", "frsqrte", "frsqrtes"}},
    {"11-15", {"frsp", "fctiw", "fctiwz", "fctiwu", "fctiwuz", "fctid", "fctidz", "fctidu", "fctiduz", "fcfid",
               "fcfidu", "fcfids", "fcfidus", "frin", "friz", "frip", "frim", "fmr", "fneg", "fabs", "fnabs"}},
    {"9-10,31", {"fcmpu", "fcmpo", "ftdiv"}},
    {"9-15,31", {"ftsqrt"}},
    {"11-20", {"mffs", "mtfsb0", "mtfsb1"}},
    {"9-10,14-20,31", {"mcrfs"}},
    {"9-14,20", {"mtfsfi"}},
};

// The "z" bits of a BO value (Book I 2.4): 0000z 0001z 0100z 0101z
// 1z1zz; the a/t hint bits of 001at 011at 1a00t 1a01t are not reserved.
uint32_t bo_z_bits(unsigned bo) {
  if ((bo & 0x14) == 0) return 0x01;
  if ((bo & 0x14) == 0x14) return 0x0b;
  return 0;
}

// The a/t hint pair of BO 001at, 011at (bits 3-4) and 1a00t, 1a01t (bits 1
// and 4): at=01 is reserved.
bool bo_hint_is_reserved(unsigned bo) {
  if ((bo & 0x14) == 0x04) return (bo & 0x03) == 0x01;
  if ((bo & 0x14) == 0x10) return (bo & 0x09) == 0x01;
  return false;
}

bool is_update_load(std::string_view m) {
  return is_one_of(m, {"lbzu", "lhzu", "lhau", "lwzu", "ldu", "lbzux", "lhzux", "lhaux", "lwzux", "lwaux", "ldux"});
}
bool is_update_store(std::string_view m) {
  return is_one_of(m, {"stbu", "sthu", "stwu", "stdu", "stbux", "sthux", "stwux", "stdux"});
}
// Floating-point updates (RA=RT is valid: FRT is another register file).
bool is_fp_update(std::string_view m) {
  return is_one_of(m, {"lfsu", "lfsux", "lfdu", "lfdux", "stfsu", "stfsux", "stfdu", "stfdux"});
}

// Whether register r is among the n registers RT, RT+1, ... (wrapping to r0).
bool in_range(unsigned r, unsigned rt, unsigned n) { return ((r - rt) & 31) < n; }

}  // namespace

const char* binutils_cpu(std::string_view m) {
  // binutils has the FP pairs for POWER6 only (POWER7 keeps them, phased out).
  if (is_one_of(m, {"lfdp", "stfdp", "lfdpx", "stfdpx"})) return "power6";
  // binutils lists these under POWER8 (ISA 2.07), though 2.06 has some of them.
  if (is_one_of(m, {"bctar", "lbarx", "lharx", "stbcx.", "sthcx."})) return "power8";
  // binutils retires mftb from POWER4 on (it prints mfspr 268 as "mftb" instead).
  if (m == "mftb") return "ppc64";
  return "power7";
}

uint32_t reserved_bits(std::string_view m, uint32_t raw) {
  uint32_t r = 0;
  for (const ReservedFields& f : kReserved)
    if (is_one_of(m, f.mnemonics)) r |= ibm_bits(f.bits);
  if (is_one_of(m, {"bc", "bclr", "bcctr", "bctar"})) r |= bo_z_bits(RT(raw)) << 21;
  return r;
}

// Invalid instruction forms (Book I 1.8.2), each stated in the ISA's description
// of the instruction (or of BO/BH in 2.4 "Branch Instructions").
const char* invalid_form(std::string_view m, uint32_t raw) {
  unsigned rt = RT(raw), ra = RA(raw), rb = RB(raw);
  if ((is_update_load(m) || is_update_store(m) || is_fp_update(m)) && ra == 0) return "update form with RA=0";
  if (is_one_of(m, {"lfdp", "stfdp", "lfdpx", "stfdpx"}) && (rt & 1)) return "FP pair with an odd register";
  if (is_update_load(m) && ra == rt) return "load with update with RA=RT";
  if (m == "lmw" && in_range(ra, rt, 32 - rt)) return "lmw with RA among the registers loaded";
  if (m == "lswi" && in_range(ra, rt, ((rb ? rb : 32) + 3) / 4)) return "lswi with RA among the registers loaded";
  if (m == "lswx" && (rt == ra || rt == rb)) return "lswx with RT=RA or RT=RB";
  if ((m == "mfocrf" || m == "mtocrf") && std::popcount(FXM(raw)) != 1) return "mfocrf/mtocrf with FXM not one bit";
  if (m == "bcctr" && !(rt & 0x04)) return "bcctr that decrements CTR, BO[2]=0";
  if (is_one_of(m, {"bc", "bclr", "bcctr", "bctar"}) && bo_hint_is_reserved(rt))
    return "BO with the reserved hint at=01";
  if (m == "sync" && ((raw >> 21) & 3) == 3) return "sync with reserved L=3";
  if (m == "dcbf" && ((raw >> 21) & 3) == 2) return "dcbf with reserved L=2";
  if (m == "mftb" && SPR(raw) != 268 && SPR(raw) != 269) return "mftb with TBR other than 268/269";
  return nullptr;
}

}  // namespace dusim::ppc::test
