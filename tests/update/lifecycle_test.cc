// Guest tests (label `update`) of what follows an applied update
// (update/lifecycle.h): revert, commit and unloading, each under load. The
// class is the FCM (version 0 in the kernel; versions 1, 2 and 3 from the
// FCM scenario's module, built with -DFCM_VERSION=N); the object is the page
// allocator and the seed's fix. Unloaded modules are filled with trap
// instructions before their memory is freed, so a call into one (a stale
// vtable, a stale entry) panics the kernel, which fails the test.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/fcm.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"
#include "update/lazy_update.h"
#include "update/lifecycle.h"
#include "update/module_service.h"
#include "kernel/ktest.h"

extern "C" const u8 mod_fcm_v1_start[], mod_fcm_v1_end[];
extern "C" const u8 mod_fcm_v2_start[], mod_fcm_v2_end[];
extern "C" const u8 mod_fcm_v3_start[], mod_fcm_v3_end[];
extern "C" const u8 mod_alloc_fix_start[], mod_alloc_fix_end[];

namespace {

u64 g_seq = 2000;  // update numbers of these tests

// Loads a module as the mailbox path does; true if its update applied.
bool apply(const u8* start, const u8* end, upd::UpdateContext& ctx) {
  ctx.seq = ++g_seq;
  upd::ModuleOutcome o = upd::run_module(start, uval(end - start), ctx);
  if (!o.loaded) kprintf("module %lu rejected: %s\n", ctx.seq, o.reason);
  return o.loaded && o.init_result == 0;
}

// A revert or a commit of update `target`, as the guest-side API (what a
// scenario's `revert:`/`commit:` module calls).
SysStatus revert(u64 target, upd::UpdateContext& ctx) {
  ctx.seq = ++g_seq;
  return upd::revert(ctx, target);
}
SysStatus commit(u64 target, upd::UpdateContext& ctx) {
  ctx.seq = ++g_seq;
  return upd::commit(ctx, target);
}

// Sleeps outside every generation: a test thread that waited in one would
// hold up the swaps it is waiting to see.
void rest(u64 cycles) {
  Thread::quiescent_begin();
  Thread::sleep_cycles(cycles);
  Thread::quiescent_end();
}

bool unloaded(u64 seq) {
  uval base, bytes;
  bool u = false;
  return upd::module_of(seq, &base, &bytes, &u) && u;
}

// ---- FCMs under load: every CPU maps and unmaps pages in its own files and
// opens new ones; a page it just mapped must show as mapped on its CPU.
constexpr u64 kOpenPerCpu = 16;  // files each CPU opens while the load runs
struct FcmLoad {
  u64 per_cpu;
  volatile u64 stop;
  volatile u64 calls;
  volatile u64 wrong;
  volatile u64 opened;
  bool no_opening;  // only the files made at the start are called
  obj::ObjRef<FCM>* refs;
  Latch* created;
  Latch* done;
};

void fcm_load_worker(void* a) {
  FcmLoad* fl = static_cast<FcmLoad*>(a);
  unsigned c = cpu_id();
  obj::ObjRef<FCM>* mine = fl->refs + c * fl->per_cpu;
  for (u64 i = 0; i < fl->per_cpu; ++i) {
    KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(mine[i], 8) == kOk);
    Thread::quiescent_point();
  }
  fl->created->count_down();
  u64 i = 0, calls = 0, wrong = 0;
  while (!fl->stop) {
    obj::ObjRef<FCM> r = mine[i % fl->per_cpu];
    u32 p = u32(i % 8);
    r->mapPage(p);
    if (!(r->mappedMask(p) & (1ull << c))) ++wrong;
    r->unmapPage(u32((i + 3) % 8));
    calls += 3;
    if (i % 32 == 0 && i < 32 * kOpenPerCpu && !fl->no_opening) {
      obj::ObjRef<FCM> n;
      if (DREF_FACTORY_DEFAULT(FCM)->create(n, 2) == kOk) atomic_inc(&fl->opened);
    }
    ++i;
    Thread::quiescent_point();
  }
  atomic_fetch_add(&fl->calls, calls);
  atomic_fetch_add(&fl->wrong, wrong);
  fl->done->count_down();
}

