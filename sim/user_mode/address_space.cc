#include "user_mode/address_space.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "user_mode/linux_abi.h"

namespace dusim {

namespace {
using namespace linux_abi;
constexpr uint64_t kPage = AddressSpace::kPage;
uint64_t page_up(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }
bool page_aligned(uint64_t v) { return (v & (kPage - 1)) == 0; }
}  // namespace

void AddressSpace::add_area(const std::string& name, uint64_t base, uint64_t size) {
  backing_.add_region(name, base, size);
}

void AddressSpace::set_mmap_area(uint64_t base, uint64_t size) {
  mmap_base_ = base;
  mmap_top_ = base + size;
}

bool AddressSpace::inside_one_area(uint64_t start, uint64_t end) const {
  return end > start && backing_.host(start, end - start) != nullptr;
}

const AddressSpace::Mapping* AddressSpace::search(uint64_t addr) const {
  auto it = maps_.upper_bound(addr);
  if (it == maps_.begin()) return nullptr;
  --it;
  if (addr >= it->second.end) return nullptr;
  last_ = &it->second;
  return last_;
}

bool AddressSpace::allows(uint64_t addr, uint64_t len, uint8_t prot) const {
  if (len == 0) return true;
  uint64_t end = addr + len;
  if (end < addr) return false;
  for (uint64_t a = addr; a < end;) {
    const Mapping* m = find(a);
    if (!m || !m->permits(prot)) return false;
    a = m->end;
  }
  return true;
}

bool AddressSpace::is_free(uint64_t start, uint64_t end) const {
  auto it = maps_.lower_bound(start);
  if (it != maps_.end() && it->second.start < end) return false;
  if (it != maps_.begin() && std::prev(it)->second.end > start) return false;
  return true;
}

std::vector<AddressSpace::Mapping> AddressSpace::overlapping(uint64_t start, uint64_t end) const {
  std::vector<Mapping> out;
  auto it = maps_.upper_bound(start);
  if (it != maps_.begin()) --it;
  for (; it != maps_.end() && it->second.start < end; ++it)
    if (it->second.end > start) out.push_back(it->second);
  return out;
}

bool AddressSpace::any_exec(uint64_t start, uint64_t end) const {
  for (const Mapping& m : overlapping(start, end))
    if (m.prot & kExec) return true;
  return false;
}

void AddressSpace::cut(uint64_t start, uint64_t end) {
  last_ = nullptr;
  for (const Mapping& m : overlapping(start, end)) {
    maps_.erase(m.start);
    if (m.start < start) maps_.emplace(m.start, Mapping{m.start, start, m.prot, m.name, m.host});
    if (m.end > end) maps_.emplace(end, Mapping{end, m.end, m.prot, m.name, m.host + (end - m.start)});
  }
}

void AddressSpace::insert(uint64_t start, uint64_t end, uint8_t prot, const std::string& name) {
  last_ = nullptr;
  uint8_t* host = backing_.host(start, end - start);
  // Merge with equal neighbours so that growing heaps and stacks stay one
  // mapping, when their backing continues this one's (the same area).
  auto same = [&](const Mapping& m, uint8_t* expected_host) {
    return m.prot == prot && m.name == name && m.host == expected_host;
  };
  auto next = maps_.find(end);
  if (next != maps_.end() && same(next->second, host + (end - start))) {
    end = next->second.end;
    maps_.erase(next);
  }
  auto it = maps_.lower_bound(start);
  if (it != maps_.begin()) {
    auto prev = std::prev(it);
    if (prev->second.end == start && same(prev->second, host - (start - prev->second.start))) {
      prev->second.end = end;
      return;
    }
  }
  maps_.emplace(start, Mapping{start, end, prot, name, host});
}

void AddressSpace::release(uint64_t start, uint64_t end) {
  if (uint8_t* p = backing_.host(start, end - start)) madvise(p, end - start, MADV_DONTNEED);
}

std::optional<uint64_t> AddressSpace::find_free(uint64_t len) const {
  // Highest gap of `len` bytes below the top of the mmap area.
  uint64_t hi = mmap_top_;
  auto it = maps_.lower_bound(mmap_top_);  // first mapping at or above the top
  if (it != maps_.begin() && std::prev(it)->second.end > hi) hi = std::prev(it)->second.start;
  for (;;) {
    uint64_t lo = mmap_base_;
    auto below = it;
    while (below != maps_.begin()) {
      auto p = std::prev(below);
      if (p->second.start < hi) {
        lo = std::max(lo, p->second.end);
        break;
      }
      below = p;
    }
    if (hi > lo && hi - lo >= len) return hi - len;
    if (below == maps_.begin() || lo <= mmap_base_) return std::nullopt;
    it = std::prev(below);
    hi = it->second.start;
  }
}

int64_t AddressSpace::map(uint64_t addr, uint64_t len, uint8_t prot, bool fixed, bool noreplace,
                          const std::string& name) {
  if (len == 0 || page_up(len) < len) return -kEINVAL;
  len = page_up(len);
  if (fixed || noreplace) {
    if (!page_aligned(addr)) return -kEINVAL;
    if (!inside_one_area(addr, addr + len)) return -kENOMEM;
    if (!is_free(addr, addr + len)) {
      if (noreplace) return -kEEXIST;
      bool code = any_exec(addr, addr + len);
      cut(addr, addr + len);
      release(addr, addr + len);
      changed(addr, addr + len, code);
    }
    insert(addr, addr + len, prot, name);
    return int64_t(addr);
  }
  uint64_t hint = addr & ~(kPage - 1);
  if (hint && inside_one_area(hint, hint + len) && is_free(hint, hint + len)) {
    insert(hint, hint + len, prot, name);
    return int64_t(hint);
  }
  std::optional<uint64_t> at = find_free(len);
  if (!at) return -kENOMEM;
  insert(*at, *at + len, prot, name);
  return int64_t(*at);
}

int64_t AddressSpace::unmap(uint64_t addr, uint64_t len) {
  if (!page_aligned(addr) || len == 0 || page_up(len) < len || addr + page_up(len) < addr) return -kEINVAL;
  uint64_t end = addr + page_up(len);
  bool code = any_exec(addr, end);
  cut(addr, end);
  release(addr, end);
  changed(addr, end, code);
  return 0;
}

int64_t AddressSpace::protect(uint64_t addr, uint64_t len, uint8_t prot) {
  if (!page_aligned(addr) || page_up(len) < len || addr + page_up(len) < addr) return -kEINVAL;
  if (prot & ~uint8_t(kRead | kWrite | kExec)) return -kEINVAL;
  if (len == 0) return 0;
  uint64_t end = addr + page_up(len);
  if (!mapped(addr, end - addr)) return -kENOMEM;
  // Re-insert each piece of the range with the new protection, keeping its name.
  std::vector<Mapping> pieces = overlapping(addr, end);
  bool code = any_exec(addr, end);
  cut(addr, end);
  for (const Mapping& m : pieces) insert(std::max(m.start, addr), std::min(m.end, end), prot, m.name);
  changed(addr, end, code);
  return 0;
}

int64_t AddressSpace::remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                            uint64_t new_addr) {
  if (!page_aligned(old_addr) || (flags & ~(kMREMAP_MAYMOVE | kMREMAP_FIXED))) return -kEINVAL;
  if ((flags & kMREMAP_FIXED) && (!(flags & kMREMAP_MAYMOVE) || !page_aligned(new_addr))) return -kEINVAL;
  if (new_len == 0 || old_len == 0 || page_up(new_len) < new_len || page_up(old_len) < old_len) return -kEINVAL;
  old_len = page_up(old_len);
  new_len = page_up(new_len);
  const Mapping* m = find(old_addr);
  if (!m || m->end - old_addr < old_len) return -kEFAULT;
  const uint8_t prot = m->prot;
  const std::string name = m->name;
  auto move_to = [&](uint64_t to) {
    // Copy the kept bytes, then drop the old range.
    uint64_t keep = std::min(old_len, new_len);
    std::memmove(host(to, keep), host(old_addr, keep), keep);
    bool code = any_exec(old_addr, old_addr + old_len);
    cut(old_addr, old_addr + old_len);
    release(old_addr, old_addr + old_len);
    changed(old_addr, old_addr + old_len, code);
    return int64_t(to);
  };
  if (flags & kMREMAP_FIXED) {
    if (new_addr < old_addr + old_len && old_addr < new_addr + new_len) return -kEINVAL;
    int64_t r = map(new_addr, new_len, prot, true, false, name);
    if (r < 0) return r;
    return move_to(new_addr);
  }
  if (new_len <= old_len) {
    if (new_len < old_len) unmap(old_addr + new_len, old_len - new_len);
    return int64_t(old_addr);
  }
  uint64_t grow_at = old_addr + old_len, grow_end = old_addr + new_len;
  if (grow_end > grow_at && inside_one_area(old_addr, grow_end) && is_free(grow_at, grow_end)) {
    insert(grow_at, grow_end, prot, name);
    return int64_t(old_addr);
  }
  if (!(flags & kMREMAP_MAYMOVE)) return -kENOMEM;
  std::optional<uint64_t> at = find_free(new_len);
  if (!at) return -kENOMEM;
  insert(*at, *at + new_len, prot, name);
  return move_to(*at);
}

