// Virtual memory (include/kernel/mmu.h): the hashed page table and its
// HPTEs, the SLB, the linear map, TLB invalidation and the storage faults.
// Power ISA 2.06 Book III-S: 5.7.6 (segment translation, SLB), 5.7.7 (the
// page table, hashes, HPTE format), 5.9.3 (tlbie, tlbiel, tlbsync, ptesync),
// 6.5.3-6.5.6 (the storage and segment interrupts).
#include "kernel/mmu.h"

#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/trap.h"
#include "kernel/xcall.h"

namespace mmu {
namespace {

constexpr u64 kMinHptBytes = 256 * 1024;  // HTABSIZE 0: 2^11 groups (5.7.7.1)
constexpr unsigned kGroupLocks = 64;
// VSIDs: a proto-VSID (kernel segment e: e; a process segment: asid << 5 |
// segment) scrambled, as Linux does, by an odd multiplier modulo 2^24 (a
// bijection): without it the CPUs' parts of a space, aligned at large
// powers of two, hash their n-th pages into the same few groups.
constexpr u64 kVsidMultiplier = 12538073, kVsidInverse = 3157865, kVsidMask = (1u << 24) - 1;
constexpr u64 vsid_for(u64 proto) { return ((proto + 1) * kVsidMultiplier) & kVsidMask; }
constexpr u64 proto_of(u64 vsid) { return ((vsid * kVsidInverse) & kVsidMask) - 1; }
static_assert(proto_of(vsid_for(12345)) == 12345, "the inverse");
constexpr u64 kernel_vsid(uval ea) { return vsid_for(ea >> 28); }
constexpr unsigned kKernelSegments = 16;   // EA 0 - 4 GiB: RAM (up to 3840 MiB) and the devices
constexpr unsigned kFileSegments = 16;     // then kFileMapBase - 8 GiB: the kernel's file mappings
constexpr uval kDeviceBase = 0xf0000000ul;
constexpr uval kDevicePages = 4;           // UART, interrupt controller, sim-control, mailbox
constexpr u64 kMaxAsid = 1u << 16;

bool g_enabled;
Tlbi g_tlbi = Tlbi::kTlbie;
uval g_hpt;        // physical = effective (linear map)
u64 g_hpt_bytes;
u64 g_group_mask;  // groups - 1
u64 g_sdr1;
uval g_memory_bytes;
SpinLock g_group_lock[kGroupLocks];
SpinLock g_tlbie_lock;  // one tlbie in flight machine-wide (as Linux on POWER5)
volatile u64 g_next_asid = 1;
struct alignas(KERNEL_CACHE_LINE) CpuMmu {
  Stats s;
  AddressSpace* loaded;  // the address space in the process SLB slots
  AddressSpace* low;     // a Linux process's space in slots 0-15 (instead of the kernel's), or nullptr
  u64 victim;            // round-robin eviction slot
  volatile uval touching;  // touch(): the page being loaded, or 0
};
CpuMmu g_cpu[kMaxCpus];

inline CpuMmu& me() { return g_cpu[cpu_id()]; }

struct Hpte {
  volatile u64 v, r;
};

// ---- real mode: every HPT change runs untranslated, interrupts off ----------
class RealMode {
 public:
  RealMode() : f_(irq_save()), m_(mode()) {
    if (m_) set_mode(0);
  }
  ~RealMode() {
    if (m_) set_mode(m_);
    irq_restore(f_);
  }
  RealMode(const RealMode&) = delete;
  RealMode& operator=(const RealMode&) = delete;

