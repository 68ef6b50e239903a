#include "cpu_ppc64/mem_port.h"

#include <cstdio>

namespace dusim::ppc {

std::string access_fault_message(uint64_t addr, Access kind) {
  const char* what = kind == Access::Fetch ? "instruction fetch" : kind == Access::Write ? "store" : "load";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s outside memory at 0x%llx", what, (unsigned long long)addr);
  return buf;
}

// The MMU's page-table accesses: real-address reads and byte stores through
// the port's target (the caches and coherence), charged to the CPU.
class MemPort::Walker final : public mmu::WalkMemory {
 public:
  explicit Walker(MemPort& p) : p_(p) {}
  bool read64(uint64_t ra, uint64_t& v) override {
    uint8_t b[8];
    AccessResult r = p_.target_->access(p_.cpu_, ra, 8, Access::Read, b);
    if (!r.ok) return false;
    cycles += r.stall;
    *p_.stall_sink_ += r.stall;
    v = from_be<uint64_t>(b);
    return true;
  }
  bool update_pte(uint64_t ra, uint64_t d0, uint64_t d1, uint64_t set, uint64_t& now1) override {
    PteUpdate u;
    u.d0 = d0, u.d1 = d1, u.set = set;
    AccessResult r = p_.target_->access(p_.cpu_, ra, 16, Access::PteUpdate, reinterpret_cast<uint8_t*>(&u));
    if (!r.ok) throw AccessFault(ra, Access::Read, 16);  // the walk read it: RAM
    cycles += r.stall;
    *p_.stall_sink_ += r.stall;
    now1 = u.now1;
    return u.matched;
  }

 private:
  MemPort& p_;
};

void MemPort::slow(uint64_t ea, unsigned size, Access kind, uint8_t* data) {
  const bool xlate = kind == Access::Fetch ? (mode_ & kXlateFetch)
                                           : (mode_ & kXlateData) && kind != Access::Barrier &&
                                                 kind != Access::Order && kind != Access::TlbInvalidate &&
                                                 kind != Access::PteUpdate;
  if (xlate) return translated(ea, size, kind, data);
  const uint64_t gen = generation_;
  AccessResult r = target_->access(cpu_, ea, size, kind, data);
  if (!r.ok) throw AccessFault(ea, kind, size);
  *stall_sink_ += r.stall;
  if (r.grant && size && gen == generation_) {
    uint64_t tag = ea >> block_shift_;
    if (kind == Access::Write) wr_[tag & (kEntries - 1)] = {tag, r.grant};
    if (kind != Access::Fetch) rd_[tag & (kEntries - 1)] = {tag, r.grant};
  }
}

// A grant under translation: keyed by the effective block, findable by the
// real one. A real block has one reverse slot: a grant that held it goes.
void MemPort::grant(uint64_t ea, uint64_t ra, Access kind, uint8_t* host, bool may_write) {
  const uint64_t et = ea >> block_shift_, rt = ra >> block_shift_;
  Rev& rev = rev_[rt & (kEntries - 1)];
  if (rev.ra != ~uint64_t(0) && (rev.ra != rt || rev.ea != et)) drop(rev.ea, false);
  rev = {rt, et};
  if (kind == Access::Write && may_write) wr_[et & (kEntries - 1)] = {et, host};
  rd_[et & (kEntries - 1)] = {et, host};
}

void MemPort::translated(uint64_t ea, unsigned size, Access kind, uint8_t* data) {
  if (kind == Access::Fetch) {  // words within one page (aligned), and fetch-timing probes
    const uint64_t ra = fetch_translate(ea);
    AccessResult r = target_->access(cpu_, ra, size, kind, data);
    if (!r.ok) throw AccessFault(ea, kind, size);
    *stall_sink_ += r.stall;
    return;
  }
  const mmu::Op op = (kind == Access::Write || kind == Access::BlockZero || kind == Access::StoreConditional)
                        ? mmu::Op::Store
                        : mmu::Op::Load;
  const bool problem = mode_ & kProblem;
  Walker walker(*this);
  mmu::Translation t;
  mmu::Fault f;
  if (!mmu_.translate(ea, op, problem, walker, t, f)) {
    if (kind == Access::BlockTouch) return;  // a hint: no interrupt (Book II, dcbt)
    throw StorageInterrupt{f};
  }
  const uint64_t last = ea + (size ? size - 1 : 0);
  if ((ea >> 12) != (last >> 12)) {
    // The access crosses into another page: translate that one too before
    // any byte moves, then do it byte by byte (no grant).
    mmu::Translation t2;
    if (!mmu_.translate(last, op, problem, walker, t2, f)) throw StorageInterrupt{f};
    for (unsigned k = 0; k < size; ++k) {
      uint64_t a = ea + k, ra = ((a >> 12) == (ea >> 12) ? t.ra + k : t2.ra - (last - a));
      AccessResult r = target_->access(cpu_, ra, 1, kind, data + k);
      if (!r.ok) throw AccessFault(a, kind, 1);
      *stall_sink_ += r.stall;
    }
    return;
  }
  const uint64_t gen = generation_;
  AccessResult r = target_->access(cpu_, t.ra, size, kind, data);
  if (!r.ok) throw AccessFault(ea, kind, size);
  *stall_sink_ += r.stall;
  if (kind == Access::StoreConditional) {
    lost_ = r.lost;
    return;
  }
  if (r.grant && size && kind != Access::Fetch && gen == generation_) grant(ea, t.ra, kind, r.grant, t.may_write);
}

uint64_t MemPort::fetch_translate(uint64_t pc) {
  if ((pc >> 12) == fetch_epage_) return fetch_rpage_ | (pc & 0xfff);
  Walker walker(*this);
  mmu::Translation t;
  mmu::Fault f;
  const uint64_t gen = generation_;
  if (!mmu_.translate(pc, mmu::Op::Fetch, mode_ & kProblem, walker, t, f)) throw StorageInterrupt{f};
  if (gen != generation_) return t.ra;  // flushed meanwhile: use it once, keep nothing
  fetch_epage_ = pc >> 12;
  fetch_rpage_ = t.ra & ~uint64_t(0xfff);
  return t.ra;
}

}  // namespace dusim::ppc
