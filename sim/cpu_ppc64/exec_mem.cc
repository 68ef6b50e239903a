// Loads, stores, load/store multiple and string, load-reserve /
// store-conditional, and the storage-control instructions.
#include "cpu_ppc64/exec_common.h"

namespace dusim::ppc {

// Update forms with RA=0 (and loads with RA=RT) are invalid forms.
static inline void check_update(Cpu& c, uint32_t w, bool is_load) {
  if (RA(w) == 0 || (is_load && RA(w) == RT(w)))
    c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "invalid form of a load/store with update");
}

#define LOAD(name, T, EXT, EA)                              \
  DEF(name) { c.gpr[RT(i.raw)] = EXT(c.mem.load<T>(EA(c, i.raw))); }
#define LOAD_U(name, T, EXT, EA)                            \
  DEF(name) {                                               \
    uint32_t w = i.raw;                                     \
    check_update(c, w, true);                               \
    uint64_t ea = EA(c, w);                                 \
    c.gpr[RT(w)] = EXT(c.mem.load<T>(ea));                  \
    c.gpr[RA(w)] = ea;                                      \
  }
#define STORE(name, T, EA)                                  \
  DEF(name) { c.mem.store<T>(EA(c, i.raw), T(c.gpr[RT(i.raw)])); }
#define STORE_U(name, T, EA)                                \
  DEF(name) {                                               \
    uint32_t w = i.raw;                                     \
    check_update(c, w, false);                              \
    uint64_t ea = EA(c, w);                                 \
    c.mem.store<T>(ea, T(c.gpr[RT(w)]));                    \
    c.gpr[RA(w)] = ea;                                      \
  }

#define ZX(v) uint64_t(v)
#define SX16(v) uint64_t(int64_t(int16_t(v)))
#define SX32(v) uint64_t(int64_t(int32_t(v)))
#define BR16(v) uint64_t(bswap(uint16_t(v)))
#define BR32(v) uint64_t(bswap(uint32_t(v)))
#define BR64(v) bswap(uint64_t(v))

LOAD(lbz, uint8_t, ZX, ea_d)
LOAD_U(lbzu, uint8_t, ZX, ea_d)
LOAD(lhz, uint16_t, ZX, ea_d)
LOAD_U(lhzu, uint16_t, ZX, ea_d)
LOAD(lha, uint16_t, SX16, ea_d)
LOAD_U(lhau, uint16_t, SX16, ea_d)
LOAD(lwz, uint32_t, ZX, ea_d)
LOAD_U(lwzu, uint32_t, ZX, ea_d)
LOAD(lwa, uint32_t, SX32, ea_ds)
LOAD(ld, uint64_t, ZX, ea_ds)
LOAD_U(ldu, uint64_t, ZX, ea_ds)
LOAD(lbzx, uint8_t, ZX, ea_x)
LOAD_U(lbzux, uint8_t, ZX, ea_x)
LOAD(lhzx, uint16_t, ZX, ea_x)
LOAD_U(lhzux, uint16_t, ZX, ea_x)
LOAD(lhax, uint16_t, SX16, ea_x)
LOAD_U(lhaux, uint16_t, SX16, ea_x)
LOAD(lwzx, uint32_t, ZX, ea_x)
LOAD_U(lwzux, uint32_t, ZX, ea_x)
LOAD(lwax, uint32_t, SX32, ea_x)
LOAD_U(lwaux, uint32_t, SX32, ea_x)
LOAD(ldx, uint64_t, ZX, ea_x)
LOAD_U(ldux, uint64_t, ZX, ea_x)
LOAD(lhbrx, uint16_t, BR16, ea_x)
LOAD(lwbrx, uint32_t, BR32, ea_x)
LOAD(ldbrx, uint64_t, BR64, ea_x)

STORE(stb, uint8_t, ea_d)
STORE_U(stbu, uint8_t, ea_d)
STORE(sth, uint16_t, ea_d)
STORE_U(sthu, uint16_t, ea_d)
STORE(stw, uint32_t, ea_d)
STORE_U(stwu, uint32_t, ea_d)
STORE(std, uint64_t, ea_ds)
STORE_U(stdu, uint64_t, ea_ds)
STORE(stbx, uint8_t, ea_x)
STORE_U(stbux, uint8_t, ea_x)
STORE(sthx, uint16_t, ea_x)
STORE_U(sthux, uint16_t, ea_x)
STORE(stwx, uint32_t, ea_x)
STORE_U(stwux, uint32_t, ea_x)
STORE(stdx, uint64_t, ea_x)
STORE_U(stdux, uint64_t, ea_x)
DEF(sthbrx) { c.mem.store<uint16_t>(ea_x(c, i.raw), bswap(uint16_t(c.gpr[RT(i.raw)]))); }
DEF(stwbrx) { c.mem.store<uint32_t>(ea_x(c, i.raw), bswap(uint32_t(c.gpr[RT(i.raw)]))); }
DEF(stdbrx) { c.mem.store<uint64_t>(ea_x(c, i.raw), bswap(c.gpr[RT(i.raw)])); }