FcmLoad* start_fcm_load(u64 instances, bool no_opening = false) {
  KASSERT(FCMFactory::CreateDefault() == kOk);
  FcmLoad* fl = static_cast<FcmLoad*>(kzalloc(sizeof(FcmLoad)));
  fl->no_opening = no_opening;
  fl->per_cpu = instances / ncpus() ? instances / ncpus() : 1;
  fl->refs = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * fl->per_cpu * ncpus()));
  fl->created = new Latch(ncpus());
  fl->done = new Latch(ncpus());
  KASSERT(ktest::start_threads(ncpus(), fcm_load_worker, fl, "fcm load"));
  upd::wait_uncounted(*fl->created);
  return fl;
}

void stop_fcm_load(FcmLoad* fl) {
  fl->stop = 1;
  upd::wait_uncounted(*fl->done);
}

// Instances on the factory's lists whose class is not `version`.
u64 not_of_version(u64 version) {
  obj::InstanceRegistry* reg = DREF_FACTORY_DEFAULT(FCM)->registry();
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    SpinGuard g(reg->lists[c].lock);
    for (obj::ObjectRoot* r = reg->lists[c].head; r; r = r->inst_next)
      if (r->class_version != version || static_cast<FCMDefault*>(r)->classVersion() != version) ++n;
  }
  return n;
}

// Every test file of the load answers as class `version`.
u64 files_not_of_version(FcmLoad* fl, u64 version) {
  u64 n = 0;
  for (u64 i = 0; i < fl->per_cpu * ncpus(); ++i)
    if (fl->refs[i]->classVersion() != version) ++n;
  return n;
}

}  // namespace

// ---- revert of a class update, under load -------------------------------------------
KTEST(update_revert_class, "4,16") {
  FcmLoad* fl = start_fcm_load(ktest::arg("instances", 64));
  upd::UpdateContext a, b;
  KREQUIRE(apply(mod_fcm_v1_start, mod_fcm_v1_end, a), "v1 did not apply");
  KREQUIRE(apply(mod_fcm_v2_start, mod_fcm_v2_end, b), "v2 did not apply");
  rest(100000);

  // Not the latest on the class: refused, nothing changed.
  upd::UpdateContext r1;
  KEXPECT(revert(a.seq, r1) == kErrInvalid, "reverting v1 under v2 must be refused");
  KEXPECT(strcmp(r1.reason, "not the latest update on its object: a later update replaced it") == 0, "reason: %s",
          r1.reason);
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 2 && not_of_version(2) == 0, "the refused revert changed something");
  KEXPECT(upd::update_state(a.seq) == upd::UpdateState::kApplied, "v1's update changed state");

  // v2 reverted: back to v1, files opened under v2 too; v2's module unloaded.
  u64 before = DREF_FACTORY_DEFAULT(FCM)->instances();
  upd::UpdateContext r2;
  KEXPECT(revert(b.seq, r2) == kOk, "reverting v2: %s", r2.reason);
  kprintf("revert of v2: %lu instances, %lu swapped back, %lu failed\n", before, r2.objects_swapped,
          r2.swap_failures);
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 1, "factory version %lu after the revert",
          DREF_FACTORY_DEFAULT(FCM)->version());
  KEXPECT(r2.factories_swapped == 1 && r2.swap_failures == 0 && r2.objects_swapped >= before,
          "%lu of %lu instances swapped back, %lu failed", r2.objects_swapped, before, r2.swap_failures);
  KEXPECT(unloaded(b.seq) && !unloaded(a.seq), "v2's module should be unloaded, v1's loaded");
  KEXPECT(upd::update_state(b.seq) == upd::UpdateState::kReverted, "v2 not marked reverted");
  rest(200000);  // the load runs on v1 over v2's freed code
  KEXPECT(not_of_version(1) == 0 && files_not_of_version(fl, 1) == 0, "instances not of v1 remain");

  // Now v1 is the latest again: reverting it goes back to the kernel's class.
  upd::UpdateContext r3;
  KEXPECT(revert(a.seq, r3) == kOk, "reverting v1: %s", r3.reason);
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 0, "factory version %lu", DREF_FACTORY_DEFAULT(FCM)->version());
  KEXPECT(unloaded(a.seq), "v1's module should be unloaded");
  rest(200000);
  KEXPECT(not_of_version(0) == 0 && files_not_of_version(fl, 0) == 0, "instances not of v0 remain");

  // Twice: refused.
  upd::UpdateContext r4;
  KEXPECT(revert(a.seq, r4) == kErrInvalid && strcmp(r4.reason, "the update was reverted already") == 0,
          "a second revert: %s", r4.reason);
  upd::UpdateContext r5;
  KEXPECT(revert(12345, r5) == kErrInvalid && strcmp(r5.reason, "no update with that number has applied") == 0,
          "an unknown update: %s", r5.reason);
  stop_fcm_load(fl);
  kprintf("revert under load: %lu calls, %lu files opened meanwhile, %lu wrong\n", u64(fl->calls), u64(fl->opened),
          u64(fl->wrong));
  KEXPECT(fl->wrong == 0, "%lu calls saw a lost mapping", u64(fl->wrong));
}

