// Guest test (label `update`) of the corpus of realistic changes
// (tests/update/corpus/, one module per change; its README lists them with
// the results tools/../corpus/run.sh measured): each change is applied by its
// module, as the mailbox path would, while every CPU calls the object it
// changes, and is checked for what it promises: a fix's symptom shown before
// and gone after, a performance change's cost measured before and after, a
// feature's behaviour, a layout change's state carried over exactly, an
// interface change's old and new clients both served, a refusal's reason
// with nothing changed. An applied change is reverted afterwards (the next
// change starts from the kernel's own class) unless it cannot be (interface
// changes, added classes).
//
// One line per change, for corpus/run.sh:
//   corpus | NAME | KIND | OBJECT | applied or refused | reason | check | ok or FAIL
// Parameters: window_us (default 250), the length of each measured window of
// load in simulated microseconds; only=N runs change N alone (1-based).
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/fcm.h"
#include "objects/lab_counter.h"
#include "objects/page_allocator_kern_pinned.h"
#include "objects/process.h"
#include "objects/region.h"
#include "update/dynamic_update.h"
#include "update/lazy_update.h"
#include "update/lifecycle.h"
#include "update/module_service.h"
#include "corpus/corpus_iface.h"
#include "kernel/ktest.h"

#define CORPUS_MODULES(X)                                                                                  \
  X(alloc_cas_bump) X(alloc_round_up) X(alloc_desc_recycle) X(alloc_dealloc_size) X(alloc_percpu_cache)      \
  X(alloc_free_poison) X(alloc_new_layout_refused) X(fcm_broadcast_shootdown) X(fcm_reclaim_frames)         \
  X(fcm_map_fastpath_lazy) X(fcm_unmap_masked) X(fcm_skip_version_refused) X(process_percpu_counts) X(process_rebuild_refused) \
  X(process_batch_interface) X(counter_atomic_add) X(counter_padded) X(counter_wait_yield)               \
  X(counter_v2_interface) X(region_presized_class) X(region_dedup_class) X(region_free_chunks_cannot)
#define DECLARE_MODULE(n) extern "C" const u8 mod_corpus_##n##_start[], mod_corpus_##n##_end[];
CORPUS_MODULES(DECLARE_MODULE)
#define MOD(n) mod_corpus_##n##_start, mod_corpus_##n##_end

extern "C" {
u32 g_corpus_process_ref;
u32 g_corpus_region_ref;
}

