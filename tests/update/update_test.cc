// Guest tests of the clustered-object runtime and the update machinery
// (ctest label `update`). Each test runs in the kernel main thread on CPU 0;
// workers are counted kernel threads that reach a quiescent point between
// calls, as the workload framework's drivers do. The test thread waits for
// them with upd::wait_uncounted so it never holds a swap's quiescence up.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/ksym.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/fcm.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"
#include "update/module_service.h"
#include "kernel/ktest.h"

extern "C" const u8 mod_alloc_fix_start[], mod_alloc_fix_end[];
extern "C" const u8 mod_fcm_v1_start[], mod_fcm_v1_end[];
extern "C" const u8 mod_fcm_v5_start[], mod_fcm_v5_end[];
extern "C" const u8 mod_new_class_start[], mod_new_class_end[];
extern "C" const u8 mod_unresolved_start[], mod_unresolved_end[];

namespace {

// ---- a small object with two implementations, for swap tests ----------------
class Counter {
 public:
  virtual u64 add(u64 n) = 0;
  virtual u64 echo(u64 x) = 0;   // x ^ kEchoKey in every implementation
  virtual u64 value() = 0;
  virtual u64 impl() = 0;
  virtual void hold(u64 cycles) = 0;  // stays inside for a while
  // Every argument register the object-call trampolines forward (r4-r10):
  // a call that lost or swapped one gets another answer.
  virtual u64 mix(u64 a, u64 b, u64 c, u64 d, u64 e, u64 f, u64 g) = 0;

 protected:
  ~Counter() = default;
};
constexpr u64 kEchoKey = 0x5a5a1234;
constexpr u64 kMixKey = 0x0123456789abcdefull;
inline u64 mix_of(u64 a, u64 b, u64 c, u64 d, u64 e, u64 f, u64 g) {
  return a ^ (b << 8) ^ (c << 16) ^ (d << 24) ^ (e << 32) ^ (f << 40) ^ (g << 48) ^ kMixKey;
}
constexpr u64 kAlive = 0xa11e, kDead = 0xdead;
volatile u64 g_dead_calls;

template <u64 Impl>
class CounterImpl final : public obj::SingleRep<Counter> {
 public:
  u64 add(u64 n) override {
    check();
    return atomic_fetch_add(&value_, n) + n;
  }
  u64 echo(u64 x) override {
    check();
    return x ^ kEchoKey;
  }
  u64 value() override { return value_; }
  u64 impl() override { return Impl; }
  void hold(u64 cycles) override { Thread::sleep_cycles(cycles); }
  u64 mix(u64 a, u64 b, u64 c, u64 d, u64 e, u64 f, u64 g) override {
    check();
    return mix_of(a, b, c, d, e, f, g);
  }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 f, obj::StateBuffer& out) override {
    *static_cast<u64*>(out.alloc(8)) = value_;
    return kOk;
  }
  SysStatus import_state(u64 f, obj::StateBuffer& in) override {
    value_ = *static_cast<u64*>(in.data);
    return kOk;
  }
  void destroy(bool) override {
    magic_ = kDead;
    delete this;
  }
  const char* class_name() const override { return Impl == 1 ? "CounterA" : "CounterB"; }

 private:
  void check() {
    if (magic_ != kAlive) atomic_inc(&g_dead_calls);
  }
  volatile u64 magic_ = kAlive;
  volatile u64 value_ = 0;
};
using CounterA = CounterImpl<1>;
using CounterB = CounterImpl<2>;

obj::ObjectRoot* make_counter(u64 impl) {
  if (impl == 1) return new CounterA();
  return new CounterB();
}

u64 g_seq = 1000;  // update numbers for updates that do not come by mailbox

upd::ModuleOutcome load(const u8* start, const u8* end, upd::UpdateContext& ctx) {
  ctx.seq = ++g_seq;
  return upd::run_module(start, uval(end - start), ctx);
}

// Starts fn(arg) on every CPU (one counted thread each); returns the latch.
Latch* start_workers(void (*fn)(void*), void* arg) {
  Latch* l = new Latch(ncpus());
  KASSERT(ktest::start_threads(ncpus(), fn, arg, "update test worker"));
  return l;
}