// ---- commit: the replaced code is unloaded, its memory reused -------------------------
KTEST(update_commit_unload, "4,16") {
  FcmLoad* fl = start_fcm_load(ktest::arg("instances", 64));
  upd::UpdateContext a, b;
  KREQUIRE(apply(mod_fcm_v1_start, mod_fcm_v1_end, a), "v1 did not apply");
  KREQUIRE(apply(mod_fcm_v2_start, mod_fcm_v2_end, b), "v2 did not apply");
  uval a_base = 0, a_bytes = 0;
  bool u = false;
  KREQUIRE(upd::module_of(a.seq, &a_base, &a_bytes, &u) && !u, "v1's module is not loaded");

  upd::UpdateContext c;
  KEXPECT(commit(b.seq, c) == kOk, "commit: %s", c.reason);
  KEXPECT(upd::update_state(a.seq) == upd::UpdateState::kCommitted &&
              upd::update_state(b.seq) == upd::UpdateState::kCommitted,
          "v1 and v2 must both be committed");
  KEXPECT(unloaded(a.seq) && !unloaded(b.seq), "v1's module should be unloaded, v2's loaded");
  // The load keeps running on v2 over v1's freed, trap-filled memory.
  rest(400000);
  upd::UpdateContext r1, r2, c2;
  KEXPECT(revert(b.seq, r1) == kErrInvalid &&
              strcmp(r1.reason, "the update was committed: the code it replaced is unloaded") == 0,
          "revert of a committed update: %s", r1.reason);
  KEXPECT(revert(a.seq, r2) == kErrInvalid, "revert of v1 after the commit: %s", r2.reason);
  KEXPECT(commit(b.seq, c2) == kErrInvalid, "a second commit must be refused");
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 2 && not_of_version(2) == 0, "not all of v2");

  // The next module's memory: v1's freed block is reused.
  upd::UpdateContext d;
  KEXPECT(apply(mod_fcm_v3_start, mod_fcm_v3_end, d), "v3 did not apply");
  uval d_base = 0, d_bytes = 0;
  KREQUIRE(upd::module_of(d.seq, &d_base, &d_bytes, &u), "v3's module");
  kprintf("unload: v1's module at 0x%lx (%lu bytes) freed; v3's loaded at 0x%lx (%lu bytes)\n", a_base, a_bytes, d_base,
          d_bytes);
  KEXPECT(d_base < a_base + a_bytes && a_base < d_base + d_bytes, "v3's module does not reuse v1's memory");
  rest(200000);
  stop_fcm_load(fl);
  KEXPECT(files_not_of_version(fl, 3) == 0, "not all of v3");
  kprintf("commit under load: %lu calls, %lu files opened meanwhile, %lu wrong\n", u64(fl->calls), u64(fl->opened),
          u64(fl->wrong));
  KEXPECT(fl->wrong == 0, "%lu calls saw a lost mapping", u64(fl->wrong));
}

// ---- revert and commit of an object update (the allocator fix) -------------------------
namespace {
struct AllocLoad {
  volatile u64 stop;
  volatile u64 allocs;
  Latch* done;
};
void alloc_load_worker(void* a) {
  AllocLoad* al = static_cast<AllocLoad*>(a);
  uval held[4] = {};
  u64 i = 0;
  while (!al->stop) {
    uval& slot = held[i++ & 3];
    if (slot) PageAllocatorKernPinned::ref->deallocPages(slot, kPageSize);
    slot = 0;
    uval p;
    if (PageAllocatorKernPinned::ref->allocPages(p, kPageSize) == kOk) slot = p;
    Thread::quiescent_point();
  }
  for (uval s : held)
    if (s) PageAllocatorKernPinned::ref->deallocPages(s, kPageSize);
  atomic_fetch_add(&al->allocs, i);
  al->done->count_down();
}
}  // namespace