namespace {

// ---- the load: threads on every CPU calling one object ------------------------------

struct Slot {  // one load thread's counts (written only by it), a line apart
  u64 calls, cycles, errors, x, y;
  u32 cpu;
  u32 nth;  // 0 for the first load thread on its CPU, 1 for the second...
  char pad[KERNEL_CACHE_LINE - 5 * sizeof(u64) - 2 * sizeof(u32)];
};
using WorkFn = void (*)(Slot&, u64 i);

struct Load {
  WorkFn fn;
  volatile u64 stop;
  volatile u64 next_slot;
  unsigned threads;
  Slot* slots;
  Latch* done;
  volatile u64 on_cpu[kMaxCpus];  // load threads started per CPU
};

void load_thread(void* a) {
  Load* l = static_cast<Load*>(a);
  Slot& s = l->slots[atomic_inc(&l->next_slot) - 1];
  s.cpu = cpu_id();
  s.nth = u32(atomic_inc(&l->on_cpu[s.cpu]) - 1);
  for (u64 i = 0; !l->stop; ++i) {
    l->fn(s, i);
    Thread::quiescent_point();
  }
  l->done->count_down();
}

Load* start_load(WorkFn fn, unsigned per_cpu = 1) {
  Load* l = static_cast<Load*>(kzalloc(sizeof(Load)));
  KASSERT(l);
  l->fn = fn;
  l->threads = per_cpu * ncpus();
  l->slots = static_cast<Slot*>(kzalloc(sizeof(Slot) * l->threads));
  l->done = new Latch(l->threads);
  KASSERT(l->slots && l->done && ktest::start_threads(l->threads, load_thread, l, "corpus load"));
  return l;
}

struct Sum {
  u64 calls, cycles, errors, x, y;
  u64 mean() const { return calls ? cycles / calls : 0; }
};
Sum sum(const Load* l);

// Stops the load; what it did in all.
Sum stop_load(Load* l) {
  l->stop = 1;
  upd::wait_uncounted(*l->done);
  Sum t = sum(l);
  delete l->done;
  kfree(l->slots);
  kfree(l);
  return t;
}

Sum sum(const Load* l) {
  Sum t{};
  for (unsigned k = 0; k < l->threads; ++k) {
    const Slot& s = l->slots[k];
    t.calls += load_once(s.calls);
    t.cycles += load_once(s.cycles);
    t.errors += load_once(s.errors);
    t.x += load_once(s.x);
    t.y += load_once(s.y);
  }
  return t;
}
Sum operator-(const Sum& a, const Sum& b) {
  return Sum{a.calls - b.calls, a.cycles - b.cycles, a.errors - b.errors, a.x - b.x, a.y - b.y};
}

u64 g_window_us = 250;
// Sleeps outside any generation (a swap does not wait for the test thread).
void rest_us(u64 us) {
  Thread::quiescent_begin();
  Thread::sleep_cycles(us * (sched::clock_hz() / 1000000));
  Thread::quiescent_end();
}
void rest() { rest_us(g_window_us); }
// What `l` did over one window.
Sum window(const Load* l) {
  Sum a = sum(l);
  rest();
  return sum(l) - a;
}

// ---- one change: its module applied, its check, its revert ---------------------------

struct Result {
  const char* name;
  const char* kind;
  const char* object;
  bool expect_apply;
  bool applied;
  bool checked;
  bool pass;
  u64 seq;
  char reason[160];
  char check[240];
};

u64 g_seq = 7000;

bool apply(Result& r, const u8* start, const u8* end) {
  upd::UpdateContext ctx;
  ctx.seq = r.seq = ++g_seq;
  upd::ModuleOutcome o = upd::run_module(start, uval(end - start), ctx);
  r.applied = o.loaded && o.init_result == 0;
  const char* why = !o.loaded ? o.reason : ctx.reason;
  ksnprintf(r.reason, sizeof(r.reason), "%s", r.applied ? "" : (why && *why ? why : "the module's init failed"));
  return r.applied;
}

void check(Result& r, bool ok, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void check(Result& r, bool ok, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvsnprintf(r.check, sizeof(r.check), fmt, ap);
  va_end(ap);
  r.checked = true;
  r.pass = ok;
}

// Undoes an applied change (the next one starts from the kernel's class).
void revert(Result& r) {
  if (!r.applied) return;
  upd::UpdateContext ctx;
  ctx.seq = ++g_seq;
  if (upd::revert(ctx, r.seq) != kOk) {
    r.pass = false;
    ksnprintf(r.check + strlen(r.check), sizeof(r.check) - strlen(r.check), "; revert failed: %s", ctx.reason);
  }
}

bool refused_for(const Result& r, const char* word) {
  for (const char* p = r.reason; *p; ++p)
    if (strncmp(p, word, strlen(word)) == 0) return true;
  return false;
}

// ---- the page allocator ----------------------------------------------------------------

PageAllocatorKernPinned* allocator() {
  return static_cast<PageAllocatorKernPinned*>(obj::root_of(PageAllocatorKernPinned::ref.idx));
}

void alloc_work(Slot& s, u64) {
  uval q;
  u64 t0 = mach::cycles();
  if (PageAllocatorKernPinned::ref->allocPages(q, kPageSize) == kOk) {
    if (PageAllocatorKernPinned::ref->deallocPages(q, kPageSize) != kOk) ++s.errors;
  } else {
    ++s.errors;
  }
  s.cycles += mach::cycles() - t0;
  ++s.calls;
}

u64 free_pages_now() { return PageAllocatorKernPinned::ref->freeBytes() / kPageSize; }

void alloc_cas_bump(Result& r) {
  Load* l = start_load(alloc_work);
  u64 d0 = g_double_allocations;
  unsigned windows = 0;  // until the race shows, up to 16
  while (windows < 16 && g_double_allocations == d0) {
    rest();
    ++windows;
  }
  u64 before = g_double_allocations - d0;
  if (apply(r, MOD(alloc_cas_bump))) {
    u64 d1 = g_double_allocations;
    Sum a = window(l);
    window(l);
    u64 after = g_double_allocations - d1;
    check(r, before > 0 && after == 0 && a.errors == 0 && a.calls > 0,
          "double allocations: %lu before (the race, in %u windows of load), %lu in 2 windows after; %lu calls, %lu "
          "failed",
          before, windows, after, a.calls, a.errors);
  }
  stop_load(l);
  revert(r);
}

// Pages taken by eight allocations of 4097 bytes (each freed again with that size).
u64 pages_for_4097() {
  uval a[8];
  u64 f0 = free_pages_now();
  for (uval& x : a) KASSERT(PageAllocatorKernPinned::ref->allocPages(x, kPageSize + 1) == kOk);
  u64 taken = f0 - free_pages_now();
  for (uval x : a) KASSERT(PageAllocatorKernPinned::ref->deallocPages(x, kPageSize + 1) == kOk);
  return taken;
}

void alloc_round_up(Result& r) {
  u64 before = pages_for_4097();
  Load* l = start_load(alloc_work);
  rest();
  bool ok = apply(r, MOD(alloc_round_up));
  Sum a = ok ? window(l) : Sum{};
  stop_load(l);
  if (ok) {
    u64 after = pages_for_4097();
    check(r, before < 16 && after >= 16 && a.errors == 0,
          "8 allocations of 4097 bytes take %lu pages before (one short each), %lu after; %lu calls under load, %lu "
          "failed",
          before, after, a.calls, a.errors);
  }
  revert(r);
}

// Pages of descriptors consumed by 500 allocate/free pairs on a quiet system.
u64 descriptor_pages_for_500() {
  u64 f0 = free_pages_now();
  for (unsigned k = 0; k < 500; ++k) {
    uval q;
    KASSERT(PageAllocatorKernPinned::ref->allocPages(q, kPageSize) == kOk);
    KASSERT(PageAllocatorKernPinned::ref->deallocPages(q, kPageSize) == kOk);
  }
  return f0 - free_pages_now();
}

void alloc_desc_recycle(Result& r) {
  u64 before = descriptor_pages_for_500();
  Load* l = start_load(alloc_work);
  rest();
  bool ok = apply(r, MOD(alloc_desc_recycle));
  u64 d1 = g_double_allocations;
  Sum a = ok ? window(l) : Sum{};
  u64 doubles = g_double_allocations - d1;
  stop_load(l);
  if (ok) {
    u64 after = descriptor_pages_for_500();
    check(r, before >= 3 && after <= 1 && a.errors == 0 && doubles == 0,
          "500 allocate/free pairs leak %lu descriptor pages before, %lu after; %lu calls under load, %lu failed, "
          "%lu double allocations",
          before, after, a.calls, a.errors, doubles);
  }
  revert(r);
}

// Frees a 2-page block with the size of one page: the status (the block is
// then freed properly when that was refused).
SysStatus free_short() {
  uval a;
  KASSERT(PageAllocatorKernPinned::ref->allocPages(a, 2 * kPageSize) == kOk);
  SysStatus s = PageAllocatorKernPinned::ref->deallocPages(a, kPageSize);
  if (s != kOk) KASSERT(PageAllocatorKernPinned::ref->deallocPages(a, 2 * kPageSize) == kOk);
  return s;
}

void alloc_dealloc_size(Result& r) {
  SysStatus before = free_short();
  Load* l = start_load(alloc_work);
  rest();
  bool ok = apply(r, MOD(alloc_dealloc_size));
  Sum a = ok ? window(l) : Sum{};
  stop_load(l);
  if (ok) {
    SysStatus after = free_short();
    check(r, before == kOk && after == kErrInvalid && a.errors == 0,
          "a 2-page block freed as 1 page: %s before (a page leaked), %s after; %lu calls under load, %lu failed",
          before == kOk ? "accepted" : "refused", after == kOk ? "accepted" : "refused", a.calls, a.errors);
  }
  revert(r);
}

void alloc_percpu_cache(Result& r) {
  Load* l = start_load(alloc_work);
  rest();
  Sum b = window(l);
  if (apply(r, MOD(alloc_percpu_cache))) {
    u64 d1 = g_double_allocations;
    Sum a = window(l);
    u64 doubles = g_double_allocations - d1;
    check(r, a.mean() < b.mean() && doubles == 0 && a.errors == 0,
          "cycles per allocate/free pair on %u cpus: %lu before, %lu after; %lu double allocations after, %lu failed",
          ncpus(), b.mean(), a.mean(), doubles, a.errors);
  }
  stop_load(l);
  revert(r);
}

// A page written, freed, and read back in its middle.
u64 read_after_free() {
  uval a;
  KASSERT(PageAllocatorKernPinned::ref->allocPages(a, kPageSize) == kOk);
  volatile u64* mid = reinterpret_cast<volatile u64*>(a + kPageSize / 2);
  *mid = 0x1234;
  KASSERT(PageAllocatorKernPinned::ref->deallocPages(a, kPageSize) == kOk);
  return *mid;
}

void alloc_free_poison(Result& r) {
  u64 before = read_after_free();
  Load* l = start_load(alloc_work);
  rest();
  bool ok = apply(r, MOD(alloc_free_poison));
  Sum a = ok ? window(l) : Sum{};
  stop_load(l);
  if (ok) {
    u64 after = read_after_free();
    check(r, before == 0x1234 && after == 0x6b6b6b6b6b6b6b6bull && a.errors == 0,
          "a freed page reads 0x%lx before, 0x%lx after; %lu calls under load, %lu failed", before, after, a.calls,
          a.errors);
  }
  revert(r);
}

void alloc_new_layout_refused(Result& r) {
  Load* l = start_load(alloc_work);
  rest();
  bool ok = apply(r, MOD(alloc_new_layout_refused));
  Sum a = window(l);
  stop_load(l);
  check(r, !ok && refused_for(r, "format") && strcmp(allocator()->class_name(), "PageAllocatorKernPinned") == 0 &&
               a.calls > 0 && a.errors == 0,
        "still %s after; %lu calls under load after, %lu failed", allocator()->class_name(), a.calls, a.errors);
  revert(r);
}

// ---- the FCM class -----------------------------------------------------------------------

constexpr unsigned kFcmsPerCpu = 4;
obj::ObjRef<FCM>* g_fcms;  // kFcmsPerCpu per CPU, made by the first load thread on that CPU
volatile u64 g_fcms_made[kMaxCpus];

obj::ObjRef<FCM>* my_fcms() {
  unsigned c = cpu_id();
  obj::ObjRef<FCM>* mine = g_fcms + c * kFcmsPerCpu;
  if (atomic_cas(&g_fcms_made[c], 0, 1) == 0) {
    for (unsigned k = 0; k < kFcmsPerCpu; ++k) KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(mine[k], 4) == kOk);
    mach::lwsync();
    g_fcms_made[c] = 2;
  }
  while (g_fcms_made[c] != 2) mach::cpu_relax();
  return mine;
}

// Maps a page (its CPU's bit must show), unmaps it (timed; the bit must go).
void fcm_work(Slot& s, u64 i) {
  obj::ObjRef<FCM> f = my_fcms()[i % kFcmsPerCpu];
  u32 p = u32(i % 4);
  u64 bit = 1ull << cpu_id();
  if (f->mapPage(p) != kOk || !(f->mappedMask(p) & bit)) ++s.errors;
  u64 t0 = mach::cycles();
  f->unmapPage(p);
  s.cycles += mach::cycles() - t0;
  if (f->mappedMask(p) & bit) ++s.errors;
  ++s.calls;
}

// Every load FCM's class version is v (0: all of them answered v).
u64 fcms_not_at(u64 v) {
  u64 n = 0;
  for (unsigned k = 0; k < ncpus() * kFcmsPerCpu; ++k)
    if (g_fcms[k].valid() && g_fcms[k]->classVersion() != v) ++n;
  return n;
}

void fcm_broadcast_shootdown(Result& r) {
  Load* l = start_load(fcm_work);
  rest();
  Sum b = window(l);
  if (apply(r, MOD(fcm_broadcast_shootdown))) {
    Sum a = window(l);
    check(r, a.mean() < b.mean() && a.errors == 0 && b.errors == 0 && fcms_not_at(1) == 0,
          "cycles per unmap on %u cpus: %lu before, %lu after; %lu mappings wrong", ncpus(), b.mean(), a.mean(),
          a.errors + b.errors);
  }
  stop_load(l);
  revert(r);
}

// An FCM of 32 pages: every page mapped, then unmapped; the frames it kept.
u64 frames_kept(obj::ObjRef<FCM> f) {
  u64 f0 = free_pages_now();
  for (u32 p = 0; p < 32; ++p) KASSERT(f->mapPage(p) == kOk);
  for (u32 p = 0; p < 32; ++p) KASSERT(f->unmapPage(p) == kOk);
  s64 kept = s64(f0) - s64(free_pages_now());
  return kept < 0 ? 0 : u64(kept);
}

obj::ObjRef<FCM> g_big_fcm;  // fcm_reclaim_frames's file (the test's own thread calls it)

void fcm_reclaim_frames(Result& r) {
  obj::ObjRef<FCM>& big = g_big_fcm;
  KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(big, 32) == kOk);
  u64 before = frames_kept(big);
  Load* l = start_load(fcm_work);
  rest();
  bool ok = apply(r, MOD(fcm_reclaim_frames));
  Sum a = ok ? window(l) : Sum{};
  stop_load(l);
  if (ok) {
    // The 32 frames are still there from before: mapped again (no
    // allocation), then given back by the unmaps.
    u64 f0 = free_pages_now();
    for (u32 p = 0; p < 32; ++p) KASSERT(big->mapPage(p) == kOk);
    for (u32 p = 0; p < 32; ++p) KASSERT(big->unmapPage(p) == kOk);
    u64 given_back = free_pages_now() - f0;
    check(r, before == 32 && given_back == 32 && a.errors == 0 && big->classVersion() == 1,
          "a 32-page file mapped and unmapped keeps %lu frames before; after, its unmaps give back %lu; %lu calls "
          "under load, %lu mappings wrong",
          before, given_back, a.calls, a.errors);
  }
  revert(r);
}

