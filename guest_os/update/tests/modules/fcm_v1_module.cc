// The FCM optimisation as an update module: a new class whose unmapPage
// first checks whether the page is mapped anywhere, and a new factory
// (version FCM_VERSION, default 1) that makes it; init runs the class update
// (factory swap, then every instance).
#include "kernel/events.h"
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

#ifndef FCM_VERSION
#define FCM_VERSION 1
#endif

class FCMDefault_v1 : public FCMDefault {
 public:
  FCMDefault_v1(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    u64 mask = pages_->page[page].mapped_cpus;
    u64 ipis = mask ? shootdown(page, mask) : 0;  // the check version 0 lacks
    pages_->page[page].mapped_cpus = 0;
    report_unmap(page, ipis, t0, FCM_VERSION);
    return kOk;
  }
  u64 classVersion() override { return FCM_VERSION; }
  const char* class_name() const override { return "FCMDefault_v1"; }
};

class FCMFactory_v1 : public FCMFactory {
 public:
  FCMFactory_v1() : FCMFactory(FCM_VERSION) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMDefault_v1(nullptr); }
  const char* class_name() const override { return "FCMFactory_v1"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMDefault_v1(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  FCMFactory_v1* f = new FCMFactory_v1();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