// ---- swap under load -------------------------------------------------------------
constexpr unsigned kCounters = 8;
struct LoadArgs {
  obj::ObjRef<Counter> refs[kCounters];
  volatile u64 stop;
  volatile u64 adds;
  volatile u64 wrong;
  Latch* done;
};

void load_worker(void* a) {
  LoadArgs* la = static_cast<LoadArgs*>(a);
  u64 adds = 0, wrong = 0, i = cpu_id();
  while (!la->stop) {
    obj::ObjRef<Counter> r = la->refs[i % kCounters];
    u64 v = r->add(1);
    ++adds;
    if (v == 0) ++wrong;
    if (r->echo(i) != (i ^ kEchoKey)) ++wrong;
    if (r->mix(i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6) != mix_of(i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6))
      ++wrong;
    ++i;
    Thread::quiescent_point();
  }
  atomic_fetch_add(&la->adds, adds);
  atomic_fetch_add(&la->wrong, wrong);
  la->done->count_down();
}

}  // namespace

KTEST(update_swap_under_load, "1,4") {
  obj::init();
  LoadArgs* la = static_cast<LoadArgs*>(kzalloc(sizeof(LoadArgs)));
  for (unsigned k = 0; k < kCounters; ++k) la->refs[k].idx = obj::install(make_counter(1));
  la->done = start_workers(load_worker, la);
  u64 swaps = ktest::arg("swaps", 1000), ok = 0, blocked = 0, max_cycles = 0;
  for (u64 s = 0; s < swaps; ++s) {
    u32 idx = la->refs[s % kCounters].idx;
    u64 next = la->refs[s % kCounters]->impl() == 1 ? 2 : 1;
    obj::SwapOptions o;
    o.update_seq = 1;
    obj::SwapResult r = obj::hot_swap(idx, make_counter(next), o);
    KEXPECT(r.status == kOk, "swap %lu failed: %s", s, r.reason);
    if (r.status == kOk) ++ok;
    blocked += r.blocked_calls;
    if (r.cycles > max_cycles) max_cycles = r.cycles;
  }
  la->stop = 1;
  upd::wait_uncounted(*la->done);
  u64 sum = 0;
  for (unsigned k = 0; k < kCounters; ++k) sum += la->refs[k]->value();
  kprintf("swap under load: %lu swaps, %lu calls, %lu blocked, longest swap %lu cycles\n", ok, u64(la->adds),
          blocked, max_cycles);
  KEXPECT(ok == swaps, "%lu of %lu swaps", ok, swaps);
  KEXPECT(la->wrong == 0, "%lu wrong answers", u64(la->wrong));
  KEXPECT(g_dead_calls == 0, "%lu calls ran on a destroyed object", u64(g_dead_calls));
  KEXPECT(sum == la->adds, "counters hold %lu, %lu adds were made", sum, u64(la->adds));
  // The load ran throughout: at least a call per swap (on one CPU exactly
  // that: each swap's forward waits for the worker's quiescent point, and
  // the swapping thread, urgent, runs again as soon as it is reached).
  KEXPECT(la->adds >= swaps, "the workers made only %lu calls", u64(la->adds));
}

// ---- quiescence timeout --------------------------------------------------------------
namespace {
// A counter to swap, and latches for the threads that hold its swap up.
struct HoldArgs {
  obj::ObjRef<Counter> ref;
  Latch* inside = new Latch(1);
  Latch* done = new Latch(1);
  HoldArgs() { ref.idx = obj::install(make_counter(1)); }
};
// Starts fn(h) on CPU 1.
bool start_on_cpu1(void (*fn)(void*), HoldArgs* h, const char* name) {
  ThreadOptions o;
  o.cpu = 1;
  o.name = name;
  return Thread::create(fn, h, o);
}
// A swap of update `seq` that gives up after 2M cycles of waiting.
obj::SwapOptions short_timeout(u64 seq) {
  obj::SwapOptions so;
  so.update_seq = seq;
  so.timeout_cycles = 2'000'000;
  return so;
}
}  // namespace
// Out of line, with an external name, so the holder report's backtrace shows it.
extern "C" [[gnu::noinline]] void update_test_holder(void* a) {
  HoldArgs* h = static_cast<HoldArgs*>(a);
  h->ref->add(1);
  h->inside->count_down();
  h->ref->hold(8'000'000);  // inside the object far longer than the timeout
  h->done->count_down();
  asm volatile("" ::: "memory");  // not a tail call: keeps its frame in the chain
}
namespace {
// Does one of the recent holder reports for object idx (of a thread inside
// the object, or in an old generation) name `fn` in its backtrace (and give
// a CPU and PC)?
bool holder_backtrace_names(u32 idx, unsigned cpu, const char* fn, bool inside) {
  obj::HolderReport reps[obj::kHolderReports];
  unsigned n = obj::recent_holder_reports(reps, obj::kHolderReports);
  for (unsigned i = 0; i < n; ++i) {
    if (reps[i].idx != idx || reps[i].cpu != cpu || reps[i].pc == 0 || reps[i].inside != inside) continue;
    for (unsigned k = 0; k < reps[i].frames; ++k) {
      ksym::Symbol s;
      uval off;
      if (ksym::find(reps[i].pcs[k], &s, &off) && strcmp(s.name, fn) == 0) return true;
    }
  }
  return false;
}
}  // namespace

