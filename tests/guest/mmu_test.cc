// Address spaces and page faults with the MMU on (tests/guest/CMakeLists.txt
// boots these with --arg mmu=on, once with tlbi=tlbie and once with
// tlbi=ipi): the kernel runs translated, a store to a process's fresh page
// is a data storage interrupt served by its mapping's owner, a context
// switch loads the next thread's segments, and an unmap invalidates the
// translation on the CPUs asked — a CPU that touched the page before
// faults again afterwards, which it would not if its TLB kept the entry.
#include "kernel/atomic.h"
#include "kernel/heap.h"
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/page_allocator.h"
#include "kernel/percpu.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

namespace {

// An anonymous mapping: a fresh frame per faulting page, counted.
struct Anon {
  volatile u64 faults;
  volatile u64 store_faults;
};

SysStatus anon_fault(void* owner, AddressSpace* as, uval ea, AddressSpace::Access access) {
  Anon* a = static_cast<Anon*>(owner);
  void* f = alloc_pages(1);
  if (!f) return kErrNoMemory;
  memset(f, 0, kPageSize);
  atomic_fetch_add(&a->faults, 1);
  if (access == AddressSpace::kStore) atomic_fetch_add(&a->store_faults, 1);
  return mmu::map(as, ea, uval(f));
}

u64 total_faults() {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += mmu::stats(c).faults;
  return n;
}

struct TouchArgs {
  AddressSpace* as;
  uval base;
  u64 pages;
  Latch* done;
  volatile u64 bad;
};

void touch_part(void* p) {
  auto* a = static_cast<TouchArgs*>(p);
  mmu::enter_aspace(a->as);
  uval part = a->base + cpu_id() * a->pages * kPageSize;
  for (u64 k = 0; k < a->pages; ++k) *reinterpret_cast<volatile u64*>(part + k * kPageSize) = cpu_id() * 1000 + k;
  for (u64 k = 0; k < a->pages; ++k)
    if (*reinterpret_cast<volatile u64*>(part + k * kPageSize) != cpu_id() * 1000 + k) atomic_fetch_add(&a->bad, 1);
  a->done->count_down();
}

}  // namespace

KTEST(mmu_kernel_translated, "1,4") {
  KREQUIRE(mmu::enabled(), "boot with mmu=on");
  KEXPECT(mmu::mode() == (mmu::kMsrIR | mmu::kMsrDR), "a thread runs with MSR[IR,DR] = %lx", mmu::mode());
  uval frame = 0;
  KEXPECT(mmu::lookup(nullptr, uval(&total_faults), &frame) && frame == uval(&total_faults) - (uval(&total_faults) & 0xfff),
          "the kernel's code is in the linear map (frame 0x%lx)", frame);
  // A page of the heap beyond the bolted image: its first touch is a
  // linear-map fault served by the kernel.
  u64 before = mmu::stats(cpu_id()).linear_faults;
  auto* p = static_cast<volatile u64*>(alloc_pages(16));
  KREQUIRE(p, "no memory");
  uval probe = uval(p) + 15 * kPageSize;
  bool mapped_before = mmu::lookup(nullptr, probe, nullptr);
  *reinterpret_cast<volatile u64*>(probe) = 7;
  KEXPECT(mapped_before || mmu::stats(cpu_id()).linear_faults > before, "no linear-map fault for a fresh page");
  KEXPECT(mmu::lookup(nullptr, probe, &frame) && frame == probe, "the linear map is EA == RA (0x%lx)", frame);
  free_pages(const_cast<u64*>(p), 16);
}

KTEST(mmu_parallel_faults, "1,4,16") {
  KREQUIRE(mmu::enabled(), "boot with mmu=on");
  static Anon anon;
  AddressSpace* as = AddressSpace::create();
  KREQUIRE(as, "no address space");
  KREQUIRE(as->add_mapping(mmu::kUserBase, 64ul << 20, anon_fault, &anon) == kOk, "add_mapping");
  KEXPECT(as->add_mapping(mmu::kUserBase + kPageSize, kPageSize, anon_fault, &anon) == kErrBusy, "overlap accepted");
  constexpr u64 kPages = 24;
  Latch done(ncpus());
  TouchArgs a{as, mmu::kUserBase, kPages, &done, 0};
  u64 f0 = total_faults();
  KREQUIRE(ktest::start_threads(ncpus(), touch_part, &a, "toucher"), "threads");
  done.wait();
  KEXPECT(a.bad == 0, "%lu pages read back another value", a.bad);
  KEXPECT(anon.faults == kPages * ncpus(), "faults %lu, expected %lu", anon.faults, kPages * ncpus());
  KEXPECT(anon.store_faults == anon.faults, "store faults %lu of %lu", anon.store_faults, anon.faults);
  KEXPECT(total_faults() - f0 == anon.faults, "the kernel counted %lu faults", total_faults() - f0);
  u64 expect_cpus = ncpus() >= 64 ? ~0ull : (1ull << ncpus()) - 1;
  KEXPECT(as->cpus == expect_cpus, "the space ran on cpus %lx", as->cpus);
}

