#include "platform/memory_map.h"

#include <algorithm>
#include <cstring>

namespace dusim {

using ppc::Access;
using ppc::AccessResult;

namespace {
constexpr uint64_t kPage = 4096;
unsigned log2u(uint64_t v) { return unsigned(63 - __builtin_clzll(v)); }
}  // namespace

MemoryMap::MemoryMap(const MachineConfig& cfg, PhysMemory& mem, ppc::CodeCache& code, coherence::MemorySystem* msys,
                     const std::vector<std::unique_ptr<CpuModule>>& cpus)
    : cfg_(cfg),
      mem_(mem),
      code_(code),
      msys_(msys),
      cpus_(cpus),
      block_shift_(cfg.caches ? log2u(cfg.hierarchy.line_size) : log2u(kPage)),
      ordered_(cfg.sync_policy == SyncPolicy::Ordered) {}

void MemoryMap::add_device(uint64_t base, uint64_t size, Device& device) {
  devices_.push_back({base, size, &device});
  device_lo_ = std::min(device_lo_, base);
  device_hi_ = std::max(device_hi_, base + size);
}

const MemoryMap::Mapping* MemoryMap::device_at(uint64_t a) const {
  if (a < device_lo_ || a >= device_hi_) return nullptr;
  for (const Mapping& m : devices_)
    if (a - m.base < m.size) return &m;
  return nullptr;
}

// Every bus transaction counts, not only those that find another CPU's copy:
// a CPU that is behind may yet take one. Instruction fetches and touches do
// not (code is shared read-only until icbi, which does), nor sim-control's
// instrumentation registers (so that measuring does not move the order),
// except power-off.
bool MemoryMap::interacts(unsigned cpu, uint64_t a, unsigned size, Access kind) const {
  switch (kind) {
    case Access::Fetch:
    case Access::BlockTouch: return false;
    case Access::Read:
    case Access::Write: break;
    default: return true;  // reservations, stwcx., sync, cache-block operations
  }
  if (a - addr::kSimControl < addr::kDeviceSize) return (a - addr::kSimControl) == 0x38;
  if (device_at(a)) return true;
  if (!msys_) return true;  // no cache model: the slow path is a page's first touch or a reserved block
  const uint64_t line = cfg_.hierarchy.line_size;
  if ((a & (line - 1)) + size > line) return true;
  if (!contended_.empty() && still_contended(cpu, a & ~(line - 1))) return true;
  coherence::State st = msys_->probe(int(cpu), coherence::MemorySystem::Port::Data, a).state;
  if (kind == Access::Read) return st == coherence::State::I;
  return st != coherence::State::M && st != coherence::State::E;
}

// A CPU that no other CPU is behind need not wait: none of them can act
// before it (SystemC time would not let one run before it either). Devices
// also have the host's timed deliveries (the mailbox), so a device access
// always waits for SystemC time.
void MemoryMap::order(unsigned cpu, bool device) {
  if (!device && others_min(cpu) >= cpus_[cpu]->cpu.cycles) return;
  cpus_[cpu]->sync_to_local();
}

void MemoryMap::build_times() {
  leaves_ = 1;
  while (leaves_ < cpus_.size()) leaves_ <<= 1;
  times_.assign(2 * leaves_, ~uint64_t(0));
  for (size_t i = 0; i < cpus_.size(); ++i) times_[leaves_ + i] = 0;
  for (size_t n = leaves_ - 1; n >= 1; --n) times_[n] = std::min(times_[2 * n], times_[2 * n + 1]);
}

void MemoryMap::suspending(unsigned cpu, uint64_t cycles) {
  if (times_.empty()) build_times();
  size_t n = leaves_ + cpu;
  times_[n] = cycles;
  for (n >>= 1; n >= 1; n >>= 1) {
    const uint64_t m = std::min(times_[2 * n], times_[2 * n + 1]);
    if (times_[n] == m) break;  // nothing above changes either
    times_[n] = m;
  }
}

uint64_t MemoryMap::others_min(unsigned cpu) {
  const uint64_t resumes = cpus_[cpu]->resumes();
  if (others_min_.cpu != cpu || others_min_.resumes != resumes) {
    if (times_.empty()) build_times();
    // The least over every leaf but ours: our path's siblings, bottom up.
    uint64_t least = ~uint64_t(0);
    for (size_t n = leaves_ + cpu; n > 1; n >>= 1) least = std::min(least, times_[n ^ 1]);
    others_min_ = {cpu, resumes, least};
  }
  return others_min_.min;
}

bool MemoryMap::still_contended(unsigned cpu, uint64_t line) const {
  auto it = contended_.find(line);
  return it != contended_.end() && cpus_[cpu]->cpu.cycles < it->second + kUncontendedCycles;
}

bool MemoryMap::contended(unsigned cpu, uint64_t a) {
  auto it = contended_.find(a & ~uint64_t(cfg_.hierarchy.line_size - 1));
  if (it == contended_.end()) return false;
  if (cpus_[cpu]->cpu.cycles < it->second + kUncontendedCycles) return true;
  contended_.erase(it);
  return false;
}

AccessResult MemoryMap::access(unsigned cpu, uint64_t a, unsigned size, Access kind, uint8_t* data) {
  if (kind == Access::PteUpdate) return pte_update(cpu, a, *reinterpret_cast<ppc::PteUpdate*>(data));
  // Under translation a reservation's effective and real addresses differ;
  // other CPUs' writes are seen by real address.
  if (kind == Access::Reserve) cpus_[cpu]->cpu.resv_real = a;
  if (ordered_ && interacts(cpu, a, size, kind)) order(cpu, device_at(a) != nullptr);
  if (kind == Access::StoreConditional) {  // translated: the reservation, checked at the store's own moment
    if (!cpus_[cpu]->cpu.resv_valid) {
      AccessResult r{true};
      r.lost = true;
      return r;
    }
    kind = Access::Write;
  }
  if (kind == Access::Order) return AccessResult{true};
  if (kind == Access::TlbInvalidate) return tlb_invalidate(cpu, a);
  if (const Mapping* m = device_at(a)) return device_access(*m, cpu, a, size, kind, data);
  uint8_t* host = mem_.host(a, size ? size : 1);
  if (!host) {
    AccessResult r;
    r.ok = kind == Access::BlockTouch || kind == Access::Barrier;
    return r;
  }
  switch (kind) {
    case Access::Read: return ram_read(cpu, a, size, host, data);
    case Access::Write: return ram_write(cpu, a, size, host, data);
    case Access::Fetch:
      if (size == 0) return block_op(cpu, a, kind);  // instruction-fetch timing for a new line
      std::memcpy(data, host, size);
      return AccessResult{true};
    case Access::BlockZero: return block_zero(cpu, a);
    default: return block_op(cpu, a, kind);
  }
}

AccessResult MemoryMap::device_access(const Mapping& m, unsigned cpu, uint64_t a, unsigned size, Access kind,
                                      uint8_t* data) {
  AccessResult r;
  const uint64_t reg = (a - m.base) & ~uint64_t(7);
  DeviceAccess da{cpu, cpus_[cpu]->cpu.cycles};
  if (kind == Access::Read && size) {
    uint8_t b[8];
    ppc::to_be<uint64_t>(b, m.device->read(da, reg));
    std::memcpy(data, b + 8 - size, size);
    r.ok = true;
  } else if (kind == Access::Write && size) {
    uint64_t v = 0;
    for (unsigned k = 0; k < size; ++k) v = (v << 8) | data[k];
    m.device->write(da, reg, v);
    r.ok = true;
  } else {
    r.ok = kind != Access::Fetch;  // cache operations on device space are no-ops
  }
  return r;
}

// A load or store through the cache model: charges what it cost beyond its
// class latency and says whether the CPU may serve the block on its fast
// path from now on. An access that crosses a line touches both.
bool MemoryMap::through_caches(unsigned cpu, uint64_t a, unsigned size, bool write, AccessResult& r) {
  const uint64_t now = cpus_[cpu]->cpu.cycles, line = cfg_.hierarchy.line_size;
  auto op = write ? &coherence::MemorySystem::write : &coherence::MemorySystem::read;
  issuer_ = int(cpu);
  coherence::AccessOutcome o = (msys_->*op)(int(cpu), a, now);
  charge(cpu, a, o, class_latency(write ? ppc::InsnClass::Store : ppc::InsnClass::Load), r);
  bool crosses = (a & (line - 1)) + size > line;
  if (crosses) (msys_->*op)(int(cpu), a + size - 1, now);
  issuer_ = -1;
  if (ordered_ && contended(cpu, a)) return false;
  return !crosses && (write ? o.may_write_fast : o.may_read_fast);
}

AccessResult MemoryMap::ram_read(unsigned cpu, uint64_t a, unsigned size, uint8_t* host, uint8_t* data) {
  AccessResult r{true};
  const uint64_t block = uint64_t(1) << block_shift_;
  bool grant_ok = (a & (block - 1)) + size <= block;
  if (msys_) grant_ok = through_caches(cpu, a, size, false, r) && grant_ok;
  if (grant_ok) r.grant = mem_.host(a & ~(block - 1), block);
  std::memcpy(data, host, size);
  return r;
}

AccessResult MemoryMap::ram_write(unsigned cpu, uint64_t a, unsigned size, uint8_t* host, const uint8_t* data) {
  AccessResult r{true};
  const uint64_t block = uint64_t(1) << block_shift_;
  bool grant_ok = (a & (block - 1)) + size <= block;
  if (msys_) {
    grant_ok = through_caches(cpu, a, size, true, r) && grant_ok;
  } else {
    // Without caches no revocation tells a reserving CPU: keep the block on the slow path.
    clear_reservations(cpu, a, size);
    for (auto& m : cpus_)
      if (m->cpu.id != cpu && m->cpu.resv_valid && (m->cpu.resv_real >> block_shift_) == (a >> block_shift_))
        grant_ok = false;
  }
  if (code_.holds_code(a) || code_.holds_code(a + size - 1)) {
    code_.invalidate(a, size);
    grant_ok = false;
  }
  std::memcpy(host, data, size);
  if (grant_ok) r.grant = mem_.host(a & ~(block - 1), block);
  return r;
}

// The MMU's R/C update (Access::PteUpdate): ordered as the load or byte
// store it is, then checked and done with nothing in between, so a PTE that
// another CPU replaced after the walk read it is neither used nor changed.
// A check alone is a read of the PTE; setting R and/or C a store of the
// bytes that hold them (byte 6: R, byte 7: C).
AccessResult MemoryMap::pte_update(unsigned cpu, uint64_t a, ppc::PteUpdate& u) {
  constexpr uint64_t kR = 1ull << 8, kC = 1ull << 7;
  u.matched = false;
  uint8_t* host = mem_.host(a, 16);
  if (!host || device_at(a)) return AccessResult{};
  const unsigned first = (u.set & kR) ? 6 : 7, len = (u.set & kR) && (u.set & kC) ? 2 : 1;
  const bool store = u.set != 0;
  if (ordered_ && interacts(cpu, store ? a + first : a, store ? len : 16, store ? Access::Write : Access::Read))
    order(cpu, false);
  const uint64_t d0 = ppc::from_be<uint64_t>(host), d1 = ppc::from_be<uint64_t>(host + 8);
  u.now1 = d1;
  u.matched = d0 == u.d0 && (d1 & ~(kR | kC)) == (u.d1 & ~(kR | kC));
  if (!u.matched || !store) {  // a read of the PTE
    uint8_t scratch[16];
    AccessResult r = ram_read(cpu, a, 16, host, scratch);
    r.grant = nullptr;
    return r;
  }
  u.now1 = d1 | u.set;
  uint8_t bytes[8];
  ppc::to_be<uint64_t>(bytes, u.now1);
  AccessResult r = ram_write(cpu, a + 8 + first, len, host + 8 + first, bytes + first);
  r.grant = nullptr;
  return r;
}

AccessResult MemoryMap::block_zero(unsigned cpu, uint64_t a) {
  const uint64_t line = cfg_.hierarchy.line_size, l = a & ~(line - 1);
  uint8_t* p = mem_.host(l, line);
  if (!p) return AccessResult{};
  AccessResult r{true};
  issuer_ = int(cpu);
  if (msys_) charge(cpu, l, msys_->dcbz(int(cpu), l, cpus_[cpu]->cpu.cycles), class_latency(ppc::InsnClass::Store), r);
  else clear_reservations(cpu, l, unsigned(line));
  issuer_ = -1;
  code_.invalidate(l, line);
  std::memset(p, 0, line);
  return r;
}

// Operations on a whole block that move no data: their timing, and what they
// do to predecoded code and reservations.
AccessResult MemoryMap::block_op(unsigned cpu, uint64_t a, Access kind) {
  AccessResult r{true};
  const uint64_t now = cpus_[cpu]->cpu.cycles, line = cfg_.hierarchy.line_size;
  const unsigned sync = class_latency(ppc::InsnClass::Sync);
  issuer_ = int(cpu);
  struct Done {
    int& issuer;
    ~Done() { issuer = -1; }
  } done{issuer_};
  switch (kind) {
    case Access::Fetch:
      if (msys_) charge(cpu, a, msys_->fetch(int(cpu), a, now), cfg_.hierarchy.l1i.hit_latency, r);
      break;
    case Access::BlockFlush:
    case Access::BlockInvalidate:
      if (msys_) charge(cpu, a, msys_->dcbf(int(cpu), a, now), sync, r);
      break;
    case Access::BlockClean:
      if (msys_) charge(cpu, a, msys_->dcbst(int(cpu), a, now), sync, r);
      break;
    case Access::ICacheInvalidate:
      if (msys_) charge(cpu, a, msys_->icbi(int(cpu), a, now), sync, r);
      code_.invalidate(a & ~(line - 1), line);
      break;
    case Access::Barrier:
      if (msys_) charge(cpu, ~uint64_t(0), msys_->sync(int(cpu), now), sync, r);
      break;
    case Access::Reserve:
      if (!msys_) {  // make other CPUs' stores to this block come through here
        for (auto& m : cpus_)
          if (m->cpu.id != cpu) m->cpu.mem.revoke(a, true);
      }
      break;
    default:  // BlockTouch: a hint
      break;
  }
  return r;
}

void MemoryMap::charge(unsigned cpu, uint64_t a, const coherence::AccessOutcome& o, unsigned already, AccessResult& r) {
  uint32_t stall = o.latency > already ? o.latency - already : 0;
  r.stall = stall;
  CpuModule& m = *cpus_[cpu];
  m.cpu.stall_cycles += stall;
  uint32_t wait = std::min(stall, o.bus_wait);
  m.stall_by_cause[unsigned(coherence::StallCause::BusWait)] += wait;
  m.stall_by_cause[unsigned(o.cause)] += stall - wait;
  if (stall && !msys_->ranges().all().empty()) {
    for (uint64_t mask = msys_->ranges().match(msys_->line_of(a), cfg_.hierarchy.line_size); mask; mask &= mask - 1)
      m.stall_by_range[unsigned(__builtin_ctzll(mask))] += stall;
  }
}

void MemoryMap::clear_reservations(unsigned writer, uint64_t a, unsigned size) {
  const uint64_t g = cfg_.hierarchy.line_size;
  for (auto& m : cpus_) {
    ppc::Cpu& c = m->cpu;
    if (c.id == writer || !c.resv_valid) continue;
    uint64_t rg = c.resv_real & ~(g - 1);
    if (rg + g > a && a + std::max(size, 1u) > rg) c.resv_valid = false;
  }
}

void MemoryMap::revoke(int cpu, uint64_t line_addr, bool keep_read) {
  if (ordered_ && issuer_ >= 0 && cpu != issuer_) {
    uint64_t& at = contended_[line_addr];
    at = std::max(at, cpus_[unsigned(issuer_)]->cpu.cycles);
  }
  ppc::Cpu& c = cpus_[unsigned(cpu)]->cpu;
  c.mem.revoke(line_addr, keep_read);
  if (!keep_read && c.resv_valid && (c.resv_real & ~uint64_t(cfg_.hierarchy.line_size - 1)) == line_addr)
    c.resv_valid = false;
}

// tlbie on the interconnect: one broadcast bus transaction (timed as a sync),
// after which no CPU holds a translation for RB's page. Ordered, the issuer
// has let every CPU that was behind it catch up first (access()), so the
// invalidation lands at the issuer's local time on every CPU.
AccessResult MemoryMap::tlb_invalidate(unsigned cpu, uint64_t rb) {
  AccessResult r{true};
  issuer_ = int(cpu);
  if (msys_) charge(cpu, ~uint64_t(0), msys_->sync(int(cpu), cpus_[cpu]->cpu.cycles), class_latency(ppc::InsnClass::Sync), r);
  issuer_ = -1;
  for (auto& m : cpus_) {
    ppc::Cpu& c = m->cpu;
    unsigned dropped = c.mem.mmu().tlb_invalidate(rb);
    ++c.mem.mmu().stats.tlbie_received;
    c.translation_changed();
    if (tlbie_observer_) tlbie_observer_(cpu, c.id, rb, dropped);
  }
  return r;
}

void MemoryMap::code_page_created(uint64_t page) {
  const uint64_t block = uint64_t(1) << block_shift_;
  for (auto& m : cpus_)
    for (uint64_t b = page; b < page + kPage; b += block) m->cpu.mem.revoke(b, true);
}

bool MemoryMap::host_write(uint64_t a, const uint8_t* data, uint64_t len) {
  if (!mem_.write(a, data, len)) return false;
  code_.invalidate(a, len);
  for (auto& m : cpus_) m->cpu.resv_valid = false;
  return true;
}

void MemoryMap::flush_fast_hit_counts() {
  if (!msys_) return;
  for (auto& m : cpus_) {
    ppc::MemPort& p = m->cpu.mem;
    msys_->count_fast_hits(int(m->cpu.id), p.fast_reads, p.fast_writes, 0);
    p.fast_reads = p.fast_writes = 0;
  }
}

}  // namespace dusim
