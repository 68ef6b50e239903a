// The scenario workloads (kernel/workload.h) over the OS objects: what the
// seed's three examples run while they are updated. Parameters are the
// workload's own keys (w<i>.KEY from a scenario, or wl_KEY).
//
//   page_alloc  every selected CPU allocates and frees pages through
//               PageAllocatorKernPinned::ref, keeping `hold` pages (default
//               4; each call frees one of them, chosen at random) and emitting PAGE_ALLOC_CALL every `alloc_sample`-th call
//               (default 16). Version 0's race shows as OBJ_DOUBLE_ALLOC.
//   fcm_map     `instances` FCMs (default 400) of `pages` pages (default 8),
//               created by the CPUs that use them (so the factory tracks
//               them on every CPU's list); then each call maps a random page
//               of a random one of its FCMs and unmaps another (FCM_UNMAP);
//               one call in `share_every` (default 8; 0: never), at random,
//               also maps a page of the next CPU's FCM, so some unmaps
//               really need an IPI; one call in `open_every` (default 16; 0:
//               never), at random, a new file
//               opens (a new FCM, one page mapped), up to `open_max` per CPU
//               (default 256); with `opened_unmap` 1 (default 0) every
//               call also maps and unmaps page 0 of the CPU's newest opened
//               file, so files opened late are called too (labs/7). Files
//               are not closed: Factory::
//               destroy_instance sleeps inside the caller's call while the
//               instance is being swapped, and the swap waits for that
//               caller's generation (a deadlock with a class update).
//   region      each call creates a region of `pages` pages (default 32) in
//               a program's memory: one fault per page, timed as
//               REGION_CREATE; then the region goes. Through the one
//               RegionShared (its table starts at `buckets` buckets, default
//               8) until a module has added "PartitionedRegion": every call
//               looks the class up by name, and the first that finds it
//               creates the partitioned region everybody then uses.
//               With the MMU on (boot argument mmu=on) the faults are real:
//               the drivers run in one program's address space, a call
//               stores to each fresh page of its region, and each store's
//               data storage interrupt reaches the region (faultPage: its
//               record of the page, the part the update changes), which
//               gets the page's frame from the CPU's memory object
//               (FCM::getPage: zeroed on first use, cached after); the
//               handler inserts the HPTE. Releasing the region removes them
//               (a local tlbiel: only the faulting CPU touched its part of
//               the space). Without the MMU the calls fault the same way,
//               through Region::faultPage and FCM::getPage, with no HPTE.
//   process     `processes` processes (default 4) made by the ProcessShared
//               factory reference at setup; call i adds `threads` threads
//               (default 8) to process i mod `processes` on the calling CPU
//               (so the CPUs tend to share one) and removes them again,
//               timed as PROCESS_THREADS (with the
//               implementation that served it; the order is not randomised:
//               that the CPUs meet on one process is the point). The factory decides the
//               implementation, so a module that replaces that factory
//               changes what every process is (scenarios/process-
//               replication.yaml).
#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/workload.h"
#include "objects/fcm.h"
#include "objects/page_allocator_kern_pinned.h"
#include "objects/process.h"
#include "objects/region.h"
#include "update/dynamic_update.h"