void fcm_map_fastpath_lazy(Result& r) {
  Load* l = start_load(fcm_work);
  rest();
  if (apply(r, MOD(fcm_map_fastpath_lazy))) {
    u64 armed = 0, converted = 0, waited = 0;
    bool done = false;
    // The test's own file is called too (an instance nobody calls is never
    // converted: the lazy update's trade).
    if (g_big_fcm.valid()) g_big_fcm->pageCount();
    // Each conversion is a hot swap of its own, one after another (about
    // 130 us each on 4 cpus today): up to 400 quarter windows.
    while (!done && waited < 400) {
      rest_us(g_window_us / 4);
      ++waited;
      upd::lazy_counts(r.seq, &armed, &converted, &done);
    }
    Sum a = window(l);
    u64 old = fcms_not_at(1);
    check(r, done && converted == armed && armed > 0 && old == 0 && a.errors == 0,
          "%lu instances armed, %lu converted by their next calls (%s after %lu quarter windows); %lu load FCMs "
          "not converted, %lu mappings wrong",
          armed, converted, done ? "done" : "not done", waited, old, a.errors);
  }
  stop_load(l);
  revert(r);
}

void fcm_unmap_masked(Result& r) {
  Load* l = start_load(fcm_work);
  rest();
  Sum b = window(l);
  if (apply(r, MOD(fcm_unmap_masked))) {
    Sum a = window(l);
    check(r, a.mean() * 2 < b.mean() && a.errors + b.errors == 0 && fcms_not_at(1) == 0,
          "cycles per unmap on %u cpus: %lu before, %lu after; %lu mappings wrong", ncpus(), b.mean(), a.mean(),
          a.errors + b.errors);
  }
  stop_load(l);
  revert(r);
}

