// alloc_round_up — PageAllocatorKernPinned, kind: fix (off-by-one).
// allocPages(addr, size) hands out size / kPageSize pages: a request that is
// not a whole number of pages (4097 bytes) gets one page too few, and the
// caller writes into a page it does not own (a request below one page fails
// after wasting a descriptor). The fix rounds every size up to whole pages,
// in allocPages and deallocPages alike, and refuses a size of 0. It keeps
// version 0's lock-free descriptor pointer (a separate change). Hot swap of
// the single instance, state by copy.
// The test: eight 4097-byte allocations on a quiet system take 8 pages before
// (the symptom) and 16 after; each is freed with the size it was asked with.
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorRoundUp final : public PageAllocatorKernPinned {
 public:
  void pinnedInit() override {}
  SysStatus allocPages(uval& addr, uval size) override {
    if (size == 0) return kErrInvalid;
    return PageAllocatorKernPinned::allocPages(addr, round_up<uval>(size, kPageSize));
  }
  SysStatus deallocPages(uval addr, uval size) override {
    return PageAllocatorKernPinned::deallocPages(addr, round_up<uval>(size, kPageSize));
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorRoundUp"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorRoundUp();
  if (!p) return 1;
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
