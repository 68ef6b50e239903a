// fcm_map_fastpath_lazy — FCM (FCMDefault, every instance), kind: perf
// (caching), applied lazily.
// mapPage always does an atomic OR of the CPU's bit into the page's mask,
// even when the bit is set already: a store-conditional that takes the line
// exclusive and moves it away from every CPU reading it. This version reads
// the mask first and writes only when its bit is missing. Hundreds of open
// files would each block for a swap, so the class is updated lazily
// (upd::ClassUpdate::kLazy): the factory now, each instance converted after
// its next call; the old class's code stays until the last is converted.
// The test: every CPU's FCMs called under load; after the update every one
// is converted (classVersion 1), its mappings intact (each map shows the
// caller's bit), and the lazy record counts every armed instance converted.
#include "kernel/atomic.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

class FCMMapFast final : public FCMDefault {
 public:
  explicit FCMMapFast(FCMPages* b) : FCMDefault(b) {}
  SysStatus mapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    FCMPage& p = pages_->page[page];
    u64 bit = 1ull << cpu_id();
    if (p.frame && (p.mapped_cpus & bit)) return kOk;  // mapped here already: nothing to write
    return FCMDefault::mapPage(page);
  }
  u64 classVersion() override { return 1; }
  const char* class_name() const override { return "FCMMapFast"; }
};

class FCMMapFastFactory final : public FCMFactory {
 public:
  FCMMapFastFactory() : FCMFactory(1) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMMapFast(nullptr); }
  const char* class_name() const override { return "FCMMapFastFactory"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMMapFast(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMMapFastFactory();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f, upd::ClassUpdate::kLazy) == kOk ? 0 : 1;
}
