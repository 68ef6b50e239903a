// Guest test (label `update`) of an interface change through an adapter
// (upd::update_interface): clients compiled against TallyV1 call the kernel's
// tally (objects/tally.h) on every CPU while the module
// scenarios/interface-adapter/tally_v2.cc changes its interface; afterwards
// clients of TallyV2 find the new object by name and call it directly, while
// the old clients keep calling their old reference, which now names the
// module's adapter. Every call is counted on both sides.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/tally.h"
#include "update/dynamic_update.h"
#include "update/module_service.h"
#include "update/state_transfer.h"
#include "kernel/ktest.h"

extern "C" const u8 mod_tally_v2_start[], mod_tally_v2_end[];

namespace {

struct Clients {
  u32 ref;
  volatile u64 stop;
  volatile u64 adds;
  volatile u64 wrong;
  Latch* done;
};

// A client compiled against version 1.
void old_client(void* a) {
  Clients* c = static_cast<Clients*>(a);
  obj::ObjRef<TallyV1> t{c->ref};
  u64 adds = 0, wrong = 0;
  for (u64 i = cpu_id(); !c->stop; ++i) {
    if (t->add(1) == 0) ++wrong;
    ++adds;
    if (t->echo(i) != (i ^ kTallyEchoKey)) ++wrong;
    Thread::quiescent_point();
  }
  atomic_fetch_add(&c->adds, adds);
  atomic_fetch_add(&c->wrong, wrong);
  c->done->count_down();
}

// A client of version 2, started after the update.
void new_client(void* a) {
  Clients* c = static_cast<Clients*>(a);
  obj::ObjRef<TallyV2> t{c->ref};
  u64 adds = 0, wrong = 0;
  while (!c->stop) {
    if (t->add(1, kPathDirect) == 0) ++wrong;
    ++adds;
    Thread::quiescent_point();
  }
  atomic_fetch_add(&c->adds, adds);
  atomic_fetch_add(&c->wrong, wrong);
  c->done->count_down();
}

Clients* start(void (*fn)(void*), u32 ref) {
  Clients* c = static_cast<Clients*>(kzalloc(sizeof(Clients)));
  c->ref = ref;
  c->done = new Latch(ncpus());
  KASSERT(ktest::start_threads(ncpus(), fn, c, "tally client"));
  return c;
}

void rest(u64 cycles) {
  Thread::quiescent_begin();
  Thread::sleep_cycles(cycles);
  Thread::quiescent_end();
}

}  // namespace

KTEST(update_interface_adapter, "4") {
  tally_init();
  KREQUIRE(strcmp(obj::root_of(g_tally_ref)->class_name(), "TallyShared") == 0, "the tally is not version 1");
  Clients* old_c = start(old_client, g_tally_ref);
  rest(200000);
  upd::UpdateContext ctx;
  ctx.seq = 3001;
  upd::ModuleOutcome o = upd::run_module(mod_tally_v2_start, uval(mod_tally_v2_end - mod_tally_v2_start), ctx);
  KREQUIRE(o.loaded && o.init_result == 0, "the interface change failed: %s (init %ld)", o.reason, o.init_result);
  u32 v2 = upd::find_class("TallyV2");
  KREQUIRE(v2 != 0 && v2 != g_tally_ref, "TallyV2 is not registered under an entry of its own");
  KEXPECT(strcmp(obj::root_of(g_tally_ref)->class_name(), "TallyAdapter") == 0, "the old entry names %s",
          obj::root_of(g_tally_ref)->class_name());
  Clients* new_c = start(new_client, v2);
  rest(300000);
  old_c->stop = new_c->stop = 1;
  upd::wait_uncounted(*old_c->done);
  upd::wait_uncounted(*new_c->done);

  obj::ObjRef<TallyV2> t{v2};
  obj::ObjRef<TallyV1> through_adapter{g_tally_ref};
  u64 value = t->value(), adapted = t->calls(kPathAdapter), direct = t->calls(kPathDirect);
  kprintf("interface change: %lu old-interface calls (%lu before the switch, %lu through the adapter), %lu "
          "new-interface calls, total %lu\n",
          u64(old_c->adds), u64(g_tally_v1_final), adapted, u64(new_c->adds), value);
  KEXPECT(old_c->wrong == 0 && new_c->wrong == 0, "%lu and %lu wrong answers", u64(old_c->wrong), u64(new_c->wrong));
  KEXPECT(g_tally_v1_final + adapted == old_c->adds, "old clients made %lu adds: %lu reached v1, %lu the adapter",
          u64(old_c->adds), u64(g_tally_v1_final), adapted);
  KEXPECT(direct == new_c->adds, "new clients made %lu adds, v2 counted %lu", u64(new_c->adds), direct);
  KEXPECT(value == old_c->adds + new_c->adds, "total %lu, %lu adds were made", value, u64(old_c->adds + new_c->adds));
  KEXPECT(through_adapter->value() == value, "the adapter reads %lu", through_adapter->value());
  KEXPECT(adapted > 0 && direct > 0 && g_tally_v1_final > 0, "some side made no calls");
  // Every CPU's counts came over: what the service counted for each CPU's
  // old and new clients adds up to the calls made.
  u64 old_counted = 0, new_counted = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    old_counted += through_adapter->addsOf(c);
    new_counted += t->addsOf(c, kPathDirect);
  }
  KEXPECT(old_counted == old_c->adds && new_counted == new_c->adds,
          "per-CPU counts: old clients %lu of %lu, new clients %lu of %lu", old_counted, u64(old_c->adds), new_counted,
          u64(new_c->adds));
  upd::UpdateContext r;
  r.seq = 3002;
  KEXPECT(upd::revert(r, ctx.seq) == kErrInvalid &&
              strcmp(r.reason, "an interface change cannot be reverted: clients of the new interface hold its reference") == 0,
          "revert of an interface change: %s", r.reason);
}