KTEST(update_quiesce_timeout, "2,4") {
  HoldArgs h;
  KREQUIRE(start_on_cpu1(update_test_holder, &h, "holder inside the object"), "no thread");
  upd::wait_uncounted(*h.inside);
  Thread::sleep_cycles(20000);
  obj::SwapOptions so = short_timeout(2);
  obj::SwapResult r = obj::hot_swap(h.ref.idx, make_counter(2), so);
  KEXPECT(r.status == kErrTimedOut, "the swap should time out, status %ld", r.status);
  KEXPECT(r.holders >= 1, "no holder reported");
  KEXPECT(holder_backtrace_names(h.ref.idx, 1, "update_test_holder", false),
          "no holder report for cpu 1 with a backtrace naming update_test_holder");
  KEXPECT(h.ref->impl() == 1, "the old object must be back, impl %lu", h.ref->impl());
  KEXPECT(h.ref->add(1) == 2, "the old object's state was lost");
  upd::wait_uncounted(*h.done);
  // Once the holder is gone, the same swap succeeds.
  r = obj::hot_swap(h.ref.idx, make_counter(2), so);
  KEXPECT(r.status == kOk, "second swap: %s", r.reason);
  KEXPECT(h.ref->impl() == 2 && h.ref->value() == 2, "after the swap: impl %lu value %lu", h.ref->impl(),
          h.ref->value());
  KEXPECT(g_dead_calls == 0, "calls on destroyed objects");
}