int64_t AddressSpace::discard(uint64_t addr, uint64_t len) {
  if (!page_aligned(addr) || page_up(len) < len) return -kEINVAL;
  if (len == 0) return 0;
  uint64_t end = addr + page_up(len);
  if (!mapped(addr, end - addr)) return -kENOMEM;
  release(addr, end);
  changed(addr, end, any_exec(addr, end));
  return 0;
}

void AddressSpace::set_brk_range(uint64_t start, uint64_t limit) {
  brk_start_ = brk_ = start;
  brk_limit_ = limit;
}

uint64_t AddressSpace::brk(uint64_t want) {
  if (want < brk_start_ || want > brk_limit_) return brk_;
  uint64_t old_top = page_up(brk_), new_top = page_up(want);
  if (new_top > old_top) {
    if (!is_free(old_top, new_top)) return brk_;
    insert(old_top, new_top, kRead | kWrite, "[heap]");
  } else if (new_top < old_top) {
    unmap(new_top, old_top - new_top);
  }
  brk_ = want;
  return brk_;
}

std::string AddressSpace::describe(uint64_t addr) const {
  auto line = [](const Mapping& m) {
    return fmt::format("{:#x}-{:#x} {}{}{} {}", m.start, m.end, m.prot & kRead ? 'r' : '-',
                       m.prot & kWrite ? 'w' : '-', m.prot & kExec ? 'x' : '-', m.name);
  };
  if (const Mapping* m = find(addr)) return "inside mapping " + line(*m);
  auto it = maps_.upper_bound(addr);
  std::string s = fmt::format("{:#x} is not mapped", addr);
  if (it != maps_.begin()) s += "; below it: " + line(std::prev(it)->second);
  if (it != maps_.end()) s += "; above it: " + line(it->second);
  return s;
}

}  // namespace dusim
