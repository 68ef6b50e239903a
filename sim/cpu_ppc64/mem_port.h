// The CPU's only way to memory. Instruction bodies call load<T>/store<T>; an
// inlined fast path serves accesses from host pointers that the memory side
// has granted per block, and everything else goes out of line to a MemTarget,
// which models timing, coherence and devices. What a grant covers (a 4 KiB
// page with plain memory, a cache line under coherence) is the target's
// choice: it sets the block size and revokes grants when it must.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "mmu/mmu.h"

namespace dusim::ppc {

// Kinds of access. The block operations carry size 0 and act on the whole
// cache block holding the address.
enum class Access : uint8_t {
  Read, Write, Fetch,
  BlockZero,        // dcbz
  BlockFlush,       // dcbf: write back if dirty, invalidate
  BlockClean,       // dcbst: write back if dirty
  BlockInvalidate,  // dcbi
  BlockTouch,       // dcbt, dcbtst
  ICacheInvalidate, // icbi
  Reserve,          // lwarx/ldarx took a reservation on the block (size 0)
  Barrier,          // sync (heavyweight): prior accesses complete (size 0)
  Order,            // stwcx. is about to test its reservation (size 0): a point where
                    // the order among CPUs matters (machine.sync_policy)
  TlbInvalidate,    // tlbie (size 0, the address is RB): every CPU drops the translations
  PteUpdate,        // the MMU's reference/change update of a PTE (size 16; data: a PteUpdate)
  StoreConditional, // stwcx. and kin with translation on: the memory side stores only if
                    // the CPU's reservation still holds at the store's own moment
};

// Access::PteUpdate's operand. The memory side compares the PTE at the
// address with what the walk read and, if it is unchanged (R and C aside),
// sets `set` in its second doubleword, all at one point in the order among
// CPUs (the hardware's update is atomic: Book III-S, "Reference and Change
// Recording").
struct PteUpdate {
  uint64_t d0 = 0, d1 = 0;  // what the walk read
  uint64_t set = 0;         // bits to set in doubleword 1 (R, C)
  uint64_t now1 = 0;        // out: doubleword 1 as it is after the update
  bool matched = false;     // out: the PTE was unchanged, and `set` is in it
};

struct AccessResult {
  bool ok = false;            // false: nothing is mapped there
  uint32_t stall = 0;         // extra cycles beyond the instruction's class latency
  uint8_t* grant = nullptr;   // host address of the block's first byte, if the fast path may serve it
  bool lost = false;          // StoreConditional: the reservation was gone, nothing was stored
};

// Slow-path side of the port: plain memory, caches + coherence, devices.
class MemTarget {
 public:
  virtual ~MemTarget() = default;
  // Performs an access of `size` bytes (1..8, or a cache-block operation with
  // size 0) at guest address `addr` for `cpu`. `data` holds big-endian bytes.
  virtual AccessResult access(unsigned cpu, uint64_t addr, unsigned size, Access kind, uint8_t* data) = 0;
};

// Raised for accesses that nothing backs; what() is the fault report's
// reason, e.g. "store outside memory at 0x1234".
std::string access_fault_message(uint64_t addr, Access kind);
struct AccessFault : std::runtime_error {
  AccessFault(uint64_t a, Access k, unsigned s)
      : std::runtime_error(access_fault_message(a, k)), addr(a), kind(k), size(s) {}
  uint64_t addr;
  Access kind;
  unsigned size;
};

// A translation that failed (MSR[DR] or MSR[IR] on): the CPU's run() takes
// the storage or segment interrupt it names (cpu.h), or ends the run with a
// fault report where the guest has no vectors.
struct StorageInterrupt {
  mmu::Fault fault;
};

// Byte reversal of 1, 2, 4 or 8-byte integers (std::byteswap is C++23).
template <class T>
constexpr T bswap(T v) {
  if constexpr (sizeof(T) == 1) return v;
  else if constexpr (sizeof(T) == 2) return T(__builtin_bswap16(uint16_t(v)));
  else if constexpr (sizeof(T) == 4) return T(__builtin_bswap32(uint32_t(v)));
  else return T(__builtin_bswap64(uint64_t(v)));
}

template <class T>
inline T from_be(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (sizeof(T) > 1) v = bswap(v);
  return v;
}
template <class T>
inline void to_be(uint8_t* p, T v) {
  if constexpr (sizeof(T) > 1) v = bswap(v);
  std::memcpy(p, &v, sizeof v);
}

// With translation on (MSR[DR] for data, MSR[IR] for fetch) the slow path
// translates the effective address through the MMU, accesses the real
// address and grants the block keyed by its effective address; a reverse
// table by real block finds those grants again when the memory side revokes
// one by real address. Every grant is dropped when the MSR's IR, DR or PR,
// the SLB or the TLB change (set_mode, flush), so a fast-path hit is always a
// translation the MMU would give now.
class MemPort {
 public:
  static constexpr unsigned kEntries = 256;
  static constexpr uint8_t kXlateData = 1, kXlateFetch = 2, kProblem = 4;

