// Lab 7, a deliberately wrong solution (tests only): files opened after the factory swap get version 0. A class update at scale: version 1 of the FCM class (guest_os/
// objects/fcm.h) for a machine with hundreds of live FCMs, while every CPU
// keeps opening new files. The class is written (its unmapPage asks only
// the CPUs that map the page, as scenarios/fcm-unmap-optimisation/
// fcm_v1.cc does); its factory is yours: update_class swaps the factory
// reference first (FACTORY_SWAP: new files come from the new factory from
// then on), then swaps every live instance for the new factory's
// replacement (INSTANCE_SWAPS, in parallel on every CPU).
//
// Fill in the two holes; then
//   ./dusim run labs/work/7/lab7.yaml     # your own run, on 4 CPUs
//   ./dusim lab check 7                   # the grader, on its machines
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

class FCMDefault_v1 : public FCMDefault {
 public:
  explicit FCMDefault_v1(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    u64 mask = pages_->page[page].mapped_cpus;
    u64 ipis = mask ? shootdown(page, mask) : 0;
    pages_->page[page].mapped_cpus = 0;
    report_unmap(page, ipis, t0, 1);
    return kOk;
  }
  u64 classVersion() override { return 1; }
  const char* class_name() const override { return "FCMDefault_v1"; }
};

class FCMFactory_v1 : public FCMFactory {
 public:
  FCMFactory_v1() : FCMFactory(1) {}

  // The instance that takes a live FCM's place: not installed, not tracked;
  // the swap moves the old one's pages into it (a shared back end).
  obj::ObjectRoot* create_replacement(obj::ObjectRoot* old) override {
    return new FCMDefault_v1(nullptr);
  }
  const char* class_name() const override { return "FCMFactory_v1"; }

 protected:
  // The instance for a file opened from now on, with its new back end.
  FCMDefault* make(FCMPages* backend) override {
    return new FCMDefault(backend);  // the deliberate mistake: new files get the old class
  }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMFactory_v1();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