void fcm_skip_version_refused(Result& r) {
  Load* l = start_load(fcm_work);
  rest();
  bool ok = apply(r, MOD(fcm_skip_version_refused));
  Sum a = window(l);
  stop_load(l);
  u64 v = DREF_FACTORY_DEFAULT(FCM)->version(), old = fcms_not_at(0);
  check(r, !ok && refused_for(r, "version") && v == 0 && old == 0 && a.errors == 0 && a.calls > 0,
        "factory still version %lu, %lu load FCMs changed; %lu calls under load after, %lu mappings wrong", v, old,
        a.calls, a.errors);
  revert(r);
}

// ---- processes ----------------------------------------------------------------------------

constexpr unsigned kProcs = 4;
constexpr u64 kResident = 5;  // threads each process holds throughout
obj::ObjRef<Process> g_procs[kProcs];

// The CPUs work on one process at a time, the same one for long stretches
// (a process whose threads run everywhere, the case per-CPU counts are
// for), moving on to the next one every 64 calls.
void process_work(Slot& s, u64 i) {
  obj::ObjRef<Process> p = g_procs[(i / 64) % kProcs];
  u64 t0 = mach::cycles();
  for (unsigned k = 0; k < 8; ++k)
    if (p->addThread() != kOk) ++s.errors;
  for (unsigned k = 0; k < 8; ++k)
    if (p->removeThread() != kOk) ++s.errors;
  s.cycles += mach::cycles() - t0;
  ++s.calls;
}

