#include "mmu/mmu.h"

#include <cstdio>

namespace dusim::mmu {

namespace {
constexpr unsigned kPageShift = 12, kSegmentShift = 28;
constexpr uint64_t kPageMask = (1ull << kPageShift) - 1;
constexpr uint64_t kHashMask = (1ull << 39) - 1;
constexpr unsigned kTries = 4;  // walks restarted by an overlapping invalidation, at most

uint64_t vsid_of(uint64_t slb_v) { return (slb_v >> slbe::kVsidShift) & slbe::kVsidMask; }
// Entries for 1 TiB segments or large pages are not modelled: they never match.
bool supported(uint64_t slb_v) { return (slb_v >> slbe::kBShift) == 0 && !(slb_v & slbe::kL); }
uint64_t vpn_of(uint64_t vsid, uint64_t ea) { return (vsid << 16) | ((ea >> kPageShift) & 0xffff); }
}  // namespace

unsigned pp_access(unsigned pp, bool key) {
  switch (pp & 7) {
    case 0: return key ? 0 : 2;
    case 1: return key ? 1 : 2;
    case 2: return 2;
    case 3: return 1;
    case 6: return 1;
    default: return 0;  // PP0=1 with PP 00, 01, 11: reserved, treated as no access
  }
}

void Mmu::configure(const Params& p) {
  slb_.assign(p.slb_entries, SlbEntry{});
  ways_ = p.tlb_ways;
  sets_ = p.tlb_entries / p.tlb_ways;
  tlb_.assign(size_t(ways_) * sets_, TlbEntry{});
  next_way_.assign(sets_, 0);
  last_slb_ = 0;
  ++generation_;
}

// ---- segments (Book III-S "Virtual Address Generation", the SLB) -------------

const Mmu::SlbEntry* Mmu::slb_find(uint64_t ea) const {
  const uint64_t esid = ea >> kSegmentShift;
  for (const SlbEntry& e : slb_)
    if (e.valid && e.esid == esid && supported(e.vsid)) return &e;
  return nullptr;
}

const Mmu::SlbEntry* Mmu::slb_lookup(uint64_t ea, bool count) {
  const uint64_t esid = ea >> kSegmentShift;
  const SlbEntry& last = slb_[last_slb_];
  if (last.valid && last.esid == esid && supported(last.vsid)) return &last;
  const SlbEntry* e = slb_find(ea);
  if (e) last_slb_ = unsigned(e - slb_.data());
  else if (count) ++stats.slb_misses;
  return e;
}

void Mmu::slbmte(uint64_t rs, uint64_t rb) {
  const unsigned index = unsigned(rb & 0xfff);
  ++stats.slb_writes;
  if (index >= slb_.size()) return;  // the ISA leaves it undefined; nothing is written
  slb_[index] = SlbEntry{rb >> kSegmentShift, rs, bool(rb & slbe::kEsidValid)};
}

void Mmu::slbie(uint64_t rb) {
  const uint64_t esid = rb >> kSegmentShift;
  for (SlbEntry& e : slb_)
    if (e.valid && e.esid == esid) {
      e.valid = false;
      ++stats.slb_invalidations;
    }
}

// Every entry but entry 0 (Book III-S, slbia).
void Mmu::slbia() {
  for (size_t k = 1; k < slb_.size(); ++k)
    if (slb_[k].valid) {
      slb_[k].valid = false;
      ++stats.slb_invalidations;
    }
}

uint64_t Mmu::slbmfee(uint64_t rb) const {
  const unsigned index = unsigned(rb & 0xfff);
  if (index >= slb_.size()) return 0;
  const SlbEntry& e = slb_[index];
  return (e.esid << kSegmentShift) | (e.valid ? slbe::kEsidValid : 0);
}

uint64_t Mmu::slbmfev(uint64_t rb) const {
  const unsigned index = unsigned(rb & 0xfff);
  return index < slb_.size() ? slb_[index].vsid : 0;
}

// ---- the page table (Book III-S "Page Table", "SDR1", "Page Table Search") ---

uint64_t Mmu::pteg_address(uint64_t vsid, uint64_t ea, bool secondary) const {
  uint64_t hash = ((vsid & kHashMask) ^ ((ea >> kPageShift) & 0xffff)) & kHashMask;
  if (secondary) hash = ~hash & kHashMask;
  unsigned htabsize = unsigned(sdr1_ & 0x1f);
  if (htabsize > 28) htabsize = 28;
  const uint64_t mask = (1ull << (11 + htabsize)) - 1;
  return (sdr1_ & 0x0ffffffffffc0000ull) | ((hash & mask) << 7);
}

uint64_t Mmu::search(uint64_t vsid, uint64_t ea, WalkMemory& mem, uint64_t& d0, uint64_t& d1, Fault& f,
                     unsigned* reads) const {
  const uint64_t ava = ((vsid << 5) | ((ea >> 23) & 0x1f)) & pte::kAvaMask;
  for (int h = 0; h < 2; ++h) {
    const uint64_t group = pteg_address(vsid, ea, h == 1);
    f.pteg[h] = group;
    for (unsigned k = 0; k < 8; ++k) {
      const uint64_t at = group + 16 * k;
      uint64_t v = 0;
      if (reads) ++*reads;
      if (!mem.read64(at, v)) continue;
      const bool match = (v & pte::kValid) && bool(v & pte::kSecondary) == (h == 1) && !(v & pte::kLarge) &&
                         (v >> pte::kBShift) == 0 && ((v >> pte::kAvaShift) & pte::kAvaMask) == ava;
      if (!match) continue;
      if (reads) ++*reads;
      if (!mem.read64(at + 8, d1)) continue;
      d0 = v;
      return at;
    }
  }
  return 0;
}

// ---- the TLB -----------------------------------------------------------------

Mmu::TlbEntry* Mmu::tlb_find(uint64_t vpn) {
  TlbEntry* set = &tlb_[size_t(vpn & (sets_ - 1)) * ways_];
  for (unsigned w = 0; w < ways_; ++w)
    if (set[w].vpn == vpn) return &set[w];
  return nullptr;
}

Mmu::TlbEntry& Mmu::tlb_victim(uint64_t vpn) {
  const size_t s = size_t(vpn & (sets_ - 1));
  TlbEntry* set = &tlb_[s * ways_];
  for (unsigned w = 0; w < ways_; ++w)
    if (set[w].vpn == ~0ull) return set[w];
  unsigned w = next_way_[s];
  next_way_[s] = uint8_t((w + 1) % ways_);
  return set[w];
}

unsigned Mmu::tlb_invalidate(uint64_t rb) {
  constexpr uint64_t kMatch = 0x0000fffffffff000ull;  // RB[16:51]
  const uint64_t want = rb & kMatch;
  TlbEntry* set = &tlb_[size_t((rb >> kPageShift) & (sets_ - 1)) * ways_];
  unsigned n = 0;
  for (unsigned w = 0; w < ways_; ++w)
    if (set[w].vpn != ~0ull && ((set[w].vpn << kPageShift) & kMatch) == want) {
      set[w].vpn = ~0ull;
      ++n;
    }
  stats.tlb_invalidated += n;
  ++generation_;
  return n;
}

void Mmu::tlb_invalidate_all() {
  for (TlbEntry& e : tlb_)
    if (e.vpn != ~0ull) {
      e.vpn = ~0ull;
      ++stats.tlb_invalidated;
    }
  ++generation_;
}

// ---- translation -------------------------------------------------------------

namespace {
// Storage protection for an access allowed by `rights` (pp_access) and the
// page's and segment's no-execute bits; fills the fault's registers.
bool permitted(Op op, unsigned rights, bool no_exec, Fault& f) {
  if (op == Op::Fetch) {
    if (no_exec) {
      f.srr1 = isi::kNoExec;
      return false;
    }
    if (rights == 0) {
      f.srr1 = isi::kProtection;
      return false;
    }
    return true;
  }
  if (rights == 2 || (rights == 1 && op == Op::Load)) return true;
  f.dsisr = dsisr::kProtection | (op == Op::Store ? dsisr::kStore : 0);
  return false;
}
void start_fault(Fault& f, uint64_t ea, Op op, bool problem) {
  f = Fault{};
  f.ea = ea;
  f.op = op;
  f.problem_state = problem;
}
}  // namespace

bool Mmu::translate(uint64_t ea, Op op, bool problem, WalkMemory& mem, Translation& out, Fault& f) {
  ++stats.translations;
  const SlbEntry* seg = slb_lookup(ea, true);
  if (!seg) {
    start_fault(f, ea, op, problem);
    f.vector = op == Op::Fetch ? kISeg : kDSeg;
    ++(op == Op::Fetch ? stats.isegi : stats.dsegi);
    return false;
  }
  const uint64_t slb_v = seg->vsid, vsid = vsid_of(slb_v);
  const bool key = problem ? (slb_v & slbe::kKp) : (slb_v & slbe::kKs);
  const uint64_t vpn = vpn_of(vsid, ea);
  auto fail = [&](uint64_t vector) {
    f.vector = vector;
    f.slb_hit = true;
    f.vsid = vsid;
    ++(vector == kIsi ? stats.isi : stats.dsi);
    return false;
  };

  if (TlbEntry* e = tlb_find(vpn); e && (op != Op::Store || e->c)) {
    ++stats.tlb_hits;
    start_fault(f, ea, op, problem);
    if (!permitted(op, pp_access(e->pp, key), e->n || (slb_v & slbe::kN), f)) {
      f.pte_found = true;
      f.pteg[0] = pteg_address(vsid, ea, false);
      f.pteg[1] = pteg_address(vsid, ea, true);
      return fail(op == Op::Fetch ? kIsi : kDsi);
    }
    out.ra = e->rpn | (ea & kPageMask);
    out.may_write = e->c && pp_access(e->pp, key) == 2;
    return true;
  } else if (e) {
    e->vpn = ~0ull;  // a first store to the page: walk again to record the change
  } else {
    ++stats.tlb_misses;
  }

  const uint64_t walk_start = mem.cycles;
  unsigned walk_reads = 0;
  auto walked = [&](bool found, unsigned attempt) {
    if (on_walk) on_walk(ea, found, mem.cycles - walk_start, walk_reads, attempt);
    return found;
  };
  for (unsigned attempt = 0;; ++attempt) {
    start_fault(f, ea, op, problem);
    const uint64_t gen = generation_, c0 = mem.cycles;
    uint64_t d0 = 0, d1 = 0;
    unsigned reads = 0;
    ++stats.walks;
    const uint64_t at = search(vsid, ea, mem, d0, d1, f, &reads);
    stats.walk_reads += reads;
    walk_reads += reads;
    stats.walk_cycles += mem.cycles - c0;
    if (generation_ != gen && attempt + 1 < kTries) {  // a tlbie overlapped the walk
      ++stats.walk_retries;
      continue;
    }
    if (!at) {
      f.dsisr = op == Op::Fetch ? 0 : dsisr::kNoPte | (op == Op::Store ? dsisr::kStore : 0);
      f.srr1 = op == Op::Fetch ? isi::kNoPte : 0;
      return walked(fail(op == Op::Fetch ? kIsi : kDsi), attempt);
    }
    f.pte_found = true;
    f.pte1 = d1;
    const unsigned pp = unsigned(((d1 & pte::kPp0) ? 4 : 0) | (d1 & pte::kPpMask));
    const unsigned rights = pp_access(pp, key);
    if (!permitted(op, rights, (d1 & pte::kN) || (slb_v & slbe::kN), f))
      return walked(fail(op == Op::Fetch ? kIsi : kDsi), attempt);
    // The walk's reads may each have let other CPUs run (the ordered sync
    // policy), and one may have replaced this PTE meanwhile: the PTE is used
    // only if it is still what was read at the moment R and C are recorded
    // (a byte store of R or C computed from a stale read would also write
    // the low RPN bits of byte 6 into another page's PTE). Else walk again.
    const uint64_t set = ((d1 & pte::kR) ? 0 : pte::kR) | (op == Op::Store && !(d1 & pte::kC) ? pte::kC : 0);
    uint64_t now1 = 0;
    if (!mem.update_pte(at, d0, d1, set, now1)) {
      ++stats.walk_retries;
      continue;
    }
    stats.r_updates += (set & pte::kR) ? 1 : 0;
    stats.c_updates += (set & pte::kC) ? 1 : 0;
    d1 = now1;
    f.pte1 = d1;
    // Current as of the update: a later invalidation will remove it.
    TlbEntry& t = tlb_victim(vpn);
    t = TlbEntry{vpn, d1 & pte::kRpnMask, at, uint8_t(pp), bool(d1 & pte::kN), bool(d1 & pte::kC)};
    out.ra = (d1 & pte::kRpnMask) | (ea & kPageMask);
    out.may_write = (d1 & pte::kC) && rights == 2;
    return walked(true, attempt);
  }
}

bool Mmu::probe(uint64_t ea, Op op, bool problem, WalkMemory& mem, Translation& out, Fault& f) const {
  start_fault(f, ea, op, problem);
  const SlbEntry* seg = slb_find(ea);
  if (!seg) {
    f.vector = op == Op::Fetch ? kISeg : kDSeg;
    return false;
  }
  const uint64_t slb_v = seg->vsid, vsid = vsid_of(slb_v);
  const bool key = problem ? (slb_v & slbe::kKp) : (slb_v & slbe::kKs);
  f.slb_hit = true;
  f.vsid = vsid;
  uint64_t d0 = 0, d1 = 0;
  const uint64_t at = search(vsid, ea, mem, d0, d1, f, nullptr);
  if (!at) {
    f.vector = op == Op::Fetch ? kIsi : kDsi;
    f.dsisr = op == Op::Fetch ? 0 : dsisr::kNoPte | (op == Op::Store ? dsisr::kStore : 0);
    f.srr1 = op == Op::Fetch ? isi::kNoPte : 0;
    return false;
  }
  f.pte_found = true;
  f.pte1 = d1;
  const unsigned pp = unsigned(((d1 & pte::kPp0) ? 4 : 0) | (d1 & pte::kPpMask));
  if (!permitted(op, pp_access(pp, key), (d1 & pte::kN) || (slb_v & slbe::kN), f)) {
    f.vector = op == Op::Fetch ? kIsi : kDsi;
    return false;
  }
  out.ra = (d1 & pte::kRpnMask) | (ea & kPageMask);
  out.may_write = pp_access(pp, key) == 2;
  return true;
}

// ---- reports -----------------------------------------------------------------

std::string Fault::describe() const {
  char buf[512];
  const char* what = op == Op::Fetch ? "instruction fetch" : op == Op::Store ? "store" : "load";
  int n = 0;
  auto add = [&](const char* fmt, auto... args) {
    if (n < int(sizeof buf)) n += std::snprintf(buf + n, sizeof buf - size_t(n), fmt, args...);
  };
  const char* name = vector == kDsi ? "data storage interrupt (0x300)" : vector == kDSeg ? "data segment interrupt (0x380)"
                     : vector == kIsi ? "instruction storage interrupt (0x400)" : "instruction segment interrupt (0x480)";
  add("%s: %s at EA 0x%llx in %s state", name, what, (unsigned long long)ea, problem_state ? "problem" : "supervisor");
  if (vector == kDsi) {
    add("; DSISR 0x%08llx (", (unsigned long long)dsisr);
    bool first = true;
    auto bit = [&](uint64_t b, const char* text) {
      if (dsisr & b) {
        add("%s%s", first ? "" : ", ", text);
        first = false;
      }
    };
    bit(dsisr::kNoPte, "bit 33: no matching HPTE");
    bit(dsisr::kProtection, "bit 36: protection violation");
    bit(dsisr::kStore, "bit 38: store");
    add(")");
  } else if (vector == kIsi) {
    add("; SRR1 flags 0x%08llx (%s)", (unsigned long long)srr1,
        srr1 & isi::kNoPte ? "bit 33: no matching HPTE" : srr1 & isi::kNoExec ? "bit 35: no-execute page or segment"
                                                                            : "bit 36: protection violation");
  }
  if (!slb_hit) {
    add("; SLB: no valid entry for ESID 0x%llx", (unsigned long long)(ea >> kSegmentShift));
    return buf;
  }
  add("; SLB: ESID 0x%llx -> VSID 0x%llx", (unsigned long long)(ea >> kSegmentShift), (unsigned long long)vsid);
  add("; HPTE: primary PTEG 0x%llx, secondary PTEG 0x%llx", (unsigned long long)pteg[0], (unsigned long long)pteg[1]);
  if (pte_found) add(", found (doubleword 1 0x%016llx)", (unsigned long long)pte1);
  else add(", no valid matching entry");
  return buf;
}

}  // namespace dusim::mmu