// ---- multiple and string ----
DEF(lmw) {
  uint32_t w = i.raw;
  uint64_t ea = ea_d(c, w);
  for (unsigned r = RT(w); r < 32; ++r, ea += 4) c.gpr[r] = c.mem.load<uint32_t>(ea);
}
DEF(stmw) {
  uint32_t w = i.raw;
  uint64_t ea = ea_d(c, w);
  for (unsigned r = RT(w); r < 32; ++r, ea += 4) c.mem.store<uint32_t>(ea, uint32_t(c.gpr[r]));
}
// Bytes fill the low word of RT, RT+1, … (wrapping to r0), high byte first.
static void load_string(Cpu& c, unsigned rt, uint64_t ea, unsigned n) {
  unsigned r = rt, shift = 24;
  for (unsigned k = 0; k < n; ++k) {
    if (shift == 24) c.gpr[r] = 0;
    c.gpr[r] |= uint64_t(c.mem.load<uint8_t>(ea + k)) << shift;
    if (shift == 0) {
      shift = 24;
      r = (r + 1) & 31;
    } else {
      shift -= 8;
    }
  }
}
static void store_string(Cpu& c, unsigned rs, uint64_t ea, unsigned n) {
  unsigned r = rs, shift = 24;
  for (unsigned k = 0; k < n; ++k) {
    c.mem.store<uint8_t>(ea + k, uint8_t(c.gpr[r] >> shift));
    if (shift == 0) {
      shift = 24;
      r = (r + 1) & 31;
    } else {
      shift -= 8;
    }
  }
}
DEF(lswi) { load_string(c, RT(i.raw), ra0(c, i.raw), RB(i.raw) ? RB(i.raw) : 32); }
DEF(lswx) { load_string(c, RT(i.raw), ea_x(c, i.raw), c.xer_bc); }
DEF(stswi) { store_string(c, RT(i.raw), ra0(c, i.raw), RB(i.raw) ? RB(i.raw) : 32); }
DEF(stswx) { store_string(c, RT(i.raw), ea_x(c, i.raw), c.xer_bc); }

// ---- load-reserve / store-conditional ----
// The reservation remembers the exact address (a store-conditional to any
// other address fails, as in qemu); the memory side clears it when another
// CPU writes the reservation granule.
template <class T>
static void load_reserve(Cpu& c, uint32_t w) {
  uint64_t ea = ea_x(c, w);
  if (ea % sizeof(T)) c.program_check(FaultKind::BadAccess, 0, "unaligned load-and-reserve");
  // Reserve first: under an ordered sync policy the memory side brings the
  // CPU to its own time there, so the load and the reservation that follow
  // see every other CPU's earlier stores.
  c.mem.block_op(ea, Access::Reserve, nullptr);
  c.gpr[RT(w)] = c.mem.load<T>(ea);
  c.resv_addr = ea;
  c.resv_valid = true;
}
template <class T>
static void store_conditional(Cpu& c, uint32_t w) {
  uint64_t ea = ea_x(c, w);
  if (ea % sizeof(T)) c.program_check(FaultKind::BadAccess, 0, "unaligned store-conditional");
  c.mem.block_op(ea, Access::Order, nullptr);  // other CPUs' earlier stores reach the reservation first
  bool ok = c.resv_valid && c.resv_addr == ea;
  if (ok) ok = c.mem.store_conditional<T>(ea, T(c.gpr[RT(w)]));  // a storage interrupt leaves the reservation
  c.resv_valid = false;
  c.set_cr_field(0, (ok ? 2u : 0u) | c.xer_so);
}
DEF(lbarx) { load_reserve<uint8_t>(c, i.raw); }
DEF(lharx) { load_reserve<uint16_t>(c, i.raw); }
DEF(lwarx) { load_reserve<uint32_t>(c, i.raw); }
DEF(ldarx) { load_reserve<uint64_t>(c, i.raw); }
DEF(stbcx) { store_conditional<uint8_t>(c, i.raw); }
DEF(sthcx) { store_conditional<uint16_t>(c, i.raw); }
DEF(stwcx) { store_conditional<uint32_t>(c, i.raw); }
DEF(stdcx) { store_conditional<uint64_t>(c, i.raw); }

// ---- storage control ----
// Memory order is the host's execution order (sequentially consistent), so
// the barriers cost their class latency and nothing else here.
// sync with L=0 (heavyweight) waits for the fabric; lwsync (L=1) does not.
DEF(sync) {
  // L=0 (sync) and L=2 (ptesync: page-table stores before later walks) are heavyweight.
  if (((i.raw >> 21) & 1) == 0) c.mem.block_op(0, Access::Barrier, nullptr);
}
DEF(eieio) {}
DEF(dcbt) { c.mem.block_op(ea_x(c, i.raw), Access::BlockTouch, nullptr); }
DEF(dcbtst) { c.mem.block_op(ea_x(c, i.raw), Access::BlockTouch, nullptr); }
DEF(dcbz) { c.mem.block_op(ea_x(c, i.raw), Access::BlockZero, nullptr); }
DEF(dcbf) { c.mem.block_op(ea_x(c, i.raw), Access::BlockFlush, nullptr); }
DEF(dcbst) { c.mem.block_op(ea_x(c, i.raw), Access::BlockClean, nullptr); }
DEF(dcbi) {
  if (!c.privileged()) return c.program_check(FaultKind::PrivilegedInstruction, prog::kPrivileged, "dcbi in problem state");
  c.mem.block_op(ea_x(c, i.raw), Access::BlockInvalidate, nullptr);
}
DEF(icbi) { c.mem.block_op(ea_x(c, i.raw), Access::ICacheInvalidate, nullptr); }

}  // namespace dusim::ppc