 private:
  u64 f_, m_;
};

inline void ptesync() { asm volatile("ptesync" ::: "memory"); }
inline void eieio() { asm volatile("eieio" ::: "memory"); }

// ---- hashes and HPTE fields (5.7.7.3, 5.7.7.1) -----------------------------
inline u64 page_index(uval ea) { return (ea & ((uval(1) << kSegShift) - 1)) >> kPageShift; }
inline u64 primary_hash(u64 vsid, uval ea) { return (vsid & 0x7fffffffffull) ^ page_index(ea); }
inline u64 va_of(u64 vsid, uval ea) { return (vsid << kSegShift) | (ea & ((uval(1) << kSegShift) - 1)); }
inline u64 avpn_bits(u64 va) { return (va >> 23) << 7; }  // dword 0, 4 KiB page, 256 MiB segment
constexpr u64 kAvpnMask = ~u64(0x7f);
inline Hpte* group(u64 hash) { return reinterpret_cast<Hpte*>(g_hpt + ((hash & g_group_mask) << 7)); }
inline unsigned lock_of(u64 hash) { return unsigned(hash & g_group_mask) % kGroupLocks; }
inline u64 tlbie_rb(u64 va) { return va & 0x000ffffffffff000ull; }

// Both groups of a VA (the lock pair, in index order, once when equal).
class GroupsGuard {
 public:
  explicit GroupsGuard(u64 hash) : a_(lock_of(hash)), b_(lock_of(~hash)) {
    if (a_ > b_) {
      unsigned t = a_;
      a_ = b_;
      b_ = t;
    }
    g_group_lock[a_].acquire();
    if (b_ != a_) g_group_lock[b_].acquire();
  }
  ~GroupsGuard() {
    if (b_ != a_) g_group_lock[b_].release();
    g_group_lock[a_].release();
  }

