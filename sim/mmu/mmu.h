// The memory management unit of one POWER5-class CPU (Power ISA 2.03-2.06
// Book III-S, chapter 5 "Storage Control"): the segment lookaside buffer,
// the hashed page table located by SDR1, a set-associative TLB in front of
// it, storage protection, reference and change recording, and the storage
// and segment interrupts a failed translation raises. It translates; the
// CPU's MemPort (cpu_ppc64/mem_port.h) decides when, and grants the host-side
// fast path from the result. Page-table reads and R/C writes go through a
// WalkMemory: the machine's memory map, so walks are real cached accesses.
//
// Modelled: 256 MiB segments (SLB B=0), 4 KiB pages, the 64-bit PTE of
// Power ISA 2.06 (two doublewords, below). Not modelled: 1 TiB segments,
// large pages (an SLB entry or PTE that asks for them never matches), storage
// keys (AMR), virtual real mode, LPAR. See sim/mmu/README.md.
//
// Locking: none; a CPU's MMU is touched by its own thread, and by tlbie
// broadcasts from other CPUs' threads, all on one host thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dusim::mmu {

// ---- formats ---------------------------------------------------------------
// Page table entry (16 bytes, big-endian, IBM bit numbers within each doubleword).
namespace pte {
// Doubleword 0: B(0:1) AVA(2:56) SW(57:60) L(61) H(62) V(63).
constexpr uint64_t kValid = 1ull << 0, kSecondary = 1ull << 1, kLarge = 1ull << 2;
constexpr unsigned kAvaShift = 7, kBShift = 62;
constexpr uint64_t kAvaMask = (1ull << 55) - 1;
// Doubleword 1: PP0(0) ARPN(2:51)||page offset zeros, R(55) C(56) WIMG(57:60) N(61) PP(62:63).
constexpr uint64_t kPp0 = 1ull << 63, kRpnMask = 0x0ffffffffffff000ull, kR = 1ull << 8, kC = 1ull << 7,
                   kWimgMask = 0x78, kN = 1ull << 2, kPpMask = 3;
}  // namespace pte
// slbmte RS (the VSID half): B(0:1) VSID(2:51) Ks(52) Kp(53) N(54) L(55) C(56) LP(58:59).
// slbmte RB (the ESID half): ESID(0:35) V(36) index(52:63).
namespace slbe {
constexpr unsigned kVsidShift = 12, kBShift = 62;
constexpr uint64_t kVsidMask = (1ull << 50) - 1, kKs = 1ull << 11, kKp = 1ull << 10, kN = 1ull << 9,
                   kL = 1ull << 8, kC = 1ull << 7, kLp = 3ull << 4, kEsidValid = 1ull << 27;
}  // namespace slbe
// DSISR / SRR1 bits of the storage interrupts (IBM bit numbers of a 64-bit register).
namespace dsisr {
constexpr uint64_t kNoPte = 1ull << 30,        // bit 33: no HPTE in either PTEG
                   kProtection = 1ull << 27,   // bit 36: storage protection violated
                   kStore = 1ull << 25;        // bit 38: the access was a store
}
namespace isi {
constexpr uint64_t kNoPte = 1ull << 30,        // SRR1 bit 33
                   kNoExec = 1ull << 28,       // SRR1 bit 35: N page or no-execute segment
                   kProtection = 1ull << 27;   // SRR1 bit 36
}
// Interrupt vectors of a failed translation.
constexpr uint64_t kDsi = 0x300, kDSeg = 0x380, kIsi = 0x400, kISeg = 0x480;

enum class Op : uint8_t { Load, Store, Fetch };

// What a translation that failed raises: the interrupt, with its registers,
// and what the lookup found (for a fault report).
struct Fault {
  uint64_t vector = 0;  // kDsi, kDSeg, kIsi or kISeg
  uint64_t ea = 0;      // DAR for data, SRR0 for fetch
  uint64_t dsisr = 0;   // data storage interrupt only
  uint64_t srr1 = 0;    // instruction storage interrupt only: the flags
  Op op = Op::Load;
  // The lookup's result, for reports.
  bool slb_hit = false;
  uint64_t vsid = 0;
  uint64_t pteg[2] = {};  // real addresses of the primary and secondary PTEGs searched
  bool pte_found = false;
  uint64_t pte1 = 0;  // the matching PTE's second doubleword when pte_found
  bool problem_state = false;
  std::string describe() const;
};

// Where page-table reads and R/C updates go: the machine's memory, through
// the caches. Reads and stores are real addresses; `cycles` collects what
// they cost the CPU.
class WalkMemory {
 public:
  virtual ~WalkMemory() = default;
  uint64_t cycles = 0;  // what the reads and stores have cost the CPU so far (stall cycles)
  virtual bool read64(uint64_t ra, uint64_t& value) = 0;
  // The walk's last step, with no other CPU's access between the check and
  // the store (Book III-S "Reference and Change Recording": the hardware's
  // R/C update is atomic): if the PTE at `ra` still holds d0 and d1 (R and C
  // aside), sets the bits of `set` in its second doubleword (none: a check
  // only) and returns true, with `now1` that doubleword as it is after;
  // returns false, changing nothing, when another CPU changed the PTE since
  // the walk read it.
  virtual bool update_pte(uint64_t ra, uint64_t d0, uint64_t d1, uint64_t set, uint64_t& now1) = 0;
};

