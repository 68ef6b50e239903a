// The guest process's virtual memory, as Linux keeps it: host-backed areas
// (where mappings may be placed) and, inside them, page-aligned mappings,
// each with its protection (Linux's VMAs). Guest loads, stores and fetches
// and the system calls' copies check the mappings; bytes of an area outside
// every mapping do not exist for the guest.
//
// Backing: each area is one PhysMemory region (host memory reserved with
// MAP_NORESERVE, pages allocated on first touch). Unmapping or discarding
// releases the host pages (MADV_DONTNEED), so a later mapping reads zero.
//
// Locking and synchronization: none; one host thread runs every guest thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "memory/phys_memory.h"

namespace dusim {

class AddressSpace {
 public:
  static constexpr unsigned kPageShift = 12;
  static constexpr uint64_t kPage = 1ull << kPageShift;
  // PROT_* bits. On 64-bit PowerPC any permission implies read.
  enum Prot : uint8_t { kRead = 1, kWrite = 2, kExec = 4 };

  struct Mapping {
    uint64_t start, end;  // [start, end), page-aligned
    uint8_t prot;
    std::string name;     // "[heap]", "[stack]", "[anon]", the program's path...
    uint8_t* host;        // the backing of `start` (the whole mapping lies in one area)
    // Any permission implies read on 64-bit PowerPC.
    bool permits(uint8_t need) const { return ((prot ? prot | kRead : 0) & need) == need; }
  };

  // Host memory for [base, base+size) (page-aligned) where mappings may go.
  void add_area(const std::string& name, uint64_t base, uint64_t size);
  // Mappings that name no address are placed in [base, base+size), top-down
  // (as Linux's default mmap layout); the range must lie inside one area.
  void set_mmap_area(uint64_t base, uint64_t size);
  // Called with [start, end) whenever mappings there go away, change
  // protection or have their contents discarded, so that fast-path grants
  // can be dropped; `code` is true if the range was executable (its decoded
  // instructions must go too).
  using ChangeFn = std::function<void(uint64_t start, uint64_t end, bool code)>;
  void set_on_change(ChangeFn f) { on_change_ = std::move(f); }

  // Linux's operations. Each returns the address (or 0) on success, -errno
  // on failure. `len` is rounded up to whole pages, as Linux does.
  int64_t map(uint64_t addr, uint64_t len, uint8_t prot, bool fixed, bool noreplace, const std::string& name);
  int64_t unmap(uint64_t addr, uint64_t len);
  int64_t protect(uint64_t addr, uint64_t len, uint8_t prot);
  int64_t remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr);
  int64_t discard(uint64_t addr, uint64_t len);  // MADV_DONTNEED: the pages read zero again

  // The program break: [start, limit) is reserved for it inside an area.
  void set_brk_range(uint64_t start, uint64_t limit);
  uint64_t brk(uint64_t want);  // Linux's brk: the new break, or the old one if `want` is refused
  uint64_t brk_start() const { return brk_start_; }

  // The mapping holding `addr`, if any. The last one found is tried first
  // (accesses cluster), so the memory port's slow path rarely searches.
  const Mapping* find(uint64_t addr) const {
    if (last_ && addr - last_->start < last_->end - last_->start) return last_;
    return search(addr);
  }
  // True if every byte of [addr, addr+len) is mapped with all of `prot`.
  bool allows(uint64_t addr, uint64_t len, uint8_t prot) const;
  // True if every byte of [addr, addr+len) is mapped at all.
  bool mapped(uint64_t addr, uint64_t len) const { return allows(addr, len, 0); }
  // Host bytes of [addr, addr+len) inside one area, unchecked (null outside).
  uint8_t* host(uint64_t addr, uint64_t len) const { return backing_.host(addr, len); }
  PhysMemory& backing() { return backing_; }
  const std::map<uint64_t, Mapping>& mappings() const { return maps_; }
  // A /proc/self/maps-like line for the mapping nearest `addr`, for fault reports.
  std::string describe(uint64_t addr) const;

 private:
  const Mapping* search(uint64_t addr) const;
  bool inside_one_area(uint64_t start, uint64_t end) const;
  bool is_free(uint64_t start, uint64_t end) const;
  // Removes [start, end) from the mappings, splitting those that straddle it.
  void cut(uint64_t start, uint64_t end);
  void insert(uint64_t start, uint64_t end, uint8_t prot, const std::string& name);
  void release(uint64_t start, uint64_t end);  // host pages back to zero
  std::optional<uint64_t> find_free(uint64_t len) const;
  std::vector<Mapping> overlapping(uint64_t start, uint64_t end) const;
  bool any_exec(uint64_t start, uint64_t end) const;
  void changed(uint64_t start, uint64_t end, bool code) {
    if (on_change_) on_change_(start, end, code);
  }

  PhysMemory backing_;
  std::map<uint64_t, Mapping> maps_;  // by start address
  mutable const Mapping* last_ = nullptr;  // find()'s cache; reset whenever maps_ changes
  uint64_t mmap_base_ = 0, mmap_top_ = 0;
  uint64_t brk_start_ = 0, brk_ = 0, brk_limit_ = 0;
  ChangeFn on_change_;
};

}  // namespace dusim