 private:
  unsigned a_, b_;
};

// The slot holding va in either group, or nullptr (caller holds the groups).
Hpte* find_slot(u64 va, u64 hash, bool* secondary) {
  u64 want = avpn_bits(va) | kHpteValid;
  for (int h = 0; h < 2; ++h) {
    Hpte* g = group(h ? ~hash : hash);
    u64 w = want | (h ? kHpteSecondary : 0);
    for (unsigned i = 0; i < 8; ++i)
      if ((g[i].v & (kAvpnMask | kHpteSecondary | kHpteValid)) == w) {
        if (secondary) *secondary = h;
        return &g[i];
      }
  }
  return nullptr;
}

void tlbie_va(u64 va) {
  g_tlbie_lock.acquire();
  ptesync();
  asm volatile("tlbie %0,0" ::"r"(tlbie_rb(va)) : "memory");
  eieio();
  asm volatile("tlbsync" ::: "memory");
  ptesync();
  g_tlbie_lock.release();
  ++me().s.tlbie_sent;
}

struct TlbielArgs {
  u64 va;
};
void tlbiel_here(void* a) {
  ptesync();
  asm volatile("tlbiel %0" ::"r"(tlbie_rb(static_cast<TlbielArgs*>(a)->va)) : "memory");
  ptesync();
  ++me().s.tlbiel_run;
}

// Invalidates va on the CPUs in `cpus` by the configured method; the HPTE
// is already gone. Returns the CPUs interrupted.
u64 invalidate_va(u64 va, u64 cpus) {
  if (!cpus) return 0;
  if (cpus == (1ull << cpu_id())) {  // only this CPU may hold it: a local tlbiel (Linux: a thread-local mm)
    TlbielArgs a{va};
    tlbiel_here(&a);
    return 0;
  }
  if (g_tlbi == Tlbi::kTlbie) {
    tlbie_va(va);
    return 0;
  }
  TlbielArgs a{va};
  unsigned self = cpu_id();
  u64 ipis = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    if (!(cpus & (1ull << c))) continue;
    if (c == self) {
      tlbiel_here(&a);
    } else {
      xcall(c, tlbiel_here, &a);  // real mode, interrupts off: xcall serves calls aimed at us meanwhile
      ++ipis;
    }
  }
  me().s.ipis_sent += ipis;
  return ipis;
}

// Inserts va -> frame (caller: real mode, interrupts off).
SysStatus insert(u64 vsid, uval ea, uval frame, u64 wimg, u64 pp, bool bolted) {
  u64 va = va_of(vsid, ea);
  u64 hash = primary_hash(vsid, ea);
  u64 r = (frame & ~u64(kPageSize - 1)) | wimg | pp;
  Hpte* slot = nullptr;
  u64 h2 = 0;
  bool evicted = false;
  {
    GroupsGuard g(hash);
    bool sec;
    if (Hpte* e = find_slot(va, hash, &sec)) {
      if ((e->r & ~u64(kHpteR | kHpteC)) == r) return kOk;  // another CPU's fault got here first
      e->v = 0;  // a new frame for the page: drop the old translation first
      ptesync();
      tlbie_va(va);
      slot = e;
      h2 = sec ? kHpteSecondary : 0;
    }
    for (int h = 0; !slot && h < 2; ++h) {
      Hpte* grp = group(h ? ~hash : hash);
      for (unsigned i = 0; i < 8; ++i)
        if (!(grp[i].v & kHpteValid)) {
          slot = &grp[i];
          h2 = h ? kHpteSecondary : 0;
          break;
        }
    }
    if (!slot) {
      // Both groups full: evict a linear-map entry of the primary group (the
      // next touch refills it); other owners' entries stay, their owners
      // know nothing of evictions.
      Hpte* grp = group(hash);
      for (unsigned k = 0; k < 8 && !slot; ++k) {
        Hpte* e = &grp[(me().victim + k) & 7];
        u64 ev_vsid = e->v >> 12;
        if (!(e->v & kHpteBolted) && proto_of(ev_vsid) < kKernelSegments) slot = e;
      }
      if (!slot) return kErrNoMemory;
      ++me().victim;
      // Rebuild the evicted entry's VA (5.7.7.3): the AVPN holds VA >> 23,
      // i.e. the VSID and the page index's top 5 bits; the low 11 bits are
      // the group's index XOR the VSID (through the hash the entry used).
      u64 ev_avpn = slot->v >> 7;
      u64 ev_vsid = ev_avpn >> 5;
      u64 gi = hash & g_group_mask;
      u64 used = (slot->v & kHpteSecondary) ? (~gi & g_group_mask) : gi;
      u64 pidx = ((ev_avpn & 0x1f) << 11) | ((used ^ ev_vsid) & 0x7ff);
      u64 old_va = (ev_vsid << kSegShift) | (pidx << kPageShift);
      // Invalidate before reuse (Book III-S 5.10.1.2): another CPU's walk
      // may still be setting R or C in this slot for the old page.
      slot->v = 0;
      ptesync();
      tlbie_va(old_va);
      evicted = true;
      h2 = 0;
    }
    slot->r = r;
    eieio();
    slot->v = avpn_bits(va) | h2 | (bolted ? kHpteBolted : 0) | kHpteValid;
    ptesync();
  }
  if (evicted) ++me().s.evictions;
  ++me().s.inserts;
  return kOk;
}

// Removes va's HPTE (real mode). Returns whether there was one.
bool remove(u64 vsid, uval ea, uval* frame) {
  u64 va = va_of(vsid, ea);
  u64 hash = primary_hash(vsid, ea);
  GroupsGuard g(hash);
  Hpte* e = find_slot(va, hash, nullptr);
  if (!e) return false;
  if (frame) *frame = e->r & 0x0ffffffffffff000ull;
  e->v = 0;
  ptesync();
  ++me().s.removes;
  return true;
}

bool linear_ea(uval ea) {
  return ea < g_memory_bytes || (ea >= kDeviceBase && ea < kDeviceBase + kDevicePages * kPageSize);
}

}  // namespace

// ---- boot --------------------------------------------------------------------
uval boot_reserve(uval free_base, uval memory_bytes) {
  const char* m = bootargs::get("mmu");
  g_enabled = m && (!strcmp(m, "on") || !strcmp(m, "1"));
  const char* t = bootargs::get("tlbi");
  if (t && !strcmp(t, "ipi")) g_tlbi = Tlbi::kIpi;
  if (!g_enabled) return free_base;
  g_memory_bytes = memory_bytes;
  // By default sized as Linux sizes it, memory / 128 (4 MiB for 512 MiB:
  // 2^15 groups for 2^17 pages): with the smallest table the file-mapping
  // and user entries, which are never evicted, could fill both groups of a
  // kernel page whose linear-map entry had been evicted, and its next touch
  // found no slot (an unhandled fault; seen at 64 CPUs in the FCM scenario).
  u64 kib = bootargs::get_u64("hpt_kib", max_of<u64>(kMinHptBytes, memory_bytes >> 7) >> 10);
  u64 bytes = kMinHptBytes;
  while (bytes < (kib << 10) && bytes < (u64(1) << 28)) bytes <<= 1;  // a power of two, HTABSIZE <= 10
  g_hpt_bytes = bytes;
  g_hpt = round_up<uval>(free_base, bytes);
  memset(reinterpret_cast<void*>(g_hpt), 0, bytes);
  g_group_mask = (bytes >> 7) - 1;
  u64 htabsize = 0;
  while ((kMinHptBytes << htabsize) < bytes) ++htabsize;
  g_sdr1 = g_hpt | htabsize;  // HTABORG | HTABSIZE (5.7.7.2)
  return g_hpt + bytes;
}

