// Breakpoints and watchpoints as sets a target consults: `breakpoint_at`
// before each instruction while any breakpoint exists, `triggered` on each
// slow-path data access while any watchpoint exists, and `blocks_grant` to
// keep accesses to watched blocks off the memory port's fast path.
//
// Locking and synchronization: none; owned by one target, used from its thread.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "gdb/debug_target.h"

namespace dusim::gdb {

class DebugPoints {
 public:
  struct Watchpoint {
    uint64_t addr, len;
    WatchKind kind;
  };

  bool insert_breakpoint(uint64_t pc);
  bool remove_breakpoint(uint64_t pc);
  bool has_breakpoints() const { return !breakpoints_.empty(); }
  // Cheap in the common case: a 64-bit filter on pc bits 2..7 comes first.
  bool breakpoint_at(uint64_t pc) const {
    return (filter_ >> ((pc >> 2) & 63) & 1) && breakpoints_.count(pc);
  }

  bool insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind);
  bool remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind);
  bool has_watchpoints() const { return !watchpoints_.empty(); }
  // The first watchpoint that a read (or write) of [addr, addr+len) triggers.
  const Watchpoint* triggered(uint64_t addr, uint64_t len, bool write) const;
  // True if a fast-path grant of [base, base+len) obtained by a read (or a
  // write) could let a watched access bypass `triggered`.
  bool blocks_grant(uint64_t base, uint64_t len, bool write) const;

  void clear();

 private:
  std::unordered_set<uint64_t> breakpoints_;
  uint64_t filter_ = 0;
  std::vector<Watchpoint> watchpoints_;  // a multiset: GDB may watch one range twice
};

// A DebugTarget whose breakpoints and watchpoints live in one DebugPoints
// (both dusim targets). After a watchpoint is inserted the target must drop
// the memory ports' fast-path grants, which would bypass the check.
class PointsDebugTarget : public DebugTarget {
 public:
  bool insert_breakpoint(uint64_t pc) override { return points_.insert_breakpoint(pc); }
  bool remove_breakpoint(uint64_t pc) override { return points_.remove_breakpoint(pc); }
  bool insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) override {
    if (!points_.insert_watchpoint(addr, len, kind)) return false;
    drop_fast_paths();
    return true;
  }
  bool remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) override {
    return points_.remove_watchpoint(addr, len, kind);
  }
  void remove_all_points() override { points_.clear(); }

 protected:
  virtual void drop_fast_paths() = 0;
  DebugPoints points_;
};

}  // namespace dusim::gdb
