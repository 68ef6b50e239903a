// The allocator race of scenarios/allocator-race-fix.yaml, fixed without a
// lock on the common path: the bump pointer advances by compare-and-swap,
// so two CPUs can no longer take the same descriptor, and only a CPU that
// finds the descriptor page used up takes a lock, to start the next page.
#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/spinlock.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorKernPinned_CAS : public PageAllocatorKernPinned {
 public:
  void* getNextForMDH(uval size) override {
    for (;;) {
      uval end = load_once(memDescPageEnd_);
      uval p = load_once(nextMemDesc_);
      // The fast path only for a pointer inside the page that `end` ends
      // (a pointer and an end read on either side of a page change do not match).
      bool same_page = p != 0 && (p & ~(kPageSize - 1)) == ((end - kPageSize) & ~(kPageSize - 1));
      if (same_page && p + size <= end) {
        if (atomic_cas(bump_pointer(), p, p + size) == p) return reinterpret_cast<void*>(p);
        continue;  // another CPU took it: read again
      }
      // The page is used up (or the pointer is one version 0's race left
      // behind): one CPU at a time starts a new page, as version 0 would.
      SpinGuard g(refill_);
      if (load_once(nextMemDesc_) != p || load_once(memDescPageEnd_) != end) continue;  // someone else did
      return PageAllocatorKernPinned::getNextForMDH(size);
    }
  }
  u64 classVersion() const override { return 2; }
  const char* class_name() const override { return "PageAllocatorKernPinned_CAS"; }

 private:
  volatile u64* bump_pointer() { return reinterpret_cast<volatile u64*>(&nextMemDesc_); }
  SpinLock refill_;  // its constructor runs in dusim_module_init (new)
};

// Runs in a kernel thread of the module service once the module is loaded;
// returns 0 when the update applied.
extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorKernPinned_CAS();
  if (!p) return 1;
  p->pinnedInit();  // its own descriptor table, replaced by the old one's in the state transfer
  // The new object's memory as a statistics range: report.json's objects[].
  ev::name_range("PageAllocatorKernPinned_CAS", uval(p), sizeof(*p));
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