// Processes whose count is not the resident threads (load stopped).
u64 procs_off() {
  u64 n = 0;
  for (auto& p : g_procs) n += p->threadCount() != kResident;
  return n;
}

void make_processes() {
  KASSERT(ProcessSharedFactory::CreateDefault() == kOk);
  for (unsigned k = 0; k < kProcs; ++k) {
    if (g_procs[k].valid()) continue;
    KASSERT(ProcessSharedFactory::factoryRef->create(g_procs[k], 100 + k) == kOk);
    for (u64 t = 0; t < kResident; ++t) KASSERT(g_procs[k]->addThread() == kOk);
  }
}

void process_percpu_counts(Result& r) {
  make_processes();
  Load* l = start_load(process_work);
  rest();
  Sum b = window(l);
  bool ok = apply(r, MOD(process_percpu_counts));
  Sum a = ok ? window(l) : Sum{};
  stop_load(l);
  if (ok) {
    const char* cls = obj::root_of(g_procs[0].idx)->class_name();
    check(r, a.mean() < b.mean() && procs_off() == 0 && a.errors + b.errors == 0 && strcmp(cls, "ProcessPerCpu") == 0,
          "cycles per 8 adds and 8 removes on %u cpus: %lu before, %lu after; %lu of %u processes lost resident "
          "threads; %lu calls failed; processes are %s",
          ncpus(), b.mean(), a.mean(), procs_off(), kProcs, a.errors + b.errors, cls);
  }
  revert(r);
}

void process_rebuild_refused(Result& r) {
  make_processes();
  Load* l = start_load(process_work);
  rest();
  bool ok = apply(r, MOD(process_rebuild_refused));
  Sum a = window(l);
  stop_load(l);
  const char* cls = obj::root_of(g_procs[0].idx)->class_name();
  check(r, !ok && refused_for(r, "version") && procs_off() == 0 && a.errors == 0 && a.calls > 0 &&
               strcmp(cls, "ProcessShared") == 0 && ProcessSharedFactory::factoryRef->version() == 0,
        "processes are still %s (factory version %lu), %lu lost resident threads; %lu calls after, %lu failed", cls,
        ProcessSharedFactory::factoryRef->version(), procs_off(), a.calls, a.errors);
  revert(r);
}

volatile u32 g_process_v2_ref;  // found by name once the interface changed

// The first load thread of each CPU: a client of the old interface
// throughout; the second: old until the new interface is found, then
// ProcessV2 (x: old calls, y: new calls).
void process_client(Slot& s, u64) {
  bool new_client = s.nth == 1 && g_process_v2_ref;
  if (new_client) {
    obj::ObjRef<ProcessV2> p{g_process_v2_ref};
    if (p->addThreads(8) != kOk || p->removeThreads(8) != kOk) ++s.errors;
    ++s.y;
  } else {
    obj::ObjRef<Process> p{g_corpus_process_ref};
    for (unsigned k = 0; k < 4; ++k)
      if (p->addThread() != kOk) ++s.errors;
    for (unsigned k = 0; k < 4; ++k)
      if (p->removeThread() != kOk) ++s.errors;
    ++s.x;
  }
  ++s.calls;
}

void process_batch_interface(Result& r) {
  auto* p = new ProcessShared(77);
  g_corpus_process_ref = obj::install(p);
  KASSERT(g_corpus_process_ref);
  for (u64 t = 0; t < kResident; ++t) KASSERT(p->addThread() == kOk);
  Load* l = start_load(process_client, 2);
  rest();
  bool ok = apply(r, MOD(process_batch_interface));
  if (ok) g_process_v2_ref = upd::find_class(kProcessV2Class);
  Sum a0 = sum(l);
  rest();
  Sum a = sum(l) - a0;
  stop_load(l);
  if (ok) {
    obj::ObjRef<Process> old_ref{g_corpus_process_ref};
    obj::ObjRef<ProcessV2> new_ref{g_process_v2_ref};
    u64 n_old = old_ref->threadCount(), n_new = g_process_v2_ref ? new_ref->threadCount() : 0;
    check(r, g_process_v2_ref && n_old == kResident && n_new == kResident && a.errors == 0 && a.x > 0 && a.y > 0,
          "after: %lu old-interface and %lu new-interface calls, %lu failed; threads %lu through the old reference, "
          "%lu through the new (resident %lu)",
          a.x, a.y, a.errors, n_old, n_new, kResident);
  }
  g_process_v2_ref = 0;
}

// ---- the labs' counter --------------------------------------------------------------------

