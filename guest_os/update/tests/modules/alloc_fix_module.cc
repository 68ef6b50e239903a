// The seed's FIG. 2 as an update module: a new class that inherits the buggy
// PageAllocatorKernPinned and adds the lock around getNextForMDH. A single
// instance: hot-swapped without a factory (copying state transfer).
#include "kernel/spinlock.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorKernPinned_Update : public PageAllocatorKernPinned {
 public:
  SpinLock nextMemDescLock;
  void pinnedInit() override {
    new (&nextMemDescLock) SpinLock();
    PageAllocatorKernPinned::pinnedInit();
  }
  void* getNextForMDH(uval size) override {
    SpinGuard al(nextMemDescLock);  // locks now, unlocks on return
    return PageAllocatorKernPinned::getNextForMDH(size);
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorKernPinned_Update"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  PageAllocatorKernPinned_Update* p = new PageAllocatorKernPinned_Update();
  if (!p) return 1;
  p->pinnedInit();
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
