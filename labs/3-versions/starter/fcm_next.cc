// Lab 3, versions: the next version of the FCM class (guest_os/objects/
// fcm.h), delivered as a class update through its factory. The same source
// is built as two modules: -DFCM_NEXT_VERSION=2 (a leap over version 1,
// which the running version 0 must refuse, changing nothing) and
// -DFCM_NEXT_VERSION=1 (the immediate successor, which must apply to every
// live FCM while the CPUs keep mapping and unmapping pages).
//
// Fill in the two holes; then
//   ./dusim run labs/work/3/lab3.yaml    # your own run, on 4 CPUs
//   ./dusim lab check 3                  # the grader, on its machines
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

#ifndef FCM_NEXT_VERSION
#define FCM_NEXT_VERSION 1
#endif

// The class: unmapPage asks only the CPUs that map the page (as
// scenarios/fcm-unmap-optimisation/fcm_v1.cc does) and reports its version.
// The lab is about who may replace whom. Its pages stay in the back end
// (kXferSharedBackEnd).
class FCMDefault_next : public FCMDefault {
 public:
  explicit FCMDefault_next(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    u64 mask = pages_->page[page].mapped_cpus;
    u64 ipis = mask ? shootdown(page, mask) : 0;
    pages_->page[page].mapped_cpus = 0;
    report_unmap(page, ipis, t0, FCM_NEXT_VERSION);
    return kOk;
  }
  u64 classVersion() override { return FCM_NEXT_VERSION; }
  const char* class_name() const override { return "FCMDefault_next"; }
};

class FCMFactory_next : public FCMFactory {
 public:
  FCMFactory_next() : FCMFactory(FCM_NEXT_VERSION) {}

  // update_class asks the new factory whether it may replace the running
  // one, before anything changes (the VERSION phase, VERSION_CHECK).
  bool accepts_predecessor(u64 running_version) const override {
    // ---- LAB 3: YOUR CODE HERE -------------------------------------------
    // Accept only the running version this class is the successor of.
    return true;
    // ---- END OF LAB 3 ----------------------------------------------------
  }

  // A new instance to take `old`'s place; the hot swap moves old's pages
  // into it (shared back end), so it starts without one.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot* old) override {
    // ---- LAB 3: YOUR CODE HERE -------------------------------------------
    return nullptr;
    // ---- END OF LAB 3 ----------------------------------------------------
  }
  const char* class_name() const override { return "FCMFactory_next"; }

 protected:
  // New files opened after the factory swap get this class.
  FCMDefault* make(FCMPages* b) override { return new FCMDefault_next(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMFactory_next();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