// ---- quiescence timeout, inside the object ------------------------------------------------
// A call that enters through the mediator while forward still waits for an
// old generation is tracked; if it stays inside, quiesce times out and its
// thread is reported as inside the object. Forward is held open by a call
// that entered before the swap (1M cycles); the tracked call enters 200k
// cycles after the swap began (its thread is out of every generation until
// then) and stays far longer than the timeout.
extern "C" [[gnu::noinline]] void update_test_old_call(void* a) {
  HoldArgs* h = static_cast<HoldArgs*>(a);
  h->ref->add(1);
  h->inside->count_down();
  h->ref->hold(1'000'000);
  asm volatile("" ::: "memory");
}
extern "C" [[gnu::noinline]] void update_test_tracked_holder(void* a) {
  HoldArgs* h = static_cast<HoldArgs*>(a);
  Thread::quiescent_begin();
  Thread::sleep_cycles(200'000);
  Thread::quiescent_end();   // joins the generation forward's mark began
  h->ref->hold(8'000'000);   // through the mediator, tracked
  h->done->count_down();
  asm volatile("" ::: "memory");
}

KTEST(update_quiesce_inside_timeout, "2,4") {
  HoldArgs h;
  KREQUIRE(start_on_cpu1(update_test_old_call, &h, "old call"), "no thread");
  upd::wait_uncounted(*h.inside);
  KREQUIRE(start_on_cpu1(update_test_tracked_holder, &h, "tracked holder"), "no thread");
  obj::SwapResult r = obj::hot_swap(h.ref.idx, make_counter(2), short_timeout(3));
  KEXPECT(r.failure == obj::SwapFailure::kInsideTimeout && r.status == kErrTimedOut,
          "the swap should time out in quiesce: status %ld, %s", r.status, r.reason);
  KEXPECT(r.holders == 1, "%lu holders reported, expected the tracked call's thread", r.holders);
  KEXPECT(holder_backtrace_names(h.ref.idx, 1, "update_test_tracked_holder", true),
          "no report of a thread inside the object on cpu 1 naming update_test_tracked_holder");
  KEXPECT(h.ref->impl() == 1 && h.ref->value() == 1, "the old object must be back with its state: impl %lu value %lu",
          h.ref->impl(), h.ref->value());
  upd::wait_uncounted(*h.done);
  KEXPECT(g_dead_calls == 0, "calls on destroyed objects");
}

// ---- the page allocator race and its fix ---------------------------------------------
namespace {
struct AllocArgs {
  u64 iterations;
  Latch* done;
};
void alloc_worker(void* a) {
  AllocArgs* aa = static_cast<AllocArgs*>(a);
  uval held[4] = {};
  for (u64 i = 0; i < aa->iterations; ++i) {
    uval& slot = held[i & 3];
    if (slot) PageAllocatorKernPinned::ref->deallocPages(slot, kPageSize);
    slot = 0;
    uval p;
    if (PageAllocatorKernPinned::ref->allocPages(p, kPageSize) == kOk) slot = p;
    Thread::quiescent_point();
  }
  for (uval s : held)
    if (s) PageAllocatorKernPinned::ref->deallocPages(s, kPageSize);
  aa->done->count_down();
}
void run_alloc_load(u64 iterations) {
  AllocArgs a{iterations, nullptr};
  a.done = start_workers(alloc_worker, &a);
  upd::wait_uncounted(*a.done);
}
}  // namespace

KTEST(update_allocator_race, "4,8") {
  KREQUIRE(pinned_allocator_init() == kOk, "no allocator");
  u64 iters = ktest::arg("iterations", 3000);
  run_alloc_load(iters);
  u64 before = g_double_allocations;
  kprintf("allocator race: version 0: %lu double allocations in %lu allocations\n", before, iters * ncpus());
  KEXPECT(before > 0, "version 0 showed no double allocation");
  upd::UpdateContext ctx;
  upd::ModuleOutcome o = load(mod_alloc_fix_start, mod_alloc_fix_end, ctx);
  KREQUIRE(o.loaded && o.init_result == 0, "the fix module failed: %s (init %ld)", o.reason, o.init_result);
  KEXPECT(PageAllocatorKernPinned::ref->classVersion() == 1, "the fixed class is not in place");
  KEXPECT(PageAllocatorKernPinned::ref->doubleAllocations() == before, "state not transferred");
  run_alloc_load(iters);
  u64 after = g_double_allocations - before;
  kprintf("allocator race: fixed class: %lu double allocations in %lu allocations\n", after, iters * ncpus());
  KEXPECT(after == 0, "the fixed class still double-allocates (%lu)", after);
}

// ---- FCM class update with hundreds of instances --------------------------------------
namespace {
struct FcmArgs {
  u64 per_cpu;
  volatile u64 stop;
  volatile u64 created_during;
  obj::ObjRef<FCM>* refs;  // per_cpu * ncpus
  Latch* created;
  Latch* done;
};
void fcm_worker(void* a) {
  FcmArgs* fa = static_cast<FcmArgs*>(a);
  unsigned c = cpu_id();
  obj::ObjRef<FCM>* mine = fa->refs + c * fa->per_cpu;
  for (u64 i = 0; i < fa->per_cpu; ++i) {
    KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(mine[i], 8) == kOk);
    mine[i]->mapPage(u32(i % 8));
    Thread::quiescent_point();
  }
  fa->created->count_down();
  u64 i = 0;
  while (!fa->stop) {
    obj::ObjRef<FCM> r = mine[i % fa->per_cpu];
    r->mapPage(u32(i % 8));
    r->unmapPage(u32((i + 3) % 8));
    if (i % 16 == 0) {  // new files keep opening
      obj::ObjRef<FCM> n;
      if (DREF_FACTORY_DEFAULT(FCM)->create(n, 4) == kOk) atomic_inc(&fa->created_during);
    }
    ++i;
    Thread::quiescent_point();
  }
  fa->done->count_down();
}
u64 count_old(obj::InstanceRegistry* reg, u64 version) {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    SpinGuard g(reg->lists[c].lock);
    for (obj::ObjectRoot* r = reg->lists[c].head; r; r = r->inst_next) {
      FCMDefault* f = static_cast<FCMDefault*>(r);
      if (r->class_version != version || f->classVersion() != version) ++n;
    }
  }
  return n;
}
}  // namespace

