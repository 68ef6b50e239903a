// alloc_cas_bump — PageAllocatorKernPinned, kind: fix (race).
// The version-0 allocator's getNextForMDH reads and advances the descriptor
// bump pointer without a lock, so two CPUs can take the same descriptor
// (OBJ_DOUBLE_ALLOC). This fix advances the pointer with a compare-and-swap
// (no lock on the fast path) and refills a page under a lock taken only
// when the page is full. Hot swap of the single instance (update_object),
// state by copy (kXferCopyV0).
// The test: double allocations under load before (the symptom, within at
// most 16 windows), none in 2 windows of the same load after.
#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "kernel/spinlock.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"
#include "alloc_desc_page.h"

class PageAllocatorCasBump final : public PageAllocatorKernPinned {
 public:
  void pinnedInit() override { new (&refill_) SpinLock(); }
  void* getNextForMDH(uval size) override {
    volatile u64* next = reinterpret_cast<volatile u64*>(&nextMemDesc_);
    for (;;) {
      uval p = *next;
      if (corpus::desc_fits(p, size)) {
        if (atomic_cas(next, p, p + size) == p) return reinterpret_cast<void*>(p);
        continue;
      }
      SpinGuard g(refill_);
      if (*next != p) continue;  // another CPU refilled meanwhile
      uval fresh = corpus::new_desc_page();
      if (!fresh) return nullptr;
      store_once(memDescPageEnd_, fresh - corpus::kDescPageHeader + kPageSize);
      mach::lwsync();  // the page's header before the pointer into it
      *next = fresh + size;
      return reinterpret_cast<void*>(fresh);
    }
  }
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorCasBump"; }

 private:
  SpinLock refill_;
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorCasBump();
  if (!p) return 1;
  p->pinnedInit();
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
