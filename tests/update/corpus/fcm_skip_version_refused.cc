// fcm_skip_version_refused — FCM factory, kind: must-refuse (incompatible
// version).
// A version-2 FCM class (version 1's unmap check plus a mapping count) built
// on the assumption that version 1 is running: its factory accepts only
// version 1 as its predecessor (accepts_predecessor: running + 1), and the
// running class is version 0. The version check refuses it before the
// factory or any instance is touched.
// The test: the update is refused with the version reason; the factory is
// still version 0 and every FCM under load still answers classVersion 0.
#include "kernel/machine.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

class FCMCounted final : public FCMDefault {
 public:
  explicit FCMCounted(FCMPages* b) : FCMDefault(b) {}
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    u64 mask = mappedMask(page);
    u64 ipis = mask ? shootdown(page, mask) : 0;
    if (mask) pages_->at(page).mapped_cpus = 0;
    ++unmaps_;
    report_unmap(page, ipis, t0, 2);
    return kOk;
  }
  u64 classVersion() override { return 2; }
  const char* class_name() const override { return "FCMCounted"; }

 private:
  u64 unmaps_ = 0;
};

class FCMCountedFactory final : public FCMFactory {
 public:
  FCMCountedFactory() : FCMFactory(2) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMCounted(nullptr); }
  const char* class_name() const override { return "FCMCountedFactory"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMCounted(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMCountedFactory();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