void boot_map_kernel(uval image_end, uval stacks_base, uval memory_bytes) {
  if (!g_enabled) return;
  RealMode rm;
  auto bolt = [](uval lo, uval hi, u64 wimg) {
    for (uval ea = lo & ~(kPageSize - 1); ea < hi; ea += kPageSize)
      KASSERT(insert(kernel_vsid(ea), ea, ea, wimg, 0, true) == kOk);
  };
  bolt(0, image_end, kWimgM);
  bolt(g_hpt, g_hpt + g_hpt_bytes, kWimgM);
  bolt(stacks_base, memory_bytes, kWimgM);  // boot stacks and the boot-information block
  bolt(kDeviceBase, kDeviceBase + kDevicePages * kPageSize, kWimgIG);
  me().s.inserts = 0;  // boot's bolted entries are not the workload's
}

void init_cpu() {
  if (!g_enabled) return;
  RealMode rm;
  asm volatile("mtsdr1 %0\n isync" ::"r"(g_sdr1) : "memory");
  for (u64 e = 0; e < kKernelSegments + kFileSegments; ++e) {
    u64 rs = (vsid_for(e) << 12) | 0x400;  // Kp=1, Ks=0: key 0 in supervisor state
    u64 rb = (e << kSegShift) | 0x08000000 | e;      // ESID, V, slot e
    asm volatile("slbmte %0,%1" ::"r"(rs), "r"(rb) : "memory");
  }
  for (u64 s = kUserSlbSlot; s < kUserSlbSlot + kUserSegments; ++s)
    asm volatile("slbmte %0,%1" ::"r"(0ul), "r"(s) : "memory");
  mach::isync();
  me().loaded = nullptr;
  // RealMode's destructor restores the mode it found (off at boot):
  // translation goes on below, for the rest of this context's life.
}

bool enabled() { return g_enabled; }
Tlbi tlbi_method() { return g_tlbi; }
void set_tlbi_method(Tlbi m) { g_tlbi = m; }
uval hpt_base() { return g_hpt; }
u64 hpt_bytes() { return g_hpt_bytes; }
const Stats& stats(unsigned cpu) { return g_cpu[cpu].s; }

void set_mode(u64 ir_dr) {
  u64 m = mach::mfmsr();
  m = (m & ~u64(kMsrIR | kMsrDR)) | (ir_dr & (kMsrIR | kMsrDR));
  asm volatile("mtmsrd %0,0\n isync" ::"r"(m) : "memory");
}

u64 thread_mode() { return g_enabled ? (kMsrIR | kMsrDR) : 0; }

u64 vsid_of(const AddressSpace* as, uval ea) {
  if (as && as->low) return ea < kLowEnd ? vsid_for((as->asid << 5) | (ea >> kSegShift)) : 0;
  if (ea < (uval(kKernelSegments + kFileSegments) << kSegShift)) return kernel_vsid(ea);
  if (!as || ea < kUserBase || ea >= kUserEnd) return 0;
  return vsid_for((as->asid << 5) | ((ea - kUserBase) >> kSegShift));
}

SysStatus map(const AddressSpace* as, uval ea, uval frame, u64 wimg, u64 pp) {
  u64 vsid = vsid_of(as, ea);
  if (!vsid || !g_enabled || (ea < kFileMapBase && !as->low)) return kErrInvalid;  // the linear map is the kernel's own
  RealMode rm;
  u64 evicted = me().s.evictions;
  SysStatus st = insert(vsid, ea, frame, wimg, pp, false);
  if (st == kOk) ev::emit(ev::HPTE_INSERT, ea, frame, as ? as->asid : 0, me().s.evictions - evicted);
  return st;
}