namespace {

// ---- page_alloc ----------------------------------------------------------------
constexpr u64 kMaxHold = 16;
struct alignas(KERNEL_CACHE_LINE) HeldPages {
  uval page[kMaxHold];
  rnd::Rng rng;  // which held page each call frees
};
HeldPages* g_held;  // per CPU
u64 g_hold = 4, g_alloc_sample = 16;

void page_alloc_setup(const WorkloadParams& p) {
  KASSERT(pinned_allocator_init() == kOk);
  g_hold = workload::param_u64(p, "hold", 4);
  if (g_hold == 0 || g_hold > kMaxHold) g_hold = 4;
  g_alloc_sample = workload::param_u64(p, "alloc_sample", 16);
  if (!g_alloc_sample) g_alloc_sample = 1;
  g_held = static_cast<HeldPages*>(alloc_pages(round_up<uval>(sizeof(HeldPages) * ncpus(), kPageSize) / kPageSize));
  KASSERT(g_held);
  memset(g_held, 0, sizeof(HeldPages) * ncpus());
  for (unsigned c = 0; c < ncpus(); ++c) g_held[c].rng = rnd::stream(kOwnStream | 0x30, c);
  // The allocator object's memory, for report.objects (its next-free
  // pointer is the line the race fights over).
  auto* a = static_cast<PageAllocatorKernPinned*>(obj::root_of(PageAllocatorKernPinned::ref.idx));
  ev::name_range("PageAllocatorKernPinned", uval(a), sizeof(PageAllocatorKernPinned));
}

u64 page_alloc_call(unsigned cpu, u64 i) {
  (void)i;
  uval& slot = g_held[cpu].page[g_held[cpu].rng.below(g_hold)];
  if (slot) PageAllocatorKernPinned::ref->deallocPages(slot, kPageSize);
  slot = 0;
  u64 t0 = mach::cycles();
  uval p;
  SysStatus st = PageAllocatorKernPinned::ref->allocPages(p, kPageSize);
  if (i % g_alloc_sample == 0)
    ev::emit(ev::PAGE_ALLOC_CALL, mach::cycles() - t0, PageAllocatorKernPinned::ref->classVersion());
  if (st != kOk) return 0;
  slot = p;
  return 1;
}

void page_alloc_teardown() {
  for (unsigned c = 0; c < ncpus(); ++c)
    for (uval& s : g_held[c].page)
      if (s) PageAllocatorKernPinned::ref->deallocPages(s, kPageSize);
}

// ---- fcm_map -------------------------------------------------------------------
struct alignas(KERNEL_CACHE_LINE) FcmCpu {
  obj::ObjRef<FCM>* files;  // the per_cpu files the calls use
  volatile u64 created;
  u64 opened;               // files opened since
  obj::ObjRef<FCM> newest;  // the last of them
  rnd::Rng rng;             // which file and pages each call uses
};
FcmCpu* g_fcm;  // per CPU
u64 g_fcm_per_cpu, g_fcm_pages, g_share_every, g_open_every, g_open_max, g_opened_unmap;
u64 g_fcm_mask;

void fcm_setup(const WorkloadParams& p) {
  KASSERT(FCMFactory::CreateDefault() == kOk);
  unsigned n = p.driver_count();
  g_fcm_mask = p.mask();
  g_fcm_per_cpu = (workload::param_u64(p, "instances", 400) + n - 1) / n;
  g_fcm_pages = workload::param_u64(p, "pages", 8);
  if (g_fcm_pages < 4) g_fcm_pages = 4;
  g_share_every = workload::param_u64(p, "share_every", 8);
  g_open_every = workload::param_u64(p, "open_every", 16);
  g_open_max = workload::param_u64(p, "open_max", 256);
  g_opened_unmap = workload::param_u64(p, "opened_unmap", 0);
  g_fcm = static_cast<FcmCpu*>(alloc_pages(round_up<uval>(sizeof(FcmCpu) * ncpus(), kPageSize) / kPageSize));
  KASSERT(g_fcm);
  memset(g_fcm, 0, sizeof(FcmCpu) * ncpus());
  for (unsigned c = 0; c < ncpus(); ++c) {
    g_fcm[c].rng = rnd::stream(kOwnStream | 0x31, c);
    g_fcm[c].files = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * g_fcm_per_cpu));
    KASSERT(g_fcm[c].files);
  }
}

// The next selected CPU after `cpu` (itself when it is the only one).
unsigned next_cpu(unsigned cpu) {
  for (unsigned k = 1; k <= ncpus(); ++k) {
    unsigned c = (cpu + k) % ncpus();
    if (g_fcm_mask & (1ull << c)) return c;
  }
  return cpu;
}

u64 fcm_call(unsigned cpu, u64 i) {
  FcmCpu& me = g_fcm[cpu];
  if (me.created < g_fcm_per_cpu) {  // start-up: this CPU's files open
    obj::ObjRef<FCM>& f = me.files[me.created];
    if (DREF_FACTORY_DEFAULT(FCM)->create(f, u32(g_fcm_pages)) != kOk) return 0;
    f->mapPage(0);
    store_once(me.created, me.created + 1);
    return 1;
  }
  (void)i;
  obj::ObjRef<FCM> f = me.files[me.rng.below(g_fcm_per_cpu)];
  f->mapPage(u32(me.rng.below(g_fcm_pages)));
  f->unmapPage(u32(me.rng.below(g_fcm_pages)));
  if (g_share_every && me.rng.below(g_share_every) == 0) {
    // A page of the next CPU's file is mapped here too: its next unmap
    // there has someone to ask.
    FcmCpu& other = g_fcm[next_cpu(cpu)];
    u64 n = load_once(other.created);
    if (n) other.files[me.rng.below(n)]->mapPage(u32(me.rng.below(g_fcm_pages)));
  }
  if (g_open_every && me.rng.below(g_open_every) == 0 && me.opened < g_open_max) {
    obj::ObjRef<FCM> n;
    if (DREF_FACTORY_DEFAULT(FCM)->create(n, 4) == kOk) {
      n->mapPage(0);
      ++me.opened;
      me.newest = n;
    }
  }
  if (g_opened_unmap && me.newest.valid()) {
    me.newest->mapPage(0);
    me.newest->unmapPage(0);
  }
  return 2;
}

