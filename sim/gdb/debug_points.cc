#include "gdb/debug_points.h"

#include <algorithm>

namespace dusim::gdb {

namespace {
// [a, a+alen) and [b, b+blen) share a byte: a lies in the second range or b
// in the first. The unsigned differences wrap to huge values otherwise.
bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
  if (alen == 0 || blen == 0) return false;
  return a - b < blen || b - a < alen;
}
}  // namespace

bool DebugPoints::insert_breakpoint(uint64_t pc) {
  breakpoints_.insert(pc);
  filter_ |= uint64_t(1) << ((pc >> 2) & 63);
  return true;
}

bool DebugPoints::remove_breakpoint(uint64_t pc) {
  if (!breakpoints_.erase(pc)) return false;
  filter_ = 0;
  for (uint64_t b : breakpoints_) filter_ |= uint64_t(1) << ((b >> 2) & 63);
  return true;
}

bool DebugPoints::insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) {
  if (len == 0) return false;
  watchpoints_.push_back({addr, len, kind});
  return true;
}

bool DebugPoints::remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) {
  auto it = std::find_if(watchpoints_.begin(), watchpoints_.end(), [&](const Watchpoint& w) {
    return w.addr == addr && w.len == len && w.kind == kind;
  });
  if (it == watchpoints_.end()) return false;
  watchpoints_.erase(it);
  return true;
}

const DebugPoints::Watchpoint* DebugPoints::triggered(uint64_t addr, uint64_t len, bool write) const {
  for (const Watchpoint& w : watchpoints_) {
    bool kind_matches = w.kind == WatchKind::Access || (w.kind == WatchKind::Write) == write;
    if (kind_matches && overlaps(addr, len, w.addr, w.len)) return &w;
  }
  return nullptr;
}

bool DebugPoints::blocks_grant(uint64_t base, uint64_t len, bool write) const {
  // A read grant serves later reads only, so only read-triggering watchpoints
  // matter for it; a write grant also installs a read grant, so any does.
  for (const Watchpoint& w : watchpoints_) {
    if ((write || w.kind != WatchKind::Write) && overlaps(base, len, w.addr, w.len)) return true;
  }
  return false;
}

void DebugPoints::clear() {
  breakpoints_.clear();
  filter_ = 0;
  watchpoints_.clear();
}

}  // namespace dusim::gdb