struct Translation {
  uint64_t ra = 0;         // the real address
  bool may_write = false;  // a store to the page would neither fault nor need a C update
};

struct Params {
  unsigned slb_entries = 64;
  unsigned tlb_entries = 1024;
  unsigned tlb_ways = 4;
};

struct Stats {
  uint64_t translations = 0;  // slow-path translations (the fast path's hits are not counted)
  uint64_t tlb_hits = 0, tlb_misses = 0;
  uint64_t walks = 0, walk_reads = 0, walk_cycles = 0, walk_retries = 0;
  uint64_t r_updates = 0, c_updates = 0;
  uint64_t slb_misses = 0, dsi = 0, isi = 0, dsegi = 0, isegi = 0;
  uint64_t tlbie_issued = 0, tlbiel_issued = 0, tlbie_received = 0, tlb_invalidated = 0;
  uint64_t slb_writes = 0, slb_invalidations = 0;
};

class Mmu {
 public:
  struct SlbEntry {
    uint64_t esid = 0;  // EA bits 0:35 (EA >> 28)
    uint64_t vsid = 0;  // the RS value of slbmte (VSID and flags)
    bool valid = false;
  };

  explicit Mmu(const Params& p = Params{}) { configure(p); }
  void configure(const Params& p);

  // Translates `ea`. Returns false with `fault` filled when it must raise an
  // interrupt. `problem` is MSR[PR]. A walk's accesses cost what
  // `mem` charges (stats.walk_cycles sums them).
  bool translate(uint64_t ea, Op op, bool problem, WalkMemory& mem, Translation& out, Fault& fault);
  // The same lookup without side effects (no TLB use or fill, no R/C, no
  // statistics), reading the page table through `mem` (host memory, for
  // debuggers and fault reports). Returns false where translate would fault.
  bool probe(uint64_t ea, Op op, bool problem, WalkMemory& mem, Translation& out, Fault& fault) const;

  // ---- the instructions -------------------------------------------------------
  void slbmte(uint64_t rs, uint64_t rb);
  void slbie(uint64_t rb);
  void slbia();
  uint64_t slbmfee(uint64_t rb) const;
  uint64_t slbmfev(uint64_t rb) const;
  // tlbie/tlbiel RB (L=0, 4 KiB pages): removes every TLB entry whose
  // virtual page number agrees with RB[16:51] (VA bits 30:65: the ISA lets
  // an implementation drop more than it must). Returns entries removed.
  unsigned tlb_invalidate(uint64_t rb);
  void tlb_invalidate_all();
  uint64_t sdr1() const { return sdr1_; }
  void set_sdr1(uint64_t v) { sdr1_ = v; }

  // Bumped by every invalidation: a walk that overlapped one starts again,
  // so no entry removed by a tlbie is re-inserted from stale reads.
  uint64_t generation() const { return generation_; }

  // The PTEG addresses of the primary and secondary hash of (vsid, ea) (Book
  // III-S "Page Table Search"): exposed for tests and reports.
  uint64_t pteg_address(uint64_t vsid, uint64_t ea, bool secondary) const;
  const std::vector<SlbEntry>& slb() const { return slb_; }

  Stats stats;
  // Called when a walk ends (found: a PTE gave the translation; else a
  // storage interrupt follows), with what it cost: for the machine's event log.
  std::function<void(uint64_t ea, bool found, uint64_t walk_cycles, unsigned pte_reads, unsigned restarts)> on_walk;

 private:
  struct TlbEntry {
    uint64_t vpn = ~0ull;  // VSID || page index (VA >> 12)
    uint64_t rpn = 0;      // real page address
    uint64_t pte_ra = 0;   // the PTE's real address (for a later C update)
    uint8_t pp = 0;        // PP0 || PP
    bool n = false, c = false;
  };
  const SlbEntry* slb_lookup(uint64_t ea, bool count);
  const SlbEntry* slb_find(uint64_t ea) const;
  // Searches the primary, then the secondary PTEG. Returns the PTE's real
  // address (0 when none) and both doublewords.
  uint64_t search(uint64_t vsid, uint64_t ea, WalkMemory& mem, uint64_t& d0, uint64_t& d1, Fault& f,
                  unsigned* reads) const;
  TlbEntry* tlb_find(uint64_t vpn);
  TlbEntry& tlb_victim(uint64_t vpn);

  std::vector<SlbEntry> slb_;
  std::vector<TlbEntry> tlb_;
  std::vector<uint8_t> next_way_;  // round-robin replacement per set
  unsigned ways_ = 4, sets_ = 256;
  unsigned last_slb_ = 0;  // the last segment hit (most accesses stay in one)
  uint64_t sdr1_ = 0;
  uint64_t generation_ = 0;
};

// Access rights of PP0||PP under key K (Book III-S "Storage Protection",
// the table of PP values): 0 none, 1 read-only, 2 read-write.
unsigned pp_access(unsigned pp, bool key);

}  // namespace dusim::mmu