  void attach(MemTarget* target, unsigned cpu, unsigned block_shift, uint64_t* stall_sink) {
    target_ = target;
    cpu_ = cpu;
    block_shift_ = block_shift;
    stall_sink_ = stall_sink;
    flush();
  }

  template <class T>
  T load(uint64_t ea) {
    const Entry& e = rd_[(ea >> block_shift_) & (kEntries - 1)];
    uint64_t off = ea - (e.tag << block_shift_);
    if (e.tag == (ea >> block_shift_) && off <= (uint64_t(1) << block_shift_) - sizeof(T)) [[likely]] {
      ++fast_reads;
      return from_be<T>(e.host + off);
    }
    uint8_t buf[8];
    slow(ea, sizeof(T), Access::Read, buf);
    return from_be<T>(buf);
  }

  template <class T>
  void store(uint64_t ea, T v) {
    if (store_fast<T>(ea, v)) [[likely]]
      return;
    uint8_t buf[8];
    to_be<T>(buf, v);
    slow(ea, sizeof(T), Access::Write, buf);
  }

  // The store of a store-conditional whose reservation the caller found
  // valid just after ordering itself among the CPUs. Returns whether it
  // stored. Untranslated, nothing can come between that check and the store
  // (the store cannot wait: the CPU is at its own time). Translated, the
  // store's translation may walk the page table, and a walk's accesses may
  // let other CPUs run and take the reservation: the memory side checks the
  // reservation again at the store's own moment.
  template <class T>
  bool store_conditional(uint64_t ea, T v) {
    if (!(mode_ & kXlateData)) [[likely]] {
      store<T>(ea, v);
      return true;
    }
    if (store_fast<T>(ea, v)) return true;
    uint8_t buf[8];
    to_be<T>(buf, v);
    lost_ = false;
    slow(ea, sizeof(T), Access::StoreConditional, buf);
    return !lost_;
  }

  // Instruction fetch (only when decoding; the predecoded cache serves the rest).
  uint32_t fetch(uint64_t pc) {
    uint8_t buf[4];
    slow(pc, 4, Access::Fetch, buf);
    return from_be<uint32_t>(buf);
  }
  // The address the predecoded-code cache keys `pc` by: the real address
  // with MSR[IR] on (translating, and raising ISI/ISegI), else pc itself.
  uint64_t code_address(uint64_t pc) {
    if (!(mode_ & kXlateFetch)) [[likely]] return pc;
    return fetch_translate(pc);
  }
  // tlbie: the target broadcasts the invalidation to every CPU's MMU.
  void tlbie(uint64_t rb) {
    ++mmu_.stats.tlbie_issued;
    slow(rb, 0, Access::TlbInvalidate, nullptr);
  }

