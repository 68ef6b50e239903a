// The seed's FIG. 2 fix: PageAllocatorKernPinned_Update inherits the racy
// version-0 allocator and adds the lock that getNextForMDH lacked. The
// allocator has a single instance, so the update is a hot swap of that one
// object (update_object), without a factory; its state (the descriptor
// bump pointer, the descriptor table, the counters) moves by copy.
#include "kernel/events.h"
#include "kernel/spinlock.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorKernPinned_Update : public PageAllocatorKernPinned {
 public:
  SpinLock nextMemDescLock;
  // The replacement's descriptor table and pointers arrive by state
  // transfer: only the lock is new.
  void pinnedInit() override { new (&nextMemDescLock) SpinLock(); }
  void* getNextForMDH(uval size) override {
    SpinGuard al(nextMemDescLock);  // locks now, unlocks on return
    return PageAllocatorKernPinned::getNextForMDH(size);
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorKernPinned_Update"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorKernPinned_Update();
  if (!p) return 1;
  p->pinnedInit();
  // The new object's memory (with its lock's line) for report.objects.
  ev::name_range("PageAllocatorKernPinned_Update", uval(p), sizeof(*p));
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
