// Guest test (label `update`): instances destroyed while a class update
// swaps them. Closing a file destroys its FCM through the factory; if the
// instance is being swapped at that moment, the destroy is queued and the
// swapper completes it after the swap (update/factory.h). Before that, the
// destroying thread slept inside its call, in the generation the swap was
// waiting for, so the swap timed out (a deadlock but for the timeout).
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"
#include "update/module_service.h"
#include "kernel/ktest.h"

extern "C" const u8 mod_fcm_v1_start[], mod_fcm_v1_end[];

namespace {

struct ChurnArgs {
  u64 per_cpu;
  volatile u64 stop;
  volatile u64 created;    // after the initial set
  volatile u64 destroyed;
  obj::ObjRef<FCM>* refs;  // per_cpu * ncpus: the live instances
  Latch* ready;
  Latch* done;
};

void churn_worker(void* a) {
  ChurnArgs* ca = static_cast<ChurnArgs*>(a);
  obj::ObjRef<FCM>* mine = ca->refs + cpu_id() * ca->per_cpu;
  for (u64 i = 0; i < ca->per_cpu; ++i) {
    KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(mine[i], 4) == kOk);
    mine[i]->mapPage(u32(i % 4));
    Thread::quiescent_point();
  }
  ca->ready->count_down();
  u64 i = 0, created = 0, destroyed = 0;
  while (!ca->stop) {
    // Close one file and open another in its slot, continuously.
    obj::ObjRef<FCM>& slot = mine[i % ca->per_cpu];
    mine[(i + 1) % ca->per_cpu]->mapPage(u32(i % 4));
    DREF_FACTORY_DEFAULT(FCM)->destroyFCM(slot);
    ++destroyed;
    KASSERT(DREF_FACTORY_DEFAULT(FCM)->create(slot, 4) == kOk);
    ++created;
    slot->mapPage(1);
    ++i;
    Thread::quiescent_point();
  }
  atomic_fetch_add(&ca->created, created);
  atomic_fetch_add(&ca->destroyed, destroyed);
  ca->done->count_down();
}

}  // namespace

KTEST(update_destroy_during_class_update, "2,4") {
  KREQUIRE(FCMFactory::CreateDefault() == kOk, "no factory");
  ChurnArgs* ca = static_cast<ChurnArgs*>(kzalloc(sizeof(ChurnArgs)));
  ca->per_cpu = ktest::arg("instances", 200) / ncpus();
  u64 live = ca->per_cpu * ncpus();
  ca->refs = static_cast<obj::ObjRef<FCM>*>(kzalloc(sizeof(obj::ObjRef<FCM>) * live));
  ca->ready = new Latch(ncpus());
  ca->done = new Latch(ncpus());
  KREQUIRE(ktest::start_threads(ncpus(), churn_worker, ca, "destroying worker"), "no thread");
  upd::wait_uncounted(*ca->ready);
  u64 queued0 = obj::g_deferred_destroys;
  upd::UpdateContext ctx;
  ctx.seq = 2001;
  u64 t0 = mach::cycles();
  upd::ModuleOutcome o = upd::run_module(mod_fcm_v1_start, uval(mod_fcm_v1_end - mod_fcm_v1_start), ctx);
  u64 cycles = mach::cycles() - t0;
  Thread::sleep_cycles(100000);  // destroys after the update, through the new factory
  ca->stop = 1;
  upd::wait_uncounted(*ca->done);
  KREQUIRE(o.loaded && o.init_result == 0, "the FCM module failed: %s (init %ld)", o.reason, o.init_result);
  obj::Factory* f = static_cast<obj::Factory*>(obj::root_of(DREF_FACTORY_DEFAULT(FCM).idx));
  u64 tracked = f->instances();
  kprintf("destroy during class update: %lu swapped, %lu failed, %lu destroys queued and finished by the "
          "swappers; %lu closed and %lu opened by the workers; %lu tracked, %lu live; %lu cycles\n",
          ctx.objects_swapped, ctx.swap_failures, ctx.deferred_destroys, u64(ca->destroyed), u64(ca->created),
          tracked, live, cycles);
  KEXPECT(f->version() == 1, "factory version %lu", f->version());
  KEXPECT(ctx.swap_failures == 0, "%lu swaps failed (a destroyer held a swap up)", ctx.swap_failures);
  KEXPECT(ca->destroyed > live, "only %lu destroys ran during the test", u64(ca->destroyed));
  u64 queued = obj::g_deferred_destroys - queued0;
  KEXPECT(ctx.deferred_destroys == queued, "%lu destroys queued, the swappers finished %lu", queued,
          ctx.deferred_destroys);
  // Nothing lost, nothing leaked: the registry holds exactly the live
  // instances, each once, each of the new class, each callable.
  KEXPECT(tracked == live, "the factory tracks %lu instances, %lu are live", tracked, live);
  u8* seen = static_cast<u8*>(kzalloc(obj::kMaxObjects));
  for (u64 i = 0; i < live; ++i) seen[ca->refs[i].idx] = 1;
  u64 strays = 0, old = 0;
  obj::InstanceRegistry* reg = f->registry();
  for (unsigned c = 0; c < ncpus(); ++c) {
    SpinGuard g(reg->lists[c].lock);
    for (obj::ObjectRoot* r = reg->lists[c].head; r; r = r->inst_next) {
      if (seen[r->ref] != 1 || obj::root_of(r->ref) != r) ++strays;
      else seen[r->ref] = 2;
      if (r->class_version != 1) ++old;
    }
  }
  KEXPECT(strays == 0, "%lu tracked instances are not live (leaked)", strays);
  KEXPECT(old == 0, "%lu instances of the old class remain", old);
  for (u64 i = 0; i < live; ++i) {
    KEXPECT(seen[ca->refs[i].idx] == 2, "live instance %lu is not tracked (lost)", i);
    KEXPECT(ca->refs[i]->classVersion() == 1 && ca->refs[i]->mapPage(2) == kOk, "instance %lu not v1", i);
  }
}
