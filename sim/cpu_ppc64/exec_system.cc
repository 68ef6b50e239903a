// Special-purpose registers and the machine state register.
#include <string>

#include "cpu_ppc64/exec_common.h"

namespace dusim::ppc {

// SPR numbers.
namespace spr {
constexpr unsigned XER = 1, LR = 8, CTR = 9, DSISR = 18, DAR = 19, DEC = 22, SDR1 = 25, SRR0 = 26, SRR1 = 27,
                   VRSAVE = 256, TBR = 268, TBU_R = 269, SPRG0 = 272, SPRG3 = 275, TBL_W = 284, TBU_W = 285,
                   PVR = 287, HID0 = 1008, HID5 = 1013, PIR = 1023;
}
// POWER5 processor version register value (version 0x003a, revision 0x0300).
constexpr uint64_t kPvrPower5 = 0x003a0300;

// SPRs whose number has bit 0x10 set are privileged (Book III-S).
static inline bool spr_privileged(unsigned n) { return n & 0x10; }

static void bad_spr(Cpu& c, unsigned n, bool write) {
  c.program_check(FaultKind::IllegalInstruction, prog::kIllegal,
                  std::string(write ? "mtspr" : "mfspr") + " of unmodelled SPR " + std::to_string(n));
}

DEF(mfspr) {
  uint32_t w = i.raw;
  unsigned n = SPR(w);
  if (spr_privileged(n) && !c.privileged() && n != spr::TBR && n != spr::TBU_R)
    return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "mfspr of privileged SPR " + std::to_string(n));
  uint64_t v;
  switch (n) {
    case spr::XER: v = c.xer(); break;
    case spr::LR: v = c.lr; break;
    case spr::CTR: v = c.ctr; break;
    case spr::VRSAVE: v = 0; break;
    case spr::TBR: v = c.env().timebase(c); break;
    case spr::TBU_R: v = c.env().timebase(c) >> 32; break;
    case spr::DSISR: v = c.dsisr; break;
    case spr::DAR: v = c.dar; break;
    case spr::DEC: v = c.env().decrementer(c); break;
    case spr::SDR1: v = c.mem.mmu().sdr1(); break;
    case spr::SRR0: v = c.srr0; break;
    case spr::SRR1: v = c.srr1; break;
    case spr::PVR: v = kPvrPower5; break;
    case spr::PIR: v = c.id; break;
    default:
      if (n >= spr::SPRG0 && n <= spr::SPRG3) { v = c.sprg[n - spr::SPRG0]; break; }
      if (n >= spr::HID0 && n <= spr::HID5) { v = c.hid[n - spr::HID0]; break; }
      return bad_spr(c, n, false);
  }
  c.gpr[RT(w)] = v;
}

DEF(mtspr) {
  uint32_t w = i.raw;
  unsigned n = SPR(w);
  uint64_t v = c.gpr[RT(w)];
  if (spr_privileged(n) && !c.privileged())
    return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "mtspr of privileged SPR " + std::to_string(n));
  switch (n) {
    case spr::XER: c.set_xer(v); break;
    case spr::LR: c.lr = v; break;
    case spr::CTR: c.ctr = v; break;
    case spr::VRSAVE: break;
    case spr::DSISR: c.dsisr = v; break;
    case spr::DAR: c.dar = v; break;
    case spr::DEC: c.env().decrementer_written(c, v); c.stop(); break;
    case spr::SDR1: c.mem.mmu().set_sdr1(v); c.translation_changed(); break;
    case spr::SRR0: c.srr0 = v; break;
    case spr::SRR1: c.srr1 = v; break;
    default:
      if (n >= spr::SPRG0 && n <= spr::SPRG3) { c.sprg[n - spr::SPRG0] = v; break; }
      if (n >= spr::HID0 && n <= spr::HID5) { c.hid[n - spr::HID0] = v; break; }
      return bad_spr(c, n, true);
  }
}

DEF(mftb) {
  uint32_t w = i.raw;
  unsigned n = SPR(w);
  uint64_t tb = c.env().timebase(c);
  if (n == spr::TBR) c.gpr[RT(w)] = tb;
  else if (n == spr::TBU_R) c.gpr[RT(w)] = tb >> 32;
  else bad_spr(c, n, false);
}

DEF(mfmsr) {
  if (!c.privileged()) return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "mfmsr in problem state");
  c.gpr[RT(i.raw)] = c.msr;
}

// mtmsrd L=1 changes only EE and RI; L=0 the whole MSR (SF stays set: dusim
// runs in 64-bit mode only). mtmsr changes the low word.
DEF(mtmsrd) {
  uint32_t w = i.raw;
  if (!c.privileged()) return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "mtmsrd in problem state");
  uint64_t v = c.gpr[RT(w)], before = c.msr;
  if ((w >> 16) & 1) c.msr = (c.msr & ~(msr::EE | msr::RI)) | (v & (msr::EE | msr::RI));
  else c.msr = v | msr::SF;
  c.msr_written();
  c.stop();  // enabling EE may let a pending interrupt in
  fp_exceptions_enabled(c, before);
}
DEF(mtmsr) {
  uint32_t w = i.raw;
  if (!c.privileged()) return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "mtmsr in problem state");
  uint64_t v = c.gpr[RT(w)], before = c.msr;
  if ((w >> 16) & 1) c.msr = (c.msr & ~(msr::EE | msr::RI)) | (v & (msr::EE | msr::RI));
  else c.msr = (c.msr & ~uint64_t(0xffffffff)) | (v & 0xffffffff);
  c.msr_written();
  c.stop();
  fp_exceptions_enabled(c, before);
}

// ---- segment lookaside buffer and TLB management (sim/mmu) -----------------
// All privileged. The SLB instructions and tlbiel act on this CPU; tlbie goes
// to the memory side, which drops the translation on every CPU (the
// machine's interconnect, platform/memory_map.cc). tlbsync and ptesync are
// barriers: the invalidation has reached every CPU when tlbie completes.
#define SUPERVISOR(name)                                                                                  \
  if (!c.privileged())                                                                                    \
    return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, name " in problem state")

DEF(slbmte) {
  SUPERVISOR("slbmte");
  c.mem.mmu().slbmte(c.gpr[RT(i.raw)], c.gpr[RB(i.raw)]);
  c.translation_changed();
}
DEF(slbie) {
  SUPERVISOR("slbie");
  c.mem.mmu().slbie(c.gpr[RB(i.raw)]);
  c.translation_changed();
}
DEF(slbia) {
  SUPERVISOR("slbia");
  c.mem.mmu().slbia();
  c.translation_changed();
}
DEF(slbmfee) {
  SUPERVISOR("slbmfee");
  c.gpr[RT(i.raw)] = c.mem.mmu().slbmfee(c.gpr[RB(i.raw)]);
}
DEF(slbmfev) {
  SUPERVISOR("slbmfev");
  c.gpr[RT(i.raw)] = c.mem.mmu().slbmfev(c.gpr[RB(i.raw)]);
}
DEF(tlbie) {
  SUPERVISOR("tlbie");
  c.mem.tlbie(c.gpr[RB(i.raw)]);
}
DEF(tlbiel) {
  SUPERVISOR("tlbiel");
  ++c.mem.mmu().stats.tlbiel_issued;
  c.mem.mmu().tlb_invalidate(c.gpr[RB(i.raw)]);
  c.translation_changed();
}
DEF(tlbsync) {
  SUPERVISOR("tlbsync");
  c.mem.block_op(0, Access::Barrier, nullptr);
}
#undef SUPERVISOR

}  // namespace dusim::ppc
