// PageAllocatorKernPinned: the kernel's pinned page allocator as a
// hot-swappable object (seed FIG. 2). It hands out pages from the kernel's
// buddy allocator and keeps one small memory descriptor (MemDesc) per
// allocation, carved out of pinned pages by a bump pointer in
// getNextForMDH(size): read the next-free pointer, take a fresh page when
// the request would cross the page end, advance the pointer, return the old
// value.
//
// Version 0 has the seed's race: getNextForMDH takes no lock, so two CPUs
// can read the same pointer and hand out the same descriptor (or lose a
// page). Instead of crashing, allocPages claims each descriptor with a
// compare-and-swap of its state word; a descriptor that was already claimed
// is a double allocation: it is counted, reported (OBJ_DOUBLE_ALLOC) and a
// new descriptor is taken. The fix (a module: inherits, adds the lock) is
// scenarios/allocator-race-fix/fix.cc, which the update tests load too.
//
// Locking and synchronization: none in version 0 for the descriptor bump
// pointer (that is the bug); the page table of descriptors is written only
// by the allocating CPU for pages it owns; counters are atomic.
#pragma once

#include "kernel/page_allocator.h"
#include "objects/object_table.h"
#include "update/state_transfer.h"

struct MemDesc {
  volatile u64 state;  // 0 free, 1 in use, 2 retired
  uval addr;
  uval size;
  u64 cpu;
};

class PageAllocatorKernPinned : public PageAllocator, public obj::ObjectRoot {
 public:
  static SysStatus Create(PageAllocatorKernPinned** out);
  virtual ~PageAllocatorKernPinned() = default;

  SysStatus allocPages(uval& addr, uval size) override;
  SysStatus deallocPages(uval addr, uval size) override;
  uval freeBytes() override;
  virtual void pinnedInit();
  virtual void* getNextForMDH(uval size);
  virtual u64 classVersion() const { return 0; }
  virtual u64 doubleAllocations() const { return double_allocs_; }
  virtual u64 allocations() const { return allocs_; }

  // ObjectRoot
  void* rep_for(unsigned) override { return this; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool keep_back_end) override { delete this; }
  const char* class_name() const override { return "PageAllocatorKernPinned"; }

  // The single instance's reference (set up by pinned_allocator_init()).
  static obj::ObjRef<PageAllocatorKernPinned> ref;

 protected:
  PageAllocatorKernPinned() = default;
  struct State {  // kXferCopyV0
    uval nextMemDesc, memDescPageEnd;
    MemDesc** descOfPage;
    uval base, npages;
    u64 double_allocs, allocs, frees;
  };
  uval nextMemDesc_ = 0;
  uval memDescPageEnd_ = 0;
  MemDesc** descOfPage_ = nullptr;
  uval base_ = 0, npages_ = 0;
  volatile u64 double_allocs_ = 0;
  volatile u64 allocs_ = 0;
  volatile u64 frees_ = 0;
};

// Creates the single instance and its table entry (idempotent).
SysStatus pinned_allocator_init();
extern volatile u64 g_double_allocations;  // every detection, across versions
