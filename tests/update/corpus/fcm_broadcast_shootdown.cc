// fcm_broadcast_shootdown — FCM (FCMDefault, every instance), kind: perf.
// Version 0's unmapPage asks every other CPU to drop the page one at a time:
// an IPI, wait for that CPU, the next IPI — N-1 round trips in series. This
// version asks them all at once (xcall_all: one broadcast IPI, the calls run
// in parallel, one wait) with the same semantics (every CPU drops the page).
// A class update through the factory (version 1; new files get the new class,
// every open file is swapped; shared back end, nothing copied).
// The test: every CPU's own FCMs mapped and unmapped under load; after the
// update the mean cycles of an unmap are lower than version 0's, and no
// mapping survives its unmap.
#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/xcall.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

namespace {
void drop_here(void* a) {
  FCMPage* p = static_cast<FCMPage*>(a);
  u64 bit = 1ull << cpu_id(), m;
  do {
    m = p->mapped_cpus;
  } while ((m & bit) && atomic_cas(&p->mapped_cpus, m, m & ~bit) != m);
}
}  // namespace

class FCMBroadcast final : public FCMDefault {
 public:
  explicit FCMBroadcast(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    xcall_all(drop_here, &pages_->at(page));
    pages_->at(page).mapped_cpus = 0;
    report_unmap(page, ncpus() - 1, t0, 1);
    return kOk;
  }
  u64 classVersion() override { return 1; }
  const char* class_name() const override { return "FCMBroadcast"; }
};

class FCMBroadcastFactory final : public FCMFactory {
 public:
  FCMBroadcastFactory() : FCMFactory(1) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMBroadcast(nullptr); }
  const char* class_name() const override { return "FCMBroadcastFactory"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMBroadcast(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMBroadcastFactory();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