void fresh_counter() {
  auto* c = new CounterShared();
  KASSERT(c);
  g_lab_counter.idx = obj::install(c);
  KASSERT(g_lab_counter.idx);
}

// Adds 1 (x: this thread's adds).
void counter_work(Slot& s, u64) {
  u64 t0 = mach::cycles();
  g_lab_counter->add(1);
  s.cycles += mach::cycles() - t0;
  ++s.x;
  ++s.calls;
}

void counter_atomic_add(Result& r) {
  fresh_counter();
  Load* l = start_load(counter_work, 2);
  // Windows until the first loss shows (a loss needs a preemption between
  // add's load and store; up to 32 windows, about 40 slices per CPU). Each
  // add reaches the counter before its thread counts it, so without a loss
  // the total read after the threads' counts is never below them.
  unsigned windows = 0;
  for (; windows < 32; ++windows) {
    rest();
    u64 counted = sum(l).x;
    mach::sync();
    if (g_lab_counter->total() < counted) break;
  }
  u64 made = stop_load(l).x;
  s64 before = s64(made) - s64(g_lab_counter->total());
  l = start_load(counter_work, 2);
  bool ok = apply(r, MOD(counter_atomic_add));
  rest();
  made += stop_load(l).x;
  if (ok) {
    s64 at_switch = s64(made) - s64(g_lab_counter->total());  // lost by version 0, before and during the swap
    l = start_load(counter_work, 2);
    rest_us(4 * g_window_us);
    u64 adds = stop_load(l).x;
    made += adds;
    s64 after = s64(made) - s64(g_lab_counter->total()) - at_switch;
    check(r, before > 0 && after == 0,
          "2 adding threads per cpu: %ld adds lost before (first seen in window %u), %ld in 4 windows after (%lu "
          "adds)",
          before, windows + 1, after, adds);
  }
  revert(r);
}

// Per CPU: the adds the load made there (load stopped) against countOf.
u64 cpus_miscounted(const u64* made) {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += g_lab_counter->countOf(c) != made[c];
  return n;
}
void add_per_cpu(const Load* l, u64* made) {
  for (unsigned k = 0; k < l->threads; ++k) made[l->slots[k].cpu] += l->slots[k].x;
}

void counter_padded(Result& r) {
  fresh_counter();
  u64 made[kMaxCpus] = {};
  Load* l = start_load(counter_work);
  rest();
  Sum b = window(l);
  bool ok = apply(r, MOD(counter_padded));
  Sum a = ok ? window(l) : Sum{};
  l->stop = 1;
  upd::wait_uncounted(*l->done);
  add_per_cpu(l, made);
  stop_load(l);
  if (ok) {
    u64 wrong = cpus_miscounted(made);
    check(r, a.mean() < b.mean() && wrong == 0,
          "cycles per add on %u cpus: %lu before, %lu after; %lu cpus whose count is not their adds", ncpus(),
          b.mean(), a.mean(), wrong);
  }
  revert(r);
}

// The second load thread of each CPU waits (inside the counter) for 2,000
// more adds, again and again (y: waits, errors: a wait that returned
// short); the first adds. While the counter is swapped the waiters pause,
// outside: a call waiting inside the object for adds that the swap blocks
// would hold quiescence for ever (lab 4).
volatile u64 g_wait_paused, g_waiters_inside;
void counter_wait_work(Slot& s, u64 i) {
  if (s.nth == 0) return counter_work(s, i);
  if (g_wait_paused) return;
  atomic_inc(&g_waiters_inside);
  if (!g_wait_paused) {
    u64 target = g_lab_counter->total() + 2000;
    if (g_lab_counter->waitForTotal(target) < target) ++s.errors;
    ++s.y;
  }
  atomic_dec(&g_waiters_inside);
}

// Pauses the waiters and returns once none is inside the counter.
void pause_waiters() {
  g_wait_paused = 1;
  mach::sync();
  while (g_waiters_inside) rest_us(2);
}

void counter_wait_yield(Result& r) {
  fresh_counter();
  Load* l = start_load(counter_wait_work, 2);
  rest();
  // Four windows each side: a waiter keeps its CPU for a whole slice (200 us).
  Sum b0 = sum(l);
  rest_us(4 * g_window_us);
  Sum b = sum(l) - b0;
  pause_waiters();
  bool ok = apply(r, MOD(counter_wait_yield));
  g_wait_paused = 0;
  if (ok) {
    rest_us(g_window_us / 4);
    Sum a0 = sum(l);
    rest_us(4 * g_window_us);
    Sum a = sum(l) - a0;
    check(r, a.x > b.x + b.x / 4 && a.errors + b.errors == 0 && a.y > 0,
          "adds in 4 windows by one adder per cpu beside a waiter: %lu before, %lu after; %lu waits after, %lu "
          "returned short",
          b.x, a.x, a.y, a.errors + b.errors);
  }
  pause_waiters();
  stop_load(l);
  revert(r);
  g_wait_paused = 0;
}

volatile u32 g_counter_v2_ref;
// The first load thread of each CPU: an old client throughout. The second:
// from the change on, a client of CounterV2 (each returned count must be
// above the last one this thread saw on its CPU); before it, idle (version
// 0's add is not safe for two threads of a CPU: counter_atomic_add).
// x: adds of either kind; y: new-interface adds.
void counter_client(Slot& s, u64) {
  if (s.nth == 1) {
    u32 v2 = g_counter_v2_ref;
    if (!v2) return;  // waits for the new interface
    obj::ObjRef<CounterV2> c{v2};
    u64 n = c->add(1);
    if (n <= s.cycles) ++s.errors;  // cycles: the last count seen (this slot times nothing)
    s.cycles = n;
    ++s.y;
  } else {
    g_lab_counter->add(1);
  }
  ++s.x;
  ++s.calls;
}

