// alloc_new_layout_refused — PageAllocatorKernPinned, kind: must-refuse
// (unsafe: state cannot be transferred).
// A rewrite of the allocator with a new state layout (descriptors in a
// per-size table instead of a bump pointer) whose author wrote only an
// importer for its own format (kXferCopyV1) and no converter from version
// 0's: swapping it in would start the allocator empty and forget every
// allocation made so far. The hot swap finds no transfer format both sides
// speak and refuses before anything changes.
// The test: the update is refused with the transfer reason; the running
// allocator is still version 0's and allocates and frees under the load.
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

constexpr u64 kXferCopyV1 = 1ull << 1;

class PageAllocatorSizeTable final : public PageAllocatorKernPinned {
 public:
  void pinnedInit() override {}
  u64 export_formats() override { return kXferCopyV1; }
  u64 import_formats() override { return kXferCopyV1; }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    return format == kXferCopyV1 ? kOk : kErrInvalid;
  }
  u64 classVersion() const override { return 2; }
  const char* class_name() const override { return "PageAllocatorSizeTable"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorSizeTable();
  if (!p) return 1;
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