// ---- region --------------------------------------------------------------------
obj::ObjRef<Region> g_shared_region;
obj::ObjRef<Region> g_partitioned_region;
volatile u64 g_partitioned_claimed;
u64 g_region_pages = 32;

// Each CPU's memory object (an FCM of `pages` pages): a call's region maps
// its pages onto it, page k of the region onto page k of the FCM, so the
// first round of calls allocates and zeroes the frames and later ones find
// them cached (FCM::getPage). With the MMU on, the program: its address
// space and each CPU's part of it (the same split as without the MMU:
// cpu << 40 there), and the region and base of each CPU's current call.
AddressSpace* g_program;
constexpr uval kRegionPartBytes = (uval(mmu::kUserSegments) << mmu::kSegShift) / kMaxCpus;  // 64 MiB
struct alignas(KERNEL_CACHE_LINE) RegionCpu {
  obj::ObjRef<FCM> memory;
  bool populated;
  obj::ObjRef<Region> current;
  uval vbase;
};
RegionCpu* g_region_cpu;

// Before a CPU's first call, untimed and on every CPU at once: its memory
// object's frames are allocated and zeroed (FCM::getPage on each page), so
// that REGION_CREATE times a region's faults on resident pages, the part
// the region's class decides, and not the first touch of fresh memory
// through the kernel's one page allocator, which no region class changes.
void region_populate(RegionCpu& me) {
  for (u32 k = 0; k < g_region_pages; ++k) {
    uval frame;
    KASSERT(me.memory->getPage(k, frame) == kOk);
  }
  me.populated = true;
}

// A data storage interrupt in the program: DSI -> Region::faultPage ->
// FCM::getPage -> HPTE insert.
SysStatus region_fault(void*, AddressSpace* as, uval ea, AddressSpace::Access) {
  RegionCpu& me = g_region_cpu[cpu_id()];
  if (!me.current.valid() || ea < me.vbase || ea - me.vbase >= (g_region_pages << kPageShift)) return kErrInvalid;
  uval frame;
  SysStatus st = me.current->faultPage(ea >> kPageShift, me.memory, u32((ea - me.vbase) >> kPageShift), frame);
  if (st != kOk) return st;
  return mmu::map(as, ea, frame);
}

void region_setup_memory(u64 pages) {
  g_region_cpu = static_cast<RegionCpu*>(kzalloc(sizeof(RegionCpu) * ncpus()));
  KASSERT(g_region_cpu);
  KASSERT(FCMFactory::CreateDefault() == kOk);
  for (unsigned c = 0; c < ncpus(); ++c)
    KASSERT(FCMFactory::factoryRef->create(g_region_cpu[c].memory, u32(pages)) == kOk);
  if (!mmu::enabled()) return;
  g_program = AddressSpace::create();
  KASSERT(g_program);
  KASSERT(g_program->add_mapping(mmu::kUserBase, mmu::kUserEnd - mmu::kUserBase, region_fault, nullptr) == kOk);
}

// One region's life with real faults: a store to each page, then the
// region goes and its translations with it (the frames stay in the CPU's
// memory object).
u64 region_call_mmu(unsigned cpu, u64 i, obj::ObjRef<Region> r) {
  RegionCpu& me = g_region_cpu[cpu];
  if (Thread::current()->aspace != g_program) mmu::enter_aspace(g_program);
  uval part = mmu::kUserBase + cpu * kRegionPartBytes;
  uval span = kRegionPartBytes / (g_region_pages << kPageShift);
  uval vbase = part + ((i % span) * g_region_pages << kPageShift);
  me.current = r;
  me.vbase = vbase;
  u64 t0 = mach::cycles();
  for (u64 k = 0; k < g_region_pages; ++k) *reinterpret_cast<volatile u64*>(vbase + (k << kPageShift)) = i;
  u64 lat = mach::cycles() - t0;
  ev::emit(ev::REGION_CREATE, r.idx, lat, r->partitioned() ? 1 : 0, g_region_pages);
  r->releasePages(vbase >> kPageShift, u32(g_region_pages));
  for (u64 k = 0; k < g_region_pages; ++k) {
    uval ea = vbase + (k << kPageShift);
    uval frame;
    if (mmu::lookup(g_program, ea, &frame)) mmu::unmap(g_program, ea, 1ull << cpu);
  }
  return lat;
}

