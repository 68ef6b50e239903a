// The FCM unmapPage optimisation: FCMDefault_v1's unmapPage first checks
// whether the page is mapped anywhere and asks only the CPUs that map it,
// where version 0 interrupts every other CPU and waits for all of them.
// Hundreds of FCMs are live and files keep opening, so the class is updated
// through its factory: FCMFactory_v1 replaces the factory (new files get
// the new class from then on), then every existing instance is hot-swapped
// to a FCMDefault_v1 that takes over its pages (shared back end: nothing
// is copied).
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

// The class and factory version; the guest update tests also build this
// module with -DFCM_VERSION=5 (a version the kernel refuses to go back from).
#ifndef FCM_VERSION
#define FCM_VERSION 1
#endif
// -DFCM_LAZY: each instance converted after its next call instead of all at
// once (the guest update tests; upd::ClassUpdate::kLazy).
#ifdef FCM_LAZY
#define FCM_MODE upd::ClassUpdate::kLazy
#else
#define FCM_MODE upd::ClassUpdate::kEager
#endif

class FCMDefault_v1 : public FCMDefault {
 public:
  explicit FCMDefault_v1(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    // (MMU on: the bits are taken before the HPTE goes; see mapPage.)
    u64 mask = pages_->ea_base ? mapped_cpus_taken(page) : mappedMask(page);
    u64 ipis = mask ? shootdown(page, mask) : 0;  // the check version 0 lacks
    if (!pages_->ea_base && mask) pages_->at(page).mapped_cpus = 0;
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
  auto* f = new FCMFactory_v1();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f, FCM_MODE) == kOk ? 0 : 1;
}