KTEST(update_fcm_class, "4,16") {
  KREQUIRE(FCMFactory::CreateDefault() == kOk, "no factory");
  FcmArgs* fa = static_cast<FcmArgs*>(kzalloc(sizeof(FcmArgs)));
  fa->per_cpu = ktest::arg("instances", 400) / ncpus();
  fa->refs = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * fa->per_cpu * ncpus()));
  fa->created = new Latch(ncpus());
  fa->done = start_workers(fcm_worker, fa);
  upd::wait_uncounted(*fa->created);
  u64 before = DREF_FACTORY_DEFAULT(FCM)->instances();
  u64 t0 = mach::cycles();
  upd::UpdateContext ctx;
  upd::ModuleOutcome o = load(mod_fcm_v1_start, mod_fcm_v1_end, ctx);
  u64 cycles = mach::cycles() - t0;
  Thread::sleep_cycles(200000);  // creations after the update
  fa->stop = 1;
  upd::wait_uncounted(*fa->done);
  KREQUIRE(o.loaded && o.init_result == 0, "the FCM module failed: %s (init %ld)", o.reason, o.init_result);
  u64 after = DREF_FACTORY_DEFAULT(FCM)->instances();
  kprintf("fcm class update: %lu instances before, %lu swapped, %lu after (%lu created meanwhile), %lu cycles\n",
          before, ctx.objects_swapped, after, u64(fa->created_during), cycles);
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 1, "factory version %lu", DREF_FACTORY_DEFAULT(FCM)->version());
  KEXPECT(ctx.objects_swapped + ctx.swap_failures <= after, "more swaps than instances");
  KEXPECT(ctx.swap_failures == 0, "%lu instances failed", ctx.swap_failures);
  KEXPECT(ctx.objects_swapped >= before / 2, "only %lu of %lu instances swapped", ctx.objects_swapped, before);
  KEXPECT(count_old(DREF_FACTORY_DEFAULT(FCM)->registry(), 1) == 0, "old instances remain");
  for (u64 i = 0; i < fa->per_cpu * ncpus(); ++i)
    KEXPECT(fa->refs[i]->classVersion() == 1, "instance %lu is of version %lu", i, fa->refs[i]->classVersion());
  obj::ObjRef<FCM> n;
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->create(n, 2) == kOk && n->classVersion() == 1, "new creations are not v1");
}

// ---- refusals: version mismatch and bad modules -----------------------------------------
KTEST(update_refused, "2,4") {
  KREQUIRE(FCMFactory::CreateDefault() == kOk, "no factory");
  obj::ObjRef<FCM> f;
  KREQUIRE(DREF_FACTORY_DEFAULT(FCM)->create(f, 4) == kOk, "create");
  f->mapPage(1);
  u64 v0 = DREF_FACTORY_DEFAULT(FCM)->version();
  u32 factory_root_before = u32(uval(obj::root_of(DREF_FACTORY_DEFAULT(FCM).idx)));
  upd::UpdateContext ctx;
  upd::ModuleOutcome o = load(mod_fcm_v5_start, mod_fcm_v5_end, ctx);
  KEXPECT(o.loaded && o.init_result != 0, "version 5 over version 0 must abort");
  KEXPECT(ctx.objects_swapped == 0 && ctx.factories_swapped == 0, "something was swapped");
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == v0, "factory version changed");
  KEXPECT(u32(uval(obj::root_of(DREF_FACTORY_DEFAULT(FCM).idx))) == factory_root_before, "factory replaced");
  KEXPECT(f->classVersion() == 0 && f->mappedMask(1) != 0, "the instance changed");

  uval size = uval(mod_fcm_v1_end - mod_fcm_v1_start);
  u8* copy = static_cast<u8*>(kmalloc(size));
  memcpy(copy, mod_fcm_v1_start, size);
  upd::UpdateContext c1;
  o = load(copy, copy + size / 2, c1);  // truncated
  KEXPECT(!o.loaded, "a truncated module was accepted");
  kprintf("truncated: %s\n", o.reason);
  copy[19] = 3;  // e_machine = EM_386
  upd::UpdateContext c2;
  o = load(copy, copy + size, c2);
  KEXPECT(!o.loaded, "a module for another machine was accepted");
  kprintf("wrong machine: %s\n", o.reason);
  upd::UpdateContext c3;
  o = load(mod_unresolved_start, mod_unresolved_end, c3);
  KEXPECT(!o.loaded, "a module with an unresolved symbol was accepted");
  kprintf("unresolved: %s\n", o.reason);
  // Still serving, unchanged.
  KEXPECT(f->mapPage(2) == kOk && f->unmapPage(2) == kOk, "the FCM stopped serving");
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == v0 && f->classVersion() == 0, "something changed");
}

