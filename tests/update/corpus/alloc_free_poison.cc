// alloc_free_poison — PageAllocatorKernPinned, kind: feature (debugging).
// A use-after-free of a page goes unnoticed: the freed page keeps its old
// contents until someone else writes it. This version fills every page it
// frees with a poison pattern (0x6b bytes, as Linux's slab poisoning) before
// handing it back, so a stale reader sees 0x6b6b6b6b6b6b6b6b instead of
// plausible data. Hot swap of the single instance, state by copy.
// The test: a page written, freed, and read in its middle still holds the
// data before; after, it holds the poison.
#include "kernel/string.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorPoison final : public PageAllocatorKernPinned {
 public:
  void pinnedInit() override {}
  SysStatus deallocPages(uval addr, uval size) override {
    MemDesc* d = descOfPage_[addr / kPageSize % npages_];
    if (!d || d->addr != addr) return kErrInvalid;
    memset(reinterpret_cast<void*>(addr), 0x6b, size / kPageSize * kPageSize);
    return PageAllocatorKernPinned::deallocPages(addr, size);
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorPoison"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorPoison();
  if (!p) return 1;
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