KTEST(update_revert_object, "4") {
  KREQUIRE(pinned_allocator_init() == kOk, "no allocator");
  AllocLoad* al = static_cast<AllocLoad*>(kzalloc(sizeof(AllocLoad)));
  al->done = new Latch(ncpus());
  KREQUIRE(ktest::start_threads(ncpus(), alloc_load_worker, al, "alloc load"), "no threads");
  rest(300000);
  upd::UpdateContext a;
  KREQUIRE(apply(mod_alloc_fix_start, mod_alloc_fix_end, a), "the fix did not apply");
  KEXPECT(PageAllocatorKernPinned::ref->classVersion() == 1, "the fix is not in place");
  rest(300000);
  u64 doubles = PageAllocatorKernPinned::ref->doubleAllocations();

  upd::UpdateContext r;
  KEXPECT(revert(a.seq, r) == kOk, "revert: %s", r.reason);
  KEXPECT(r.objects_swapped == 1, "%lu objects swapped back", r.objects_swapped);
  KEXPECT(PageAllocatorKernPinned::ref->classVersion() == 0, "version %lu after the revert",
          PageAllocatorKernPinned::ref->classVersion());
  KEXPECT(PageAllocatorKernPinned::ref->doubleAllocations() >= doubles, "the state did not come back");
  KEXPECT(unloaded(a.seq), "the fix's module should be unloaded");
  rest(300000);

  // Again and reverted again: the kept allocator takes back the very state it
  // handed on (its descriptor table), twice, and must not free it.
  upd::UpdateContext a2, ra2;
  KREQUIRE(apply(mod_alloc_fix_start, mod_alloc_fix_end, a2), "the fix did not apply a second time");
  rest(200000);
  KEXPECT(revert(a2.seq, ra2) == kOk, "second revert: %s", ra2.reason);
  rest(200000);

  // Again, then committed: the kernel's old object is freed (its code is the
  // kernel's: nothing to unload), and the fix can no longer be reverted.
  upd::UpdateContext b, c, r2;
  KREQUIRE(apply(mod_alloc_fix_start, mod_alloc_fix_end, b), "the fix did not apply again");
  KEXPECT(commit(b.seq, c) == kOk, "commit: %s", c.reason);
  KEXPECT(!unloaded(b.seq), "the live fix's module must stay");
  KEXPECT(revert(b.seq, r2) == kErrInvalid, "revert after commit must be refused");
  rest(300000);
  al->stop = 1;
  upd::wait_uncounted(*al->done);
  KEXPECT(PageAllocatorKernPinned::ref->classVersion() == 1, "the fix is not in place at the end");
  kprintf("allocator revert and commit under load: %lu allocations\n", u64(al->allocs));
  KEXPECT(al->allocs > 1000, "only %lu allocations", u64(al->allocs));
}

// ---- lazy class update: each instance converted after its next call ---------------------
extern "C" const u8 mod_fcm_v2_lazy_start[], mod_fcm_v2_lazy_end[];

