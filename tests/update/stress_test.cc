// Guest stress test of the update lifecycle (label `update`; the long runs
// are tools/stress/updates.sh): `swaps` hot swaps (default 300) of every kind
// while every CPU calls the objects, and checks that no call was lost,
// duplicated, misrouted or served by freed code.
//
//   object swaps  kCells cells, each swapped between two implementations in
//                 turn; a cell's state is its total and its identity
//   class updates every 40th step the FCM class goes to version 1 (the FCM
//                 scenario's module) and is reverted: the factory and every
//                 FCM swapped there and back, v1's module unloaded each time
//   object update every 100th step the allocator fix is applied and reverted
//                 (one swap each way, the fix's module unloaded)
//   commit        at the end, the allocator fix once more, committed
//
// Lost or duplicated: each cell's total must equal the adds its callers
// counted. Misrouted: a cell's echo answers with its identity, which the
// caller checks. Freed: a destroyed object marks itself dead and a call to it
// is counted; an unloaded module's memory is trap instructions, so a call
// into it panics the kernel (the test then fails).
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/fcm.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"
#include "update/lifecycle.h"
#include "update/module_service.h"
#include "update/state_transfer.h"
#include "kernel/ktest.h"

extern "C" const u8 mod_fcm_v1_start[], mod_fcm_v1_end[];
extern "C" const u8 mod_alloc_fix_start[], mod_alloc_fix_end[];

namespace {

class Cell {
 public:
  virtual u64 add(u64 n) = 0;
  virtual u64 identity() = 0;  // the cell's own number: a misrouted call answers with another's
  virtual u64 value() = 0;

 protected:
  ~Cell() = default;
};
constexpr u64 kAlive = 0xa11e, kDead = 0xdead;
volatile u64 g_dead_calls;

template <u64 Impl>
class CellImpl final : public obj::SingleRep<Cell> {
 public:
  explicit CellImpl(u64 id) : id_(id) {}
  u64 add(u64 n) override {
    check();
    return atomic_fetch_add(&value_, n) + n;
  }
  u64 identity() override {
    check();
    return id_;
  }
  u64 value() override { return value_; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64, obj::StateBuffer& out) override {
    u64* s = static_cast<u64*>(out.alloc(16));
    if (!s) return kErrNoMemory;
    s[0] = value_;
    s[1] = id_;
    return kOk;
  }
  SysStatus import_state(u64, obj::StateBuffer& in) override {
    value_ = static_cast<u64*>(in.data)[0];
    id_ = static_cast<u64*>(in.data)[1];
    return kOk;
  }
  void destroy(bool) override {
    magic_ = kDead;
    delete this;
  }
  const char* class_name() const override { return Impl == 1 ? "CellA" : "CellB"; }

 private:
  void check() {
    if (magic_ != kAlive) atomic_inc(&g_dead_calls);
  }
  volatile u64 magic_ = kAlive;
  volatile u64 value_ = 0;
  u64 id_;
};

obj::ObjectRoot* make_cell(u64 impl, u64 id) {
  if (impl == 1) return new CellImpl<1>(id);
  return new CellImpl<2>(id);
}

constexpr unsigned kCells = 8;
constexpr unsigned kFcmsPerCpu = 4;

struct Load {
  obj::ObjRef<Cell> cells[kCells];
  volatile u64 adds[kCells];
  volatile u64 stop;
  volatile u64 misrouted, lost_mapping, calls;
  obj::ObjRef<FCM>* fcms;  // kFcmsPerCpu per CPU
  Latch* ready;
  Latch* done;
};

void worker(void* a) {
  Load* l = static_cast<Load*>(a);
  unsigned c = cpu_id();
  obj::ObjRef<FCM>* mine = l->fcms + c * kFcmsPerCpu;
  for (unsigned k = 0; k < kFcmsPerCpu; ++k) KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(mine[k], 4) == kOk);
  l->ready->count_down();
  u64 adds[kCells] = {}, misrouted = 0, lost = 0, calls = 0;
  uval page = 0;
  for (u64 i = c; !l->stop; ++i) {
    unsigned k = unsigned(i % kCells);
    l->cells[k]->add(1);
    ++adds[k];
    if (l->cells[k]->identity() != k) ++misrouted;
    obj::ObjRef<FCM> f = mine[i % kFcmsPerCpu];
    u32 p = u32(i % 4);
    f->mapPage(p);
    if (!(f->mappedMask(p) & (1ull << c))) ++lost;
    f->unmapPage(p);
    if (i % 8 == 0) {  // the allocator too (between its fix and the reverts)
      if (page) PageAllocatorKernPinned::ref->deallocPages(page, kPageSize);
      page = 0;
      uval q;
      if (PageAllocatorKernPinned::ref->allocPages(q, kPageSize) == kOk) page = q;
      ++calls;
    }
    calls += 5;
    Thread::quiescent_point();
  }
  if (page) PageAllocatorKernPinned::ref->deallocPages(page, kPageSize);
  for (unsigned k = 0; k < kCells; ++k) atomic_fetch_add(&l->adds[k], adds[k]);
  atomic_fetch_add(&l->misrouted, misrouted);
  atomic_fetch_add(&l->lost_mapping, lost);
  atomic_fetch_add(&l->calls, calls);
  l->done->count_down();
}

u64 g_seq = 5000;

struct Tally {
  u64 object_swaps, class_swaps, reverts, unloads, failed;
};

