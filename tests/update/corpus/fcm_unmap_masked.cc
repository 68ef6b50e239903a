// fcm_unmap_masked — FCM (FCMDefault, every instance), kind: perf and fix
// (race).
// Version 0's unmapPage interrupts every other CPU whether or not it maps
// the page, then stores 0 into the page's mask — which also erases the bit of
// a CPU that mapped the page after the shootdown, so that CPU keeps a
// mapping the FCM no longer knows about (the next unmap would not ask it).
// This version asks only the CPUs in the mask, and then clears only the bits
// of the CPUs it asked (a compare-and-swap loop), so a mapping made meanwhile
// survives. A class update through the factory (version 1, shared back end).
// The test: every CPU's own FCMs mapped and unmapped under load; an unmap
// costs far fewer cycles after (no IPI for a page only the caller maps), and
// every map shows the caller's bit and every unmap clears it.
#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

class FCMMasked final : public FCMDefault {
 public:
  explicit FCMMasked(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    volatile u64* m = &pages_->page[page].mapped_cpus;
    u64 asked = *m;
    u64 ipis = asked ? shootdown(page, asked) : 0;
    u64 v;
    do {
      v = *m;
    } while ((v & asked) && atomic_cas(m, v, v & ~asked) != v);
    report_unmap(page, ipis, t0, 1);
    return kOk;
  }
  u64 classVersion() override { return 1; }
  const char* class_name() const override { return "FCMMasked"; }
};

class FCMMaskedFactory final : public FCMFactory {
 public:
  FCMMaskedFactory() : FCMFactory(1) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMMasked(nullptr); }
  const char* class_name() const override { return "FCMMaskedFactory"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMMasked(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMMaskedFactory();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