// ---- a new class only: nothing blocks ------------------------------------------------------
KTEST(update_new_class_no_block, "4") {
  obj::init();
  LoadArgs* la = static_cast<LoadArgs*>(kzalloc(sizeof(LoadArgs)));
  for (unsigned k = 0; k < kCounters; ++k) la->refs[k].idx = obj::install(make_counter(1));
  la->done = start_workers(load_worker, la);
  Thread::sleep_cycles(100000);
  u64 blocked0 = obj::g_blocked_calls;
  upd::UpdateContext ctx;
  upd::ModuleOutcome o = load(mod_new_class_start, mod_new_class_end, ctx);
  Thread::sleep_cycles(100000);
  la->stop = 1;
  upd::wait_uncounted(*la->done);
  KEXPECT(o.loaded && o.init_result == 0, "the module failed: %s", o.reason);
  u32 ref = upd::find_class("Greeter");
  KEXPECT(ref != 0, "the new class is not registered");
  obj::ObjRef<obj::Factory> fr{ref};
  if (ref) KEXPECT(fr->version() == 0 && fr->instances() == 0, "the new factory is not callable");
  KEXPECT(obj::g_blocked_calls == blocked0, "%lu calls were blocked", u64(obj::g_blocked_calls - blocked0));
  KEXPECT(la->wrong == 0 && g_dead_calls == 0, "wrong answers");
}

// ---- measurements --------------------------------------------------------------------------
namespace {
[[gnu::noinline]] u64 direct_calls(Counter* c, u64 n) {
  u64 s = 0;
  for (u64 i = 0; i < n; ++i) s += c->echo(i);
  return s;
}
[[gnu::noinline]] u64 table_calls(obj::ObjRef<Counter> r, u64 n) {
  u64 s = 0;
  for (u64 i = 0; i < n; ++i) s += r->echo(i);
  return s;
}
}  // namespace

