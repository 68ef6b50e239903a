// Data watchpoints without touching the CPU: a MemTarget that sits between a
// CPU's MemPort and the real target. Every access that reaches it is checked
// against the watchpoints, and it withholds fast-path grants for blocks that
// hold watched bytes, so every access to watched data comes through it. When
// the watchpoints change, the owner flushes the ports (MemPort::flush) so
// that grants handed out earlier are dropped.
//
// A hit throws WatchpointHit before the access is performed. It unwinds the
// instruction like an AccessFault does, leaving pc at the instruction, which
// is what GDB expects of PowerPC (watchpoints trigger before the access; GDB
// then steps over the instruction with the watchpoints removed). Call
// make_restartable() on the CPU after catching it.
//
// With no watchpoints set, an access costs one extra virtual call on the slow
// path and nothing on the fast path; results and timing are unchanged.
#pragma once

#include <cstdint>

#include "cpu_ppc64/cpu.h"
#include "cpu_ppc64/mem_port.h"
#include "gdb/debug_points.h"

namespace dusim::gdb {

// Thrown out of Cpu::run(). Deliberately not a std::exception, so that code
// catching faults generically does not mistake it for one.
struct WatchpointHit {
  unsigned cpu;
  uint64_t addr;  // first watched byte the access touches
  WatchKind kind;
};

class WatchedMemory final : public ppc::MemTarget {
 public:
  // `inner` serves the accesses; `block_bytes` is the cache-block size that
  // dcbz clears (a watched write of that many bytes).
  WatchedMemory(ppc::MemTarget& inner, const DebugPoints& points, unsigned block_bytes)
      : inner_(inner), points_(points), block_bytes_(block_bytes) {}

  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;

  // Grants cover 2^block_shift bytes (the port's block size).
  void set_grant_shift(unsigned block_shift) { grant_shift_ = block_shift; }

 private:
  ppc::MemTarget& inner_;
  const DebugPoints& points_;
  unsigned block_bytes_;
  unsigned grant_shift_ = 12;
};

// After a WatchpointHit unwound the instruction at c.pc, undo what the
// instruction changed before its access so that it can run again. Only a
// store-conditional does that: it drops the reservation before storing, and
// its store reaches memory only when the reservation was held.
void make_restartable(ppc::Cpu& c);

}  // namespace dusim::gdb