KTEST(update_lazy_class, "4") {
  // No file opens meanwhile: every file the load calls was made at its start.
  FcmLoad* fl = start_fcm_load(ktest::arg("instances", 64), true);
  // Files nobody calls for now: they keep the old class until their next call.
  constexpr unsigned kIdle = 12;
  obj::ObjRef<FCM> idle[kIdle];
  for (auto& f : idle) KREQUIRE(DREF_FACTORY_DEFAULT(FCM)->create(f, 4) == kOk, "create");
  upd::UpdateContext a, b;
  KREQUIRE(apply(mod_fcm_v1_start, mod_fcm_v1_end, a), "v1 did not apply");
  for (auto& f : idle) KEXPECT(f->classVersion() == 1, "an idle file is not of v1");
  KREQUIRE(apply(mod_fcm_v2_lazy_start, mod_fcm_v2_lazy_end, b), "lazy v2 did not apply");
  KEXPECT(b.objects_swapped == 0 && b.factories_swapped == 1, "a lazy update swapped %lu instances at once",
          b.objects_swapped);
  KEXPECT(DREF_FACTORY_DEFAULT(FCM)->version() == 2, "the factory is not v2");
  // The load calls its files: they convert (the converter shares each CPU
  // with a load thread that never sleeps, so it runs at scheduler ticks).
  u64 armed = 0, converted = 0, waited = 0;
  bool done = true;
  KREQUIRE(upd::lazy_counts(b.seq, &armed, &converted, &done), "no lazy record");
  while (converted < fl->per_cpu * ncpus() && waited < 40'000'000) {
    rest(200000);
    waited += 200000;
    upd::lazy_counts(b.seq, &armed, &converted, &done);
  }
  rest(400000);  // nothing more converts: the idle files are not called
  upd::lazy_counts(b.seq, &armed, &converted, &done);
  kprintf("lazy: %lu armed, %lu converted after about %lu cycles of load, done %d\n", armed, converted, waited,
          int(done));
  KEXPECT(!done && converted + kIdle <= armed && converted >= fl->per_cpu * ncpus(),
          "%lu of %lu converted, done %d: the load's files should be, the idle ones not", converted, armed, int(done));
  for (auto& f : idle) KEXPECT(static_cast<FCMDefault*>(obj::root_of(f.idx))->classVersion() == 1,
                               "an idle file converted without a call");
  upd::UpdateContext r, c;
  KEXPECT(revert(b.seq, r) == kErrInvalid && strcmp(r.reason, "its lazy conversions are still running") == 0,
          "revert while converting: %s", r.reason);
  // Committed while conversions remain: v1's code is still needed by the idle files.
  KEXPECT(commit(b.seq, c) == kOk, "commit: %s", c.reason);
  KEXPECT(!unloaded(a.seq), "v1's module was unloaded while idle files still run it");

  // Their next calls convert them; after the last, v1's module goes.
  for (auto& f : idle) f->mapPage(1);
  for (unsigned k = 0; k < 400 && !done; ++k) {
    rest(100000);
    upd::lazy_counts(b.seq, &armed, &converted, &done);
  }
  KEXPECT(done && converted == armed, "after the idle files' calls: %lu of %lu converted, done %d", converted, armed,
          int(done));
  KEXPECT(unloaded(a.seq), "v1's module should be unloaded after the last conversion");
  for (auto& f : idle) KEXPECT(f->classVersion() == 2 && (f->mappedMask(1) & 1), "an idle file is not v2 with its page");
  rest(200000);
  stop_fcm_load(fl);
  KEXPECT(not_of_version(2) == 0 && files_not_of_version(fl, 2) == 0, "instances not of v2 remain");
  kprintf("lazy under load: %lu calls, %lu files opened meanwhile, %lu wrong\n", u64(fl->calls), u64(fl->opened),
          u64(fl->wrong));
  KEXPECT(fl->wrong == 0, "%lu calls saw a lost mapping", u64(fl->wrong));
}

// A class update while a lazy one still converts: the rest of the lazy one is
// converted at once (LAZY_FINISH), then the new class goes in. Files nobody
// calls again must not keep every later class update out.
KTEST(update_lazy_then_class, "4") {
  FcmLoad* fl = start_fcm_load(ktest::arg("instances", 32), true);
  constexpr unsigned kIdle = 8;
  obj::ObjRef<FCM> idle[kIdle];
  for (auto& f : idle) KREQUIRE(DREF_FACTORY_DEFAULT(FCM)->create(f, 4) == kOk, "create");
  upd::UpdateContext a, b, c;
  KREQUIRE(apply(mod_fcm_v1_start, mod_fcm_v1_end, a), "v1 did not apply");
  KREQUIRE(apply(mod_fcm_v2_lazy_start, mod_fcm_v2_lazy_end, b), "lazy v2 did not apply");
  u64 armed = 0, converted = 0, waited = 0;
  bool done = true;
  KREQUIRE(upd::lazy_counts(b.seq, &armed, &converted, &done), "no lazy record");
  while (converted < fl->per_cpu * ncpus() && waited < 40'000'000) {
    rest(200000);
    waited += 200000;
    upd::lazy_counts(b.seq, &armed, &converted, &done);
  }
  KEXPECT(!done && converted + kIdle <= armed, "%lu of %lu converted, done %d: the idle files should still be v1",
          converted, armed, int(done));
  // v3, eagerly, while the idle files still wait for a call that never comes.
  KEXPECT(apply(mod_fcm_v3_start, mod_fcm_v3_end, c), "v3 was refused while lazy v2 converts: %s", c.reason);
  upd::lazy_counts(b.seq, &armed, &converted, &done);
  KEXPECT(done && converted == armed, "lazy v2 not finished by v3: %lu of %lu converted, done %d", converted, armed,
          int(done));
  for (auto& f : idle)
    KEXPECT(static_cast<FCMDefault*>(obj::root_of(f.idx))->classVersion() == 3, "an idle file is not v3");
  rest(200000);
  stop_fcm_load(fl);
  KEXPECT(not_of_version(3) == 0 && files_not_of_version(fl, 3) == 0, "instances not of v3 remain");
  kprintf("lazy then class: %lu armed, %lu calls, %lu wrong\n", armed, u64(fl->calls), u64(fl->wrong));
  KEXPECT(fl->wrong == 0, "%lu calls saw a lost mapping", u64(fl->wrong));
}