KTEST(update_measure, "1,4") {
  obj::init();
  obj::ObjRef<Counter> r;
  r.idx = obj::install(make_counter(1));
  Counter* direct = static_cast<CounterA*>(obj::root_of(r.idx));
  const u64 n = 2000;
  direct_calls(direct, 100);
  table_calls(r, 100);
  u64 t0 = mach::cycles();
  u64 a = direct_calls(direct, n);
  u64 t1 = mach::cycles();
  u64 b = table_calls(r, n);
  u64 t2 = mach::cycles();
  KEXPECT(a == b, "different answers");
  kprintf("measure: call cost: direct virtual %lu.%02lu cycles, through the translation table %lu.%02lu cycles\n",
          (t1 - t0) / n, (t1 - t0) % n * 100 / n, (t2 - t1) / n, (t2 - t1) % n * 100 / n);
  const u64 swaps = ktest::arg("swaps", 20);
  u64 total = 0, max = 0;
  for (u64 s = 0; s < swaps; ++s) {
    obj::SwapResult res = obj::hot_swap(r.idx, make_counter(1 + (s & 1)));
    KEXPECT(res.status == kOk, "swap failed");
    total += res.cycles;
    if (res.cycles > max) max = res.cycles;
  }
  kprintf("measure: null swap on %u cpus: mean %lu cycles, max %lu cycles (%lu swaps)\n", ncpus(), total / swaps,
          max, swaps);

  // The same swaps while every CPU calls the objects: how long the swap
  // takes when it must wait for quiescence, and how long calls are held.
  LoadArgs* la = static_cast<LoadArgs*>(kzalloc(sizeof(LoadArgs)));
  for (unsigned k = 0; k < kCounters; ++k) la->refs[k].idx = obj::install(make_counter(1));
  la->done = start_workers(load_worker, la);
  Thread::sleep_cycles(20000);
  u64 blocked0 = obj::g_blocked_calls;
  obj::g_blocked_max_cycles = 0;
  total = max = 0;
  for (u64 s = 0; s < swaps; ++s) {
    obj::SwapResult res = obj::hot_swap(la->refs[0].idx, make_counter(1 + ((s + 1) & 1)));
    KEXPECT(res.status == kOk, "swap under load failed: %s", res.reason);
    total += res.cycles;
    if (res.cycles > max) max = res.cycles;
  }
  la->stop = 1;
  upd::wait_uncounted(*la->done);
  KEXPECT(la->wrong == 0 && g_dead_calls == 0, "wrong answers under load");
  kprintf("measure: null swap under load on %u cpus: mean %lu cycles, max %lu cycles (%lu swaps, %lu calls); "
          "%lu calls blocked, longest blocked %lu cycles\n",
          ncpus(), total / swaps, max, swaps, u64(la->adds), u64(obj::g_blocked_calls - blocked0),
          u64(obj::g_blocked_max_cycles));
  // Quiescence in microseconds: with max_swap_us=N every swap under load,
  // and every call it held, must end within N simulated microseconds; with
  // mean_swap_us=M their mean within M.
  if (u64 budget = ktest::arg("max_swap_us", 0) * (sched::clock_hz() / 1000000)) {
    KEXPECT(max < budget, "the longest swap under load took %lu cycles, over %lu", max, budget);
    KEXPECT(obj::g_blocked_max_cycles < budget, "a call was held %lu cycles, over %lu", u64(obj::g_blocked_max_cycles),
            budget);
  }
  if (u64 budget = ktest::arg("mean_swap_us", 0) * (sched::clock_hz() / 1000000))
    KEXPECT(total / swaps < budget, "swaps under load took %lu cycles on average, over %lu", total / swaps, budget);

  // A class update of `instances` FCMs created on every CPU, with every CPU
  // mapping and unmapping pages in them and opening new files throughout.
  u64 instances = ktest::arg("instances", 0);
  if (instances) {
    KREQUIRE(FCMFactory::CreateDefault() == kOk, "no factory");
    FcmArgs* fa = static_cast<FcmArgs*>(kzalloc(sizeof(FcmArgs)));
    fa->per_cpu = instances / ncpus() ? instances / ncpus() : 1;
    fa->refs = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * fa->per_cpu * ncpus()));
    fa->created = new Latch(ncpus());
    fa->done = start_workers(fcm_worker, fa);
    upd::wait_uncounted(*fa->created);
    u64 before = DREF_FACTORY_DEFAULT(FCM)->instances();
    blocked0 = obj::g_blocked_calls;
    obj::g_blocked_max_cycles = 0;
    upd::UpdateContext ctx;
    u64 t = mach::cycles();
    upd::ModuleOutcome o = load(mod_fcm_v1_start, mod_fcm_v1_end, ctx);
    t = mach::cycles() - t;
    fa->stop = 1;
    upd::wait_uncounted(*fa->done);
    KEXPECT(o.loaded && o.init_result == 0 && ctx.swap_failures == 0 && ctx.objects_swapped >= before,
            "class update: %lu swapped of %lu, %lu failed", ctx.objects_swapped, before, ctx.swap_failures);
    KEXPECT(count_old(DREF_FACTORY_DEFAULT(FCM)->registry(), 1) == 0, "old instances remain");
    kprintf("measure: factory update of %lu instances on %u cpus: %lu cycles (%lu swapped, %lu files opened "
            "meanwhile); %lu calls blocked, longest blocked %lu cycles\n",
            before, ncpus(), t, ctx.objects_swapped, u64(fa->created_during), u64(obj::g_blocked_calls - blocked0),
            u64(obj::g_blocked_max_cycles));
  }
}