u64 unmap(const AddressSpace* as, uval ea, u64 cpus, bool* had) {
  u64 vsid = vsid_of(as, ea);
  if (!vsid || !g_enabled || (ea < kFileMapBase && !as->low)) return 0;
  RealMode rm;
  u64 t0 = mach::cycles();
  bool found = remove(vsid, ea, nullptr);
  if (had) *had = found;
  u64 ipis = invalidate_va(va_of(vsid, ea), cpus);
  ev::emit(ev::HPTE_REMOVE, ea, as ? as->asid : 0, found ? 1 : 0, cpus, ipis, mach::cycles() - t0);
  return ipis;
}

u64 invalidate(const AddressSpace* as, uval ea, u64 cpus) {
  u64 vsid = vsid_of(as, ea);
  if (!vsid || !g_enabled) return 0;
  RealMode rm;
  return invalidate_va(va_of(vsid, ea), cpus);
}

bool lookup(const AddressSpace* as, uval ea, uval* frame, u64* hpte0, u64* hpte1, bool* secondary) {
  u64 vsid = vsid_of(as, ea);
  if (!vsid || !g_enabled) return false;
  u64 va = va_of(vsid, ea);
  u64 hash = primary_hash(vsid, ea);
  RealMode rm;
  GroupsGuard g(hash);
  Hpte* e = find_slot(va, hash, secondary);
  if (!e) return false;
  if (frame) *frame = e->r & 0x0ffffffffffff000ull;
  if (hpte0) *hpte0 = e->v;
  if (hpte1) *hpte1 = e->r;
  return true;
}

// ---- faults ----------------------------------------------------------------------
namespace {
bool fault_ea(const TrapFrame* f, uval* ea, u64* cause) {
  switch (f->vector) {
    case vec::kDataStorage: case 0x380: *ea = f->dar; *cause = f->dsisr; return true;
    case vec::kInstStorage: case 0x480: *ea = f->pc; *cause = f->msr; return true;
    default: return false;
  }
}

AddressSpace* current_aspace() {
  Thread* t = this_cpu()->current;
  return t ? t->aspace : nullptr;
}
}  // namespace

bool touch(uval ea) {
  u64 flags = irq_save();
  me().touching = ea & ~(kPageSize - 1);
  // One load instruction: the fault handler skips exactly it, and clears
  // `touching` to say so.
  asm volatile("ld %%r0,0(%0)" ::"b"(ea) : "r0", "memory");
  bool loaded = me().touching != 0;
  me().touching = 0;
  irq_restore(flags);
  return loaded;
}

bool handle_fault(TrapFrame* f) {
  uval ea;
  u64 cause;
  if (!g_enabled || !fault_ea(f, &ea, &cause)) return false;
  if (f->vector == 0x380 || f->vector == 0x480) return false;  // every segment is loaded: a wild address
  if (!(cause & kCauseNoHpte)) return false;                   // protection: no one may
  if (f->vector == vec::kDataStorage && me().touching && (ea & ~(kPageSize - 1)) == me().touching) {
    f->pc += 4;  // touch()'s load: its translation is gone, so is the reason to load
    me().touching = 0;
    ++me().s.touches_lost;
    return true;
  }
  const bool user = f->msr & mach::msr::kPR;
  if (!user && linear_ea(ea)) {
    u64 wimg = ea >= kDeviceBase ? kWimgIG : kWimgM;
    uval page = ea & ~(kPageSize - 1);
    if (insert(kernel_vsid(ea), page, page, wimg, 0, false) != kOk) return false;
    ++me().s.linear_faults;
    return true;
  }
  AddressSpace* as = current_aspace();
  if (!as || (as->low ? !user || ea >= kLowEnd : ea < kUserBase || ea >= kUserEnd)) return false;
  AddressSpace::Mapping m;
  if (!as->find(ea, &m)) return false;
  bool store = f->vector == vec::kDataStorage && (cause & kCauseStore);
  u64 t0 = mach::cycles();
  ev::emit(ev::PAGE_FAULT_BEGIN, ea, f->pc, store ? 1 : 0, as->asid);
  // The owner may take locks that a CPU waiting for our tlbiel (IPI method)
  // holds: serve interrupts meanwhile, as Linux's do_page_fault does.
  if (f->msr & mach::msr::kEE) irq_enable();
  const AddressSpace::Access access = f->vector == vec::kInstStorage ? AddressSpace::kFetch
                                      : store                        ? AddressSpace::kStore
                                                                     : AddressSpace::kLoad;
  SysStatus st = m.fault(m.owner, as, ea & ~(kPageSize - 1), access);
  irq_disable();
  u64 lat = mach::cycles() - t0;
  ev::emit(ev::PAGE_FAULT_END, ea, lat, u64(st), as->asid);
  if (st != kOk) return false;
  ++me().s.faults;
  me().s.fault_cycles += lat;
  return true;
}