void counter_v2_interface(Result& r) {
  fresh_counter();
  u64 made[kMaxCpus] = {};
  Load* l = start_load(counter_client, 2);
  rest();
  bool ok = apply(r, MOD(counter_v2_interface));
  if (ok) g_counter_v2_ref = upd::find_class(kCounterV2Class);
  rest();
  Sum a = sum(l);
  l->stop = 1;
  upd::wait_uncounted(*l->done);
  add_per_cpu(l, made);
  Sum all = stop_load(l);
  if (ok) {
    u64 wrong = cpus_miscounted(made);
    const char* cls = obj::root_of(g_lab_counter.idx)->class_name();
    check(r, g_counter_v2_ref && wrong == 0 && all.errors == 0 && a.y > 0 && strcmp(cls, "CounterV1Adapter") == 0,
          "%lu adds, %lu of them through CounterV2; %lu cpus whose count is not their adds; %lu counts out of order; "
          "the old reference names %s",
          all.x, all.y, wrong, all.errors, cls);
  }
  g_counter_v2_ref = 0;
}

// ---- regions ------------------------------------------------------------------------------

// The memory object the corpus's regions map their pages onto: page v mod 64.
constexpr u32 kRegionFcmPages = 64;
obj::ObjRef<FCM> g_region_fcm;

SysStatus fault(obj::ObjRef<Region> g, uval v) {
  uval frame;
  return g->faultPage(v, g_region_fcm, u32(v % kRegionFcmPages), frame);
}

// Faults a page of its own and lets it go again (the region's table grows and
// shrinks under its lock as the CPUs' pages come and go).
void region_work(Slot& s, u64 i) {
  obj::ObjRef<Region> g{g_corpus_region_ref};
  uval v = (uval(s.cpu) << 20) + (i % 64);
  u64 t0 = mach::cycles();
  if (fault(g, v) != kOk) ++s.errors;
  if (i % 64 == 63) g->releasePages(uval(s.cpu) << 20, 64);
  s.cycles += mach::cycles() - t0;
  ++s.calls;
}

void shared_region() {
  if (g_corpus_region_ref) return;
  KASSERT(FCMFactory::factoryRef->create(g_region_fcm, kRegionFcmPages) == kOk);
  obj::ObjRef<Region> g;
  KASSERT(RegionShared::Create(g, 8) == kOk);
  g_corpus_region_ref = g.idx;
}

// 1,024 pages faulted into `g`, then released: the table's resizes meanwhile.
u64 resizes_for_1024(obj::ObjRef<Region> g, u64* pages) {
  u64 r0 = g->resizes();
  for (uval v = 0; v < 1024; ++v) KASSERT(fault(g, 0x40000000 + v) == kOk);
  *pages = g->pageCount();
  u64 grew = g->resizes() - r0;
  g->releasePages(0x40000000, 1024);
  return grew;
}

void region_presized_class(Result& r) {
  shared_region();
  obj::ObjRef<Region> plain;
  KASSERT(RegionShared::Create(plain, 8) == kOk);
  u64 pages_before, pages_after = 0;
  u64 before = resizes_for_1024(plain, &pages_before);
  Load* l = start_load(region_work);
  rest();
  bool ok = apply(r, MOD(region_presized_class));
  if (ok) {
    u32 f = upd::find_class("RegionPresized");
    obj::ObjRef<Region> big;
    obj::ObjRef<RegionPartitionedFactory> fac{f};
    u64 after = ~0ull, left = ~0ull;
    if (f && fac->createRegion(big) == kOk) {
      after = resizes_for_1024(big, &pages_after);
      left = big->pageCount();
    }
    Sum a = window(l);
    check(r, before > 0 && after == 0 && pages_after == 1024 && left == 0 && a.errors == 0 && a.calls > 0,
          "1,024 pages faulted: %lu table resizes in a RegionShared before, %lu in a RegionPresized after (%lu "
          "pages, %lu left after release); %lu region calls under load, %lu failed",
          before, after, pages_after, left, a.calls, a.errors);
  }
  stop_load(l);
}

// A page faulted twice, then released once: the entries left behind.
u64 left_after_double_fault(obj::ObjRef<Region> g) {
  u64 n0 = g->pageCount();
  KASSERT(fault(g, 0x50000000) == kOk && fault(g, 0x50000000) == kOk);
  g->releasePages(0x50000000, 1);
  return g->pageCount() - n0;
}

void region_dedup_class(Result& r) {
  shared_region();
  obj::ObjRef<Region> plain;
  KASSERT(RegionShared::Create(plain, 8) == kOk);
  u64 before = left_after_double_fault(plain);
  Load* l = start_load(region_work);
  rest();
  if (apply(r, MOD(region_dedup_class))) {
    u32 f = upd::find_class("RegionDedup");
    obj::ObjRef<Region> g;
    obj::ObjRef<RegionPartitionedFactory> fac{f};
    u64 after = ~0ull;
    if (f && fac->createRegion(g) == kOk) after = left_after_double_fault(g);
    Sum a = window(l);
    check(r, before == 1 && after == 0 && a.errors == 0 && a.calls > 0,
          "a page faulted twice and released once leaves %lu entries in a RegionShared before, %lu in a "
          "RegionDedup after; %lu region calls under load, %lu failed",
          before, after, a.calls, a.errors);
  }
  stop_load(l);
}

