// alloc_dealloc_size — PageAllocatorKernPinned, kind: fix (bad input).
// deallocPages(addr, size) checks that addr was handed out but not that size
// is what was allocated: freeing a 2-page block with size 1 page returns kOk,
// frees one page and leaks the other (and a size too large frees pages that
// belong to someone else). The fix refuses a size that differs from the
// descriptor's, with nothing freed. Hot swap of the single instance, state by
// copy; the descriptor pointer is version 0's.
// The test: a 2-page block freed with 1 page is accepted before (the
// symptom); after, the same is refused and the right size frees the block.
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorSizeCheck final : public PageAllocatorKernPinned {
 public:
  void pinnedInit() override {}
  SysStatus deallocPages(uval addr, uval size) override {
    MemDesc* d = descOfPage_[addr / kPageSize % npages_];
    if (!d || d->addr != addr || d->size != size) return kErrInvalid;
    return PageAllocatorKernPinned::deallocPages(addr, size);
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorSizeCheck"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorSizeCheck();
  if (!p) return 1;
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