void describe_fault(const TrapFrame* f, char* buf, unsigned size) {
  uval ea;
  u64 cause;
  if (!fault_ea(f, &ea, &cause)) {
    buf[0] = 0;
    return;
  }
  AddressSpace* as = current_aspace();
  if (as && as->low && !(f->msr & mach::msr::kPR)) as = nullptr;  // the kernel's own access, in a process's thread
  u64 vsid = g_enabled ? vsid_of(as, ea) : 0;
  const char* why = f->vector == 0x380 || f->vector == 0x480 ? "no segment"
                    : (cause & kCauseNoHpte)                 ? "no translation"
                    : (cause & kCauseProt)                   ? "protection"
                    : (cause & kCauseNoExec)                 ? "no-execute"
                                                             : "other";
  uval frame = 0;
  u64 v = 0, r = 0;
  bool sec = false;
  bool found = vsid && lookup(as, ea, &frame, &v, &r, &sec);
  ksnprintf(buf, size, "ea 0x%lx (%s%s, %s 0x%lx); slb: %s vsid 0x%lx; hpte: %s", ea, why,
            f->vector == vec::kDataStorage && (cause & kCauseStore) ? ", store" : "",
            f->vector == vec::kInstStorage || f->vector == 0x480 ? "srr1" : "dsisr", cause,
            vsid ? "segment found," : "no segment,", vsid,
            found ? (sec ? "secondary group" : "primary group") : "none");
  (void)frame;
}

void switch_aspace(AddressSpace* as) {
  CpuMmu& c = me();
  if (!g_enabled || c.loaded == as) return;
  if (as && as->low) {  // loaded on the way to problem state (load_low)
    if (!(load_once(as->cpus) & (1ull << cpu_id()))) atomic_fetch_or(&as->cpus, 1ull << cpu_id());
    return;
  }
  RealMode rm;
  for (u64 s = 0; s < kUserSegments; ++s) {
    u64 slot = kUserSlbSlot + s;
    if (as) {
      u64 rs = (vsid_for((as->asid << 5) | s) << 12) | 0x400;
      u64 rb = ((kUserBase + (s << kSegShift)) & ~((uval(1) << kSegShift) - 1)) | 0x08000000 | slot;
      asm volatile("slbmte %0,%1" ::"r"(rs), "r"(rb) : "memory");
    } else {
      asm volatile("slbmte %0,%1" ::"r"(0ul), "r"(slot) : "memory");
    }
  }
  mach::isync();
  if (as && !(load_once(as->cpus) & (1ull << cpu_id()))) atomic_fetch_or(&as->cpus, 1ull << cpu_id());  // written once per CPU
  c.loaded = as;
  ++c.s.aspace_switches;
}

void load_low(AddressSpace* as) {
  CpuMmu& c = me();
  if (!g_enabled || c.low == as) return;
  for (u64 e = 0; e < kKernelSegments; ++e) {
    u64 rs = (vsid_for((as->asid << 5) | e) << 12) | 0x400;  // Kp=1: key 1 in problem state
    u64 rb = (e << kSegShift) | 0x08000000 | e;
    asm volatile("slbmte %0,%1" ::"r"(rs), "r"(rb) : "memory");
  }
  mach::isync();
  c.low = as;
  ++c.s.aspace_switches;
}

