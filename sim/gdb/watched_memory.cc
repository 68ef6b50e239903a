#include "gdb/watched_memory.h"

namespace dusim::gdb {

using ppc::Access;

ppc::AccessResult WatchedMemory::access(unsigned cpu, uint64_t addr, unsigned size, Access kind, uint8_t* data) {
  if (!points_.has_watchpoints()) [[likely]]
    return inner_.access(cpu, addr, size, kind, data);

  // What the access reads or writes, as the watchpoints see it.
  uint64_t lo = addr, len = size;
  bool write = false, is_data = true;
  switch (kind) {
    case Access::Read: break;
    case Access::Write:
    case Access::StoreConditional: write = true; break;
    case Access::BlockZero:
      lo = addr & ~uint64_t(block_bytes_ - 1);
      len = block_bytes_;
      write = true;
      break;
    default: is_data = false; break;  // fetches, hints and cache maintenance
  }
  if (is_data) {
    if (const DebugPoints::Watchpoint* w = points_.triggered(lo, len, write)) {
      uint64_t first = lo > w->addr ? lo : w->addr;
      throw WatchpointHit{cpu, first, w->kind};
    }
  }

  ppc::AccessResult r = inner_.access(cpu, addr, size, kind, data);
  if (r.grant && (kind == Access::Read || kind == Access::Write)) {
    uint64_t base = addr & ~((uint64_t(1) << grant_shift_) - 1);
    if (points_.blocks_grant(base, uint64_t(1) << grant_shift_, write)) r.grant = nullptr;
  }
  return r;
}

void make_restartable(ppc::Cpu& c) {
  uint32_t raw = c.decoded(c.pc).raw;
  unsigned primary = raw >> 26, extended = (raw >> 1) & 0x3ff;
  bool store_conditional = primary == 31 && (raw & 1) &&
                           (extended == 150 || extended == 214 || extended == 694 || extended == 726);
  // stwcx., stdcx., stbcx., sthcx.: the reservation matched (resv_addr is still the address).
  if (store_conditional) c.resv_valid = true;
}

}  // namespace dusim::gdb
