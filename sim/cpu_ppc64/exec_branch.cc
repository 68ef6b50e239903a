// Branches, the condition register, system call and return from interrupt.
#include "cpu_ppc64/exec_common.h"

namespace dusim::ppc {

// BO decoding shared by bc, bclr, bcctr, bctar.
static inline bool branch_taken(Cpu& c, uint32_t w, bool may_use_ctr) {
  unsigned bo = RT(w);
  bool ctr_ok = true;
  if (may_use_ctr && !(bo & 4)) {
    --c.ctr;
    ctr_ok = (c.ctr != 0) != bool(bo & 2);
  }
  bool cond_ok = (bo & 0x10) || c.cr_bit(RA(w)) == bool(bo & 8);
  return ctr_ok && cond_ok;
}

DEF(b) {
  uint32_t w = i.raw;
  if (LK(w)) c.lr = c.pc + 4;
  c.npc = (AA(w) ? 0 : c.pc) + LI(w);
}

DEF(bc) {
  uint32_t w = i.raw;
  bool taken = branch_taken(c, w, true);
  if (LK(w)) c.lr = c.pc + 4;
  if (taken) c.npc = (AA(w) ? 0 : c.pc) + BD(w);
}

DEF(bclr) {
  uint32_t w = i.raw;
  uint64_t target = c.lr & ~uint64_t(3);
  bool taken = branch_taken(c, w, true);
  if (LK(w)) c.lr = c.pc + 4;
  if (taken) c.npc = target;
}

DEF(bcctr) {
  uint32_t w = i.raw;
  if (!(RT(w) & 4)) c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "bcctr with CTR decrement is an invalid form");
  if (branch_taken(c, w, false)) c.npc = c.ctr & ~uint64_t(3);
  if (LK(w)) c.lr = c.pc + 4;
}

DEF(bctar) {
  c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "bctar: the TAR register is not modelled");
}

DEF(sc) { c.env().system_call(c); }

DEF(rfid) {
  if (!c.privileged()) return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "rfid in problem state");
  uint64_t before = c.msr;
  c.msr = c.srr1 | msr::SF;
  c.msr_written();
  c.npc = c.srr0 & ~uint64_t(3);
  c.stop();  // the new MSR may unmask a pending interrupt
  fp_exceptions_enabled(c, before);
}

DEF(hrfid) { exec_rfid(c, i); }

DEF(isync) {}

DEF(mcrf) {
  uint32_t w = i.raw;
  c.set_cr_field(BF(w), (c.cr >> (28 - 4 * BFA(w))) & 0xf);
}

#define CR_LOGICAL(name, expr)                        \
  DEF(name) {                                         \
    uint32_t w = i.raw;                               \
    bool a = c.cr_bit(RA(w)), b = c.cr_bit(RB(w));    \
    c.set_cr_bit(RT(w), (expr));                      \
  }
CR_LOGICAL(crand, a && b)
CR_LOGICAL(crandc, a && !b)
CR_LOGICAL(creqv, a == b)
CR_LOGICAL(crnand, !(a && b))
CR_LOGICAL(crnor, !(a || b))
CR_LOGICAL(cror, a || b)
CR_LOGICAL(crorc, a || !b)
CR_LOGICAL(crxor, a != b)
#undef CR_LOGICAL

DEF(mfcr) { c.gpr[RT(i.raw)] = c.cr; }

// mfocrf: the selected field in place, the other fields zero (as qemu does;
// the architecture leaves them undefined).
DEF(mfocrf) {
  uint32_t fxm = FXM(i.raw), keep = 0;
  for (unsigned f = 0; f < 8; ++f)
    if (fxm & (0x80 >> f)) keep |= 0xfu << (28 - 4 * f);
  c.gpr[RT(i.raw)] = c.cr & keep;
}

DEF(mtcrf) {
  uint32_t fxm = FXM(i.raw), mask = 0;
  for (unsigned f = 0; f < 8; ++f)
    if (fxm & (0x80 >> f)) mask |= 0xfu << (28 - 4 * f);
  c.cr = (c.cr & ~mask) | (uint32_t(c.gpr[RT(i.raw)]) & mask);
}

DEF(mtocrf) { exec_mtcrf(c, i); }

}  // namespace dusim::ppc