// Two address spaces, the same addresses, different frames: threads of both
// alternate on one CPU and each always sees its own data.
namespace {
struct SwitchArgs {
  AddressSpace* as;
  u64 tag;
  volatile u64 bad;
  Latch* done;
};
void switcher(void* p) {
  auto* a = static_cast<SwitchArgs*>(p);
  mmu::enter_aspace(a->as);
  auto* v = reinterpret_cast<volatile u64*>(mmu::kUserBase);
  *v = a->tag;
  for (int i = 0; i < 50; ++i) {
    Thread::yield();
    if (*v != a->tag) ++a->bad;
  }
  a->done->count_down();
}
}  // namespace

KTEST(mmu_aspace_switch, "1,2") {
  KREQUIRE(mmu::enabled(), "boot with mmu=on");
  static Anon anon;
  AddressSpace* x = AddressSpace::create();
  AddressSpace* y = AddressSpace::create();
  KREQUIRE(x && y, "no address space");
  KREQUIRE(x->add_mapping(mmu::kUserBase, 1ul << 20, anon_fault, &anon) == kOk, "map x");
  KREQUIRE(y->add_mapping(mmu::kUserBase, 1ul << 20, anon_fault, &anon) == kOk, "map y");
  Latch done(2);
  SwitchArgs ax{x, 0x1111, 0, &done}, ay{y, 0x2222, 0, &done};
  ThreadOptions o;
  o.cpu = int(ncpus() - 1);
  Thread::create(switcher, &ax, o);
  Thread::create(switcher, &ay, o);
  done.wait();
  KEXPECT(ax.bad == 0 && ay.bad == 0, "a thread saw the other space's data (%lu, %lu)", ax.bad, ay.bad);
  KEXPECT(anon.faults == 2, "faults %lu, expected one per space", anon.faults);
}

// The shootdown: CPU 1 holds the translation (it touched the page), CPU 0
// unmaps it asking CPU 1; CPU 1's next touch must fault again.
namespace {
struct Shoot {
  AddressSpace* as;
  volatile u64 step;
  volatile u64 refaulted;
  u64 cpus_to_ask;  // tests break it to 0 to see the test fail
};
void holder(void* p) {
  auto* s = static_cast<Shoot*>(p);
  mmu::enter_aspace(s->as);
  auto* v = reinterpret_cast<volatile u64*>(mmu::kUserBase);
  (void)*v;  // first touch: a fault, then the translation is in our TLB
  (void)*v;
  store_once(s->step, 1);
  while (load_once(s->step) != 2) mach::cpu_relax();
  u64 before = mmu::stats(cpu_id()).faults;
  (void)*v;
  s->refaulted = mmu::stats(cpu_id()).faults - before;
  store_once(s->step, 3);
}
}  // namespace

KTEST(mmu_shootdown, "2,4") {
  KREQUIRE(mmu::enabled(), "boot with mmu=on");
  static Anon anon;
  Shoot s{AddressSpace::create(), 0, 0, 0};
  KREQUIRE(s.as, "no address space");
  KREQUIRE(s.as->add_mapping(mmu::kUserBase, 1ul << 20, anon_fault, &anon) == kOk, "map");
  unsigned other = ncpus() - 1;
  s.cpus_to_ask = 1ull << other;
  ThreadOptions o;
  o.cpu = int(other);
  Thread::create(holder, &s, o);
  while (load_once(s.step) != 1) Thread::yield();
  bool had = false;
  u64 ipis = mmu::unmap(s.as, mmu::kUserBase, s.cpus_to_ask, &had);
  KEXPECT(had, "the page's HPTE was not there");
  if (mmu::tlbi_method() == mmu::Tlbi::kIpi) KEXPECT(ipis == 1, "IPIs %lu, expected 1", ipis);
  else KEXPECT(ipis == 0 && mmu::stats(cpu_id()).tlbie_sent > 0, "tlbie: IPIs %lu", ipis);
  store_once(s.step, 2);
  while (load_once(s.step) != 3) Thread::yield();
  KEXPECT(s.refaulted == 1, "cpu %u touched the unmapped page without a fault (%lu): its TLB kept it", other,
          s.refaulted);
}

// An unhandled page fault: the kernel's report names the address, the
// cause and what the SLB and the page table hold for it.
KTEST(mmu_fault_report, "1") {
  KREQUIRE(mmu::enabled(), "boot with mmu=on");
  AddressSpace* as = AddressSpace::create();
  KREQUIRE(as, "no address space");
  mmu::enter_aspace(as);
  *reinterpret_cast<volatile u64*>(mmu::kUserBase + 0x5008) = 1;  // no mapping covers it
  KEXPECT(false, "the store returned");
}
KTEST_REPORT(mmu_fault_report, "unhandled data storage fault on cpu 0 at pc 0x[0-9a-f]+: ea 0x10000005008");
KTEST_REPORT(mmu_fault_report, "no translation, store, dsisr 0x42000000");
KTEST_REPORT(mmu_fault_report, "slb: segment found, vsid 0x[0-9a-f]+; hpte: none");
KTEST_REPORT(mmu_fault_report, "ktest_fn_mmu_fault_report");