void unload_low() {
  CpuMmu& c = me();
  if (!c.low) return;
  u64 f = irq_save();
  for (u64 e = 0; e < kKernelSegments; ++e) {
    u64 rs = (vsid_for(e) << 12) | 0x400;
    u64 rb = (e << kSegShift) | 0x08000000 | e;
    asm volatile("slbmte %0,%1" ::"r"(rs), "r"(rb) : "memory");
  }
  mach::isync();
  c.low = nullptr;
  irq_restore(f);
}

void enter_aspace(AddressSpace* as) {
  u64 f = irq_save();
  this_cpu()->current->aspace = as;
  switch_aspace(as);
  irq_restore(f);
}

}  // namespace mmu

// ---- address spaces ------------------------------------------------------------------
AddressSpace* AddressSpace::create(bool low) {
  using namespace mmu;
  u64 id = atomic_fetch_add(&g_next_asid, 1);
  if (id >= kMaxAsid) return nullptr;  // ASIDs are not recycled (a note in the README)
  auto* as = static_cast<AddressSpace*>(kzalloc(sizeof(AddressSpace)));
  if (!as) return nullptr;
  new (&as->lock) SpinLock();
  as->asid = id;
  as->low = low;
  return as;
}

void AddressSpace::destroy() {
  // Every mapping's owner has unmapped its pages (remove_mapping); the
  // CPUs that ran the space drop it from their SLBs at their next switch.
  for (unsigned c = 0; c < ncpus(); ++c)
    if (mmu::g_cpu[c].loaded == this) mmu::g_cpu[c].loaded = nullptr;  // a stale pointer compares unequal
  // (a CPU still holding a Linux space's segments in slots 0-15 holds them
  // until its next switch, which unloads them; no thread of it runs there.)
  kfree(this);
}

namespace {
// A change of an address space's mappings, under its lock: `seq` odd from
// before the first store to after the last (partner: find's reads of seq).
// Interrupts off meanwhile: a fault taken on this CPU while seq is odd
// would wait for it forever.
struct MappingsWrite {
  AddressSpace& as;
  u64 irqs;
  explicit MappingsWrite(AddressSpace& a) : as(a), irqs(a.lock.lock_irqsave()) {
    ++as.seq;
    mach::lwsync();  // seq odd before the mappings change
  }
  ~MappingsWrite() {
    mach::lwsync();  // the mappings before seq even again
    ++as.seq;
    as.lock.unlock_irqrestore(irqs);
  }
};
}  // namespace

SysStatus AddressSpace::add_mapping(uval base, uval size, FaultFn fn, void* owner) {
  const uval lo = low ? 0 : mmu::kUserBase, hi = low ? mmu::kLowEnd : mmu::kUserEnd;
  if (base < lo || base + size > hi || base + size < base || !size) return kErrInvalid;
  MappingsWrite w(*this);
  for (unsigned i = 0; i < nmappings; ++i)
    if (base < mapping[i].base + mapping[i].size && mapping[i].base < base + size) return kErrBusy;
  if (nmappings == kMaxMappings) return kErrNoMemory;
  mapping[nmappings] = Mapping{base, size, fn, owner};
  ++nmappings;
  return kOk;
}

void AddressSpace::remove_mapping(uval base) {
  MappingsWrite w(*this);
  for (unsigned i = 0; i < nmappings; ++i)
    if (mapping[i].base == base) {
      mapping[i] = mapping[nmappings - 1];
      --nmappings;
      return;
    }
}

bool AddressSpace::find(uval ea, Mapping* out) const {
  for (;;) {
    u64 s = seq;
    if (s & 1) {
      mach::cpu_relax();
      continue;
    }
    mach::lwsync();  // seq before the mappings; partner: MappingsWrite's lwsyncs
    bool found = false;
    for (unsigned i = 0, n = load_once(nmappings); i < n && i < kMaxMappings; ++i)
      if (ea >= mapping[i].base && ea - mapping[i].base < mapping[i].size) {
        *out = mapping[i];
        found = true;
        break;
      }
    mach::lwsync();  // the mappings before seq again
    if (seq == s) return found;
  }
}
