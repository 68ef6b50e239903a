// Lab 1, a deliberately wrong solution (tests only): a lock that excludes nobody. The first hot swap: the fixed class of the pinned page allocator
// (seed FIG. 2). PageAllocatorKernPinned (version 0, guest_os/objects/
// page_allocator_kern_pinned.{h,cc}) hands out memory descriptors with an
// unlocked bump pointer in getNextForMDH; two CPUs can take the same one.
// This module's class inherits version 0 and is hot-swapped in as the
// allocator's single instance while every CPU keeps allocating.
//
// Fill in the hole below (and nothing else needs to change); then
//   ./dusim run labs/work/1/lab1.yaml      # your own run, on 4 CPUs
//   ./dusim lab check 1                    # the grader, on its machines
#include "kernel/events.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "objects/page_allocator_kern_pinned.h"
#include "update/dynamic_update.h"

class PageAllocatorKernPinned_Update : public PageAllocatorKernPinned {
 public:
  // The replacement's descriptor table and pointers arrive by state transfer
  // (kXferCopyV0, inherited); only what this class adds is set up here.
  // The deliberate mistake: one lock per CPU, so two CPUs never wait for
  // each other between the read and the store of the bump pointer. (A lock
  // on the free path, the first wrong solution tried here, hides the race
  // under the ordered sync policy: the free path's contention desynchronises
  // the CPUs, though nothing excludes them.)
  static constexpr unsigned kMaxCpus = 64;
  SpinLock cpuLock[kMaxCpus];
  void pinnedInit() override {
    for (unsigned k = 0; k < kMaxCpus; ++k) new (&cpuLock[k]) SpinLock();
  }
  void* getNextForMDH(uval size) override {
    SpinGuard g(cpuLock[cpu_id() % kMaxCpus]);
    return PageAllocatorKernPinned::getNextForMDH(size);
  }

  // Keep these: the grader tells the new class's calls by class_version 1.
  u64 classVersion() const override { return 1; }
  const char* class_name() const override { return "PageAllocatorKernPinned_Update"; }
};

// Runs in a kernel thread of the module service once the module is loaded.
extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* p = new PageAllocatorKernPinned_Update();
  if (!p) return 1;
  p->pinnedInit();
  // The new object's memory, for report.json's objects[] (its c2c transfers).
  ev::name_range("PageAllocatorKernPinned_Update", uval(p), sizeof(*p));
  return upd::update_object(ctx, PageAllocatorKernPinned::ref.idx, p) == kOk ? 0 : 1;
}