  // The translation mode from an MSR value (IR, DR, PR); drops every grant
  // when it changes with translation on before or after. Returns whether it did.
  bool set_mode(uint64_t msr) {
    uint8_t m = uint8_t(((msr >> 4) & 1) * kXlateData | ((msr >> 5) & 1) * kXlateFetch | ((msr >> 14) & 1) * kProblem);
    if (m == mode_) return false;
    bool had = (mode_ | m) & (kXlateData | kXlateFetch);
    mode_ = m;
    if (had) flush();
    return had;
  }
  uint8_t mode() const { return mode_; }
  mmu::Mmu& mmu() { return mmu_; }
  const mmu::Mmu& mmu() const { return mmu_; }

  // Instruction-fetch timing when the fetched line changes (no data moves).
  void fetch_line(uint64_t pc) { slow(pc, 0, Access::Fetch, nullptr); }

  // Cache-block operation (dcbz, dcbf, dcbst, icbi…) routed to the target.
  void block_op(uint64_t ea, Access kind, uint8_t* data) { slow(ea, 0, kind, data); }

  void flush() {
    for (Entry& e : rd_) e.tag = ~uint64_t(0);
    for (Entry& e : wr_) e.tag = ~uint64_t(0);
    for (Rev& r : rev_) r.ra = ~uint64_t(0);
    fetch_epage_ = ~uint64_t(0);
    ++generation_;
  }
  // Drops the grants for the block holding real address `addr` (the read
  // grant too unless keep_read).
  void revoke(uint64_t addr, bool keep_read) {
    uint64_t tag = addr >> block_shift_;
    drop(tag, keep_read);
    if (mode_ & kXlateData) {
      const Rev& r = rev_[tag & (kEntries - 1)];
      if (r.ra == tag) drop(r.ea, keep_read);
    }
  }
  unsigned block_shift() const { return block_shift_; }
  MemTarget* target() const { return target_; }

  uint64_t fast_reads = 0;   // accesses served on the fast path (for statistics)
  uint64_t fast_writes = 0;

 private:
  struct Entry {
    uint64_t tag = ~uint64_t(0);
    uint8_t* host = nullptr;
  };
  // A store into a block the port holds a write grant for: the host write
  // (counted). False: the slow path must do it.
  template <class T>
  bool store_fast(uint64_t ea, T v) {
    const Entry& e = wr_[(ea >> block_shift_) & (kEntries - 1)];
    uint64_t off = ea - (e.tag << block_shift_);
    if (e.tag != (ea >> block_shift_) || off > (uint64_t(1) << block_shift_) - sizeof(T)) return false;
    ++fast_writes;
    to_be<T>(e.host + off, v);
    return true;
  }

  struct Rev {
    uint64_t ra = ~uint64_t(0), ea = 0;  // block tags of a translated grant
  };
  void drop(uint64_t tag, bool keep_read) {
    Entry& w = wr_[tag & (kEntries - 1)];
    if (w.tag == tag) w.tag = ~uint64_t(0);
    if (!keep_read) {
      Entry& r = rd_[tag & (kEntries - 1)];
      if (r.tag == tag) r.tag = ~uint64_t(0);
    }
  }
  void slow(uint64_t ea, unsigned size, Access kind, uint8_t* data);
  void translated(uint64_t ea, unsigned size, Access kind, uint8_t* data);
  void grant(uint64_t ea, uint64_t ra, Access kind, uint8_t* host, bool may_write);
  uint64_t fetch_translate(uint64_t pc);
  class Walker;

  Entry rd_[kEntries];
  Entry wr_[kEntries];
  Rev rev_[kEntries];
  mmu::Mmu mmu_;
  uint8_t mode_ = 0;
  bool lost_ = false;  // the last StoreConditional found the reservation gone
  uint64_t generation_ = 0;  // bumped by flush(): a grant from before one is not installed
  uint64_t fetch_epage_ = ~uint64_t(0), fetch_rpage_ = 0;  // the last fetch translation
  unsigned block_shift_ = 12;
  unsigned cpu_ = 0;
  MemTarget* target_ = nullptr;
  uint64_t* stall_sink_ = nullptr;
};

}  // namespace dusim::ppc
