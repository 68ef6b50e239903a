// Physical page allocation for the kernel.
//
// The interface is deliberately narrow (allocate pages, free pages, ask how
// much is free) because it becomes the hot-swappable PageAllocatorKernPinned
// object of the clustered-object runtime (issue 5): the kernel reaches the
// allocator only through page_allocator(), which returns whatever object is
// installed; the update machinery may install one that forwards through the
// object translation table, or swap implementations at run time.
//
// Memory is real-mode physical memory: an address is a pointer.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/types.h"

constexpr uval kPageSize = 4096;
constexpr unsigned kPageShift = 12;

class PageAllocator {
 public:
  // Allocates `size` bytes (a multiple of kPageSize), aligned to kPageSize
  // (the buddy allocator aligns to the block size it rounds up to).
  // Returns kOk or kErrNoMemory.
  virtual SysStatus allocPages(uval& addr, uval size) = 0;
  // Frees what allocPages returned (same size).
  virtual SysStatus deallocPages(uval addr, uval size) = 0;
  virtual uval freeBytes() = 0;

 protected:
  ~PageAllocator() = default;
};

// The installed allocator. Installing returns the previous one.
PageAllocator& page_allocator();
PageAllocator* install_page_allocator(PageAllocator* a);

// The boot allocator: a binary buddy system over [base, base+size) under one
// spinlock. Exposed so that replacements can wrap or extend it.
class BuddyPageAllocator final : public PageAllocator {
 public:
  static SysStatus Create(uval base, uval size, BuddyPageAllocator** out);
  SysStatus allocPages(uval& addr, uval size) override;
  SysStatus deallocPages(uval addr, uval size) override;
  uval freeBytes() override;
  uval base() const { return base_; }
  uval limit() const { return base_ + (npages_ << kPageShift); }

 private:
  static constexpr unsigned kMaxOrder = 20;  // 4 GiB blocks
  struct FreeBlock {
    FreeBlock* next;
    FreeBlock* prev;
  };
  unsigned order_for(uval size) const;
  void push(unsigned order, uval page);
  void unlink(unsigned order, uval page);

  SpinLock lock_;
  uval base_ = 0;
  uval npages_ = 0;
  uval free_pages_ = 0;
  u8* order_of_;      // per page: 0 not a free block head, else the free block's order + 1
  FreeBlock* free_[kMaxOrder + 1];
};

// Convenience wrappers through the installed allocator.
void* alloc_pages(uval npages);   // nullptr when exhausted
void free_pages(void* p, uval npages);

void pages_init(uval base, uval limit);