void region_setup(const WorkloadParams& p) {
  g_region_pages = workload::param_u64(p, "pages", 32);
  if (!g_region_pages) g_region_pages = 32;
  region_setup_memory(g_region_pages);
  KASSERT(RegionShared::Create(g_shared_region, u32(workload::param_u64(p, "buckets", 8))) == kOk);
  auto* r = static_cast<RegionShared*>(obj::root_of(g_shared_region.idx));
  ev::name_range("RegionShared", uval(r), sizeof(RegionShared));
}

// The region to create in: the partitioned one once a module has added it.
// The lookup by name never blocks. The first CPU that finds the class
// creates the region; a CPU that finds the class while another is creating
// it waits for that region (a few microseconds, once) rather than going on
// with the shared one, so after the class appears only calls already under
// way use the shared region. If creation fails the shared one stays in use.
volatile u64 g_partitioned_failed;

obj::ObjRef<Region> region_to_use() {
  obj::ObjRef<Region> r{load_once(g_partitioned_region.idx)};
  if (r.valid()) return r;
  u32 f = upd::find_class(kPartitionedRegionClass);
  if (!f) return g_shared_region;
  for (;;) {
    if (g_partitioned_failed) return g_shared_region;
    if (atomic_cas(&g_partitioned_claimed, 0, 1) == 0) {
      obj::ObjRef<RegionPartitionedFactory> fac{f};
      obj::ObjRef<Region> n;
      if (fac->createRegion(n) == kOk) {
        mach::lwsync();  // the region before its reference
        store_once(g_partitioned_region.idx, n.idx);
        return n;
      }
      g_partitioned_failed = 1;
      return g_shared_region;
    }
    mach::cpu_relax();
    r = obj::ObjRef<Region>{load_once(g_partitioned_region.idx)};
    if (r.valid()) {
      mach::isync();  // the reference before the region's contents
      return r;
    }
  }
}

u64 region_call(unsigned cpu, u64 i) {
  obj::ObjRef<Region> r = region_to_use();
  RegionCpu& me = g_region_cpu[cpu];
  if (!me.populated) region_populate(me);
  if (g_program) return region_call_mmu(cpu, i, r);
  // Each CPU's regions lie in its own part of the program's address space.
  uval vbase = (uval(cpu) << 40) | (uval(i) * g_region_pages);
  obj::ObjRef<FCM> memory = me.memory;
  u64 t0 = mach::cycles();
  for (u64 k = 0; k < g_region_pages; ++k) {
    uval frame;
    if (r->faultPage(vbase + k, memory, u32(k), frame) != kOk) return 0;
  }
  u64 lat = mach::cycles() - t0;
  ev::emit(ev::REGION_CREATE, r.idx, lat, r->partitioned() ? 1 : 0, g_region_pages);
  r->releasePages(vbase, u32(g_region_pages));
  return lat;
}

// ---- process -------------------------------------------------------------------
obj::ObjRef<Process>* g_procs;
u64 g_nprocs = 4, g_proc_threads = 8;

void process_setup(const WorkloadParams& p) {
  g_nprocs = workload::param_u64(p, "processes", 4);
  if (!g_nprocs) g_nprocs = 1;
  g_proc_threads = workload::param_u64(p, "threads", 8);
  if (!g_proc_threads) g_proc_threads = 1;
  KASSERT(ProcessSharedFactory::CreateDefault() == kOk);
  g_procs = static_cast<obj::ObjRef<Process>*>(kzalloc(sizeof(obj::ObjRef<Process>) * g_nprocs));
  KASSERT(g_procs);
  for (u64 k = 0; k < g_nprocs; ++k) KASSERT(DREF_FACTORY_DEFAULT(ProcessShared)->create(g_procs[k], 100 + k) == kOk);
}

u64 process_call(unsigned cpu, u64 i) {
  obj::ObjRef<Process> pr = g_procs[i % g_nprocs];  // the CPUs move through them together
  u64 t0 = mach::cycles();
  for (u64 k = 0; k < g_proc_threads; ++k) pr->addThread();
  for (u64 k = 0; k < g_proc_threads; ++k) pr->removeThread();
  u64 lat = mach::cycles() - t0;
  ev::emit(ev::PROCESS_THREADS, pr.idx, lat, pr->replicated() ? 1 : 0, g_proc_threads);
  return lat;
}

}  // namespace

WORKLOAD(wl_page_alloc) = {"page_alloc", 0x30, page_alloc_setup, page_alloc_call, page_alloc_teardown};
WORKLOAD(wl_fcm_map) = {"fcm_map", 0x31, fcm_setup, fcm_call, nullptr};
WORKLOAD(wl_region) = {"region", 0x32, region_setup, region_call, nullptr};
WORKLOAD(wl_process) = {"process", 0x33, process_setup, process_call, nullptr};