// An update by module and its revert: both must apply; returns the swaps.
u64 apply_and_revert(const u8* start, const u8* end, Tally& t) {
  upd::UpdateContext a, r;
  a.seq = ++g_seq;
  upd::ModuleOutcome o = upd::run_module(start, uval(end - start), a);
  if (!o.loaded || o.init_result != 0) {
    ++t.failed;
    return 0;
  }
  r.seq = ++g_seq;
  if (upd::revert(r, a.seq) != kOk) {
    kprintf("stress: revert of %lu failed: %s\n", a.seq, r.reason);
    ++t.failed;
  }
  uval base, bytes;
  bool unloaded = false;
  if (upd::module_of(a.seq, &base, &bytes, &unloaded) && unloaded) ++t.unloads;
  ++t.reverts;
  return a.objects_swapped + a.factories_swapped + r.objects_swapped + r.factories_swapped;
}

}  // namespace

KTEST(update_stress, "4") {
  obj::init();
  KREQUIRE(FCMFactory::CreateDefault() == kOk && pinned_allocator_init() == kOk, "no FCM factory or allocator");
  Load* l = static_cast<Load*>(kzalloc(sizeof(Load)));
  for (unsigned k = 0; k < kCells; ++k) l->cells[k].idx = obj::install(make_cell(1, k));
  l->fcms = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * kFcmsPerCpu * ncpus()));
  l->ready = new Latch(ncpus());
  l->done = new Latch(ncpus());
  KREQUIRE(ktest::start_threads(ncpus(), worker, l, "stress worker"), "no workers");
  upd::wait_uncounted(*l->ready);

  const u64 target = ktest::arg("swaps", 300);
  Tally t{};
  u64 swaps = 0, impl[kCells];
  for (unsigned k = 0; k < kCells; ++k) impl[k] = 1;
  const u64 every = ktest::arg("progress", 1000);  // a progress line each `every` swaps (0: none)
  u64 next_report = every;
  for (u64 step = 0; swaps < target; ++step) {
    if (every && swaps >= next_report) {
      kprintf("stress: progress %lu swaps (%lu object swaps, %lu class-update swaps, %lu reverts, %lu modules "
              "unloaded, %lu failed), %lu calls so far on freed objects\n",
              swaps, t.object_swaps, t.class_swaps, t.reverts, t.unloads, t.failed, u64(g_dead_calls));
      next_report += every;
    }
    unsigned k = unsigned(step % kCells);
    impl[k] = 3 - impl[k];
    obj::SwapOptions o;
    o.update_seq = 1;
    obj::SwapResult r = obj::hot_swap(l->cells[k].idx, make_cell(impl[k], k), o);
    if (r.status == kOk) {
      ++t.object_swaps;
      ++swaps;
    } else {
      impl[k] = 3 - impl[k];
      ++t.failed;
    }
    if (step % 40 == 39) {
      u64 n = apply_and_revert(mod_fcm_v1_start, mod_fcm_v1_end, t);
      t.class_swaps += n;
      swaps += n;
    }
    if (step % 100 == 99) {
      u64 n = apply_and_revert(mod_alloc_fix_start, mod_alloc_fix_end, t);
      t.object_swaps += n;
      swaps += n;
    }
  }
  // The end: the fix once more, committed (the kernel's allocator freed).
  upd::UpdateContext fix, keep;
  fix.seq = ++g_seq;
  upd::ModuleOutcome o = upd::run_module(mod_alloc_fix_start, uval(mod_alloc_fix_end - mod_alloc_fix_start), fix);
  keep.seq = ++g_seq;
  KEXPECT(o.loaded && o.init_result == 0 && upd::commit(keep, fix.seq) == kOk, "the final fix and its commit");
  swaps += fix.objects_swapped;

  l->stop = 1;
  upd::wait_uncounted(*l->done);
  u64 lost = 0, adds = 0;
  for (unsigned k = 0; k < kCells; ++k) {
    u64 v = l->cells[k]->value();
    adds += l->adds[k];
    if (v != l->adds[k]) {
      kprintf("stress: cell %u holds %lu, %lu adds were made\n", k, v, u64(l->adds[k]));
      lost += v > l->adds[k] ? v - l->adds[k] : l->adds[k] - v;
    }
  }
  kprintf("stress: %lu swaps on %u cpus (%lu object swaps, %lu class-update swaps, %lu reverts, %lu modules "
          "unloaded, %lu failed); %lu calls (%lu cell adds): %lu lost or duplicated, %lu misrouted, %lu on freed "
          "objects, %lu lost mappings\n",
          swaps, ncpus(), t.object_swaps, t.class_swaps, t.reverts, t.unloads, t.failed, u64(l->calls) + 2 * adds, adds,
          lost, u64(l->misrouted), u64(g_dead_calls), u64(l->lost_mapping));
  KEXPECT(swaps >= target, "only %lu swaps", swaps);
  KEXPECT(t.failed == 0, "%lu swaps or updates failed", t.failed);
  KEXPECT(t.unloads == t.reverts, "%lu of %lu reverted modules unloaded", t.unloads, t.reverts);
  KEXPECT(lost == 0, "%lu adds lost or duplicated", lost);
  KEXPECT(l->misrouted == 0, "%lu calls reached another cell", u64(l->misrouted));
  KEXPECT(g_dead_calls == 0, "%lu calls ran on a destroyed object", u64(g_dead_calls));
  KEXPECT(l->lost_mapping == 0, "%lu FCM mappings lost", u64(l->lost_mapping));
  KEXPECT(PageAllocatorKernPinned::ref->classVersion() == 1 && DREF_FACTORY_DEFAULT(FCM)->version() == 0,
          "the final versions");
}