void region_free_chunks_cannot(Result& r) {
  shared_region();
  Load* l = start_load(region_work);
  rest();
  bool ok = apply(r, MOD(region_free_chunks_cannot));
  Sum a = window(l);
  stop_load(l);
  const char* cls = obj::root_of(g_corpus_region_ref)->class_name();
  check(r, !ok && refused_for(r, "format") && strcmp(cls, "RegionShared") == 0 && a.errors == 0 && a.calls > 0,
        "the region is still %s; %lu region calls after, %lu failed", cls, a.calls, a.errors);
  revert(r);
}

// ---- the table ---------------------------------------------------------------------------

// What a change is meant to do: apply; be refused (its test shows why it
// must be); or apply in principle, but the mechanism cannot (the note says why).
enum Expect : u8 { kApplies, kMustRefuse, kCannot };
struct Change {
  const char* name;
  const char* kind;
  const char* object;
  Expect expect;
  void (*run)(Result&);
};

#define CHANGE(n, kind, object, expect) {#n, kind, object, expect, n}
const Change kChanges[] = {
    CHANGE(alloc_cas_bump, "fix (race)", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_round_up, "fix (off-by-one)", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_desc_recycle, "fix (leak), layout", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_dealloc_size, "fix (bad input)", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_percpu_cache, "perf (caching), layout", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_free_poison, "feature", "PageAllocatorKernPinned", kApplies),
    CHANGE(alloc_new_layout_refused, "must-refuse (no state transfer)", "PageAllocatorKernPinned", kMustRefuse),
    CHANGE(fcm_broadcast_shootdown, "perf", "FCM class", kApplies),
    CHANGE(fcm_reclaim_frames, "feature", "FCM class", kApplies),
    CHANGE(fcm_map_fastpath_lazy, "perf (caching), lazy", "FCM class", kApplies),
    CHANGE(fcm_unmap_masked, "perf, fix (race)", "FCM class", kApplies),
    CHANGE(fcm_skip_version_refused, "must-refuse (version)", "FCM class", kMustRefuse),
    CHANGE(process_percpu_counts, "perf (locking), layout", "ProcessShared class", kApplies),
    CHANGE(process_rebuild_refused, "must-refuse (version)", "ProcessShared class", kMustRefuse),
    CHANGE(process_batch_interface, "interface (adapter)", "a ProcessShared", kApplies),
    CHANGE(counter_atomic_add, "fix (race)", "CounterShared", kApplies),
    CHANGE(counter_padded, "perf (false sharing), layout", "CounterShared", kApplies),
    CHANGE(counter_wait_yield, "perf (spinning)", "CounterShared", kApplies),
    CHANGE(counter_v2_interface, "interface (adapter)", "CounterShared", kApplies),
    CHANGE(region_presized_class, "feature (new class)", "Region", kApplies),
    CHANGE(region_dedup_class, "fix (leak), new class", "Region", kApplies),
    CHANGE(region_free_chunks_cannot, "fix (leak)", "RegionShared", kCannot),
};
constexpr unsigned kNumChanges = sizeof(kChanges) / sizeof(kChanges[0]);

}  // namespace

KTEST(update_corpus, "4") {
  obj::init();
  KREQUIRE(FCMFactory::CreateDefault() == kOk && pinned_allocator_init() == kOk, "no FCM factory or allocator");
  g_window_us = ktest::arg("window_us", 250);
  u64 only = ktest::arg("only", 0);
  g_fcms = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * kFcmsPerCpu * ncpus()));
  KREQUIRE(g_fcms, "no memory");
  unsigned applied = 0, should = 0, as_expected = 0, ran = 0;
  for (unsigned k = 0; k < kNumChanges; ++k) {
    if (only && only != k + 1) continue;
    const Change& c = kChanges[k];
    Result r{};
    r.name = c.name;
    r.kind = c.kind;
    r.object = c.object;
    r.expect_apply = c.expect == kApplies;
    u64 t0 = mach::cycles();
    c.run(r);
    bool ok = r.checked && r.pass && r.applied == (c.expect == kApplies);
    kprintf("corpus | %s | %s | %s | %s | %s | %s | %s\n", c.name, c.kind, c.object,
            r.applied ? "applied" : c.expect == kCannot ? "cannot apply" : "refused", r.applied ? "" : r.reason, r.checked ? r.check : "not checked",
            ok ? "ok" : "FAIL");
    kprintf("corpus: %s took %lu simulated cycles\n", c.name, mach::cycles() - t0);
    KEXPECT(ok, "change %s: %s (%s)", c.name, r.checked ? r.check : "not checked", r.reason);
    ++ran;
    applied += r.applied;
    should += c.expect != kMustRefuse;
    as_expected += ok;
  }
  kprintf("corpus: %u changes, %u applied, %u should (all but the must-refuse ones), %u as expected\n", ran, applied,
          should, as_expected);
}
