// The boot page allocator: a binary buddy system (page_allocator.h).
//
// Locking and synchronization: one spinlock (interrupts off while held)
// guards the free lists and the per-page order map; allocation may happen in
// interrupt handlers (thread creation from a cross-CPU call).
//
// Block indices are relative to base_, so a block of order k starts at an
// index that is a multiple of 2^k and its buddy is index ^ 2^k. A request is
// rounded up to a power of two pages; the block is aligned to its size
// (relative to base_, which is itself 64 KiB-aligned).
#include "kernel/page_allocator.h"

#include "kernel/events.h"
#include "kernel/panic.h"
#include "kernel/string.h"

namespace {
// order_of_[page]: 0 = not the head of a free block, else the block's order + 1.
// Zero means "not free" so the map needs no initialisation: RAM starts zeroed.
constexpr u8 kNotFree = 0;
alignas(BuddyPageAllocator) u8 g_boot_allocator_storage[sizeof(BuddyPageAllocator)];
PageAllocator* g_installed = nullptr;
}  // namespace

PageAllocator& page_allocator() { return *g_installed; }

PageAllocator* install_page_allocator(PageAllocator* a) {
  PageAllocator* old = g_installed;
  g_installed = a;
  return old;
}

SysStatus BuddyPageAllocator::Create(uval base, uval size, BuddyPageAllocator** out) {
  uval aligned = round_up<uval>(base, 65536);
  if (aligned >= base + size) return kErrNoMemory;
  uval npages = (base + size - aligned) >> kPageShift;
  base = aligned;
  if (npages < 64) return kErrNoMemory;
  // The order map lives at the start of the region, taken out of it.
  uval map_pages = round_up<uval>(npages, kPageSize) >> kPageShift;
  BuddyPageAllocator* a = new (g_boot_allocator_storage) BuddyPageAllocator();
  a->order_of_ = reinterpret_cast<u8*>(base);
  a->base_ = base;
  a->npages_ = npages;
  for (auto& f : a->free_) f = nullptr;
  uval first = round_up<uval>(map_pages, 16);  // keep the map's pages out
  for (uval i = first; i < npages;) {
    unsigned o = 0;
    while (o < kMaxOrder && (i & ((uval(1) << (o + 1)) - 1)) == 0 && i + (uval(1) << (o + 1)) <= npages) ++o;
    a->push(o, i);
    a->free_pages_ += uval(1) << o;
    i += uval(1) << o;
  }
  *out = a;
  return kOk;
}

unsigned BuddyPageAllocator::order_for(uval size) const {
  uval pages = (size + kPageSize - 1) >> kPageShift;
  unsigned o = 0;
  while ((uval(1) << o) < pages) ++o;
  return o;
}

void BuddyPageAllocator::push(unsigned order, uval page) {
  FreeBlock* b = reinterpret_cast<FreeBlock*>(base_ + (page << kPageShift));
  b->prev = nullptr;
  b->next = free_[order];
  if (b->next) b->next->prev = b;
  free_[order] = b;
  order_of_[page] = u8(order + 1);
}

void BuddyPageAllocator::unlink(unsigned order, uval page) {
  FreeBlock* b = reinterpret_cast<FreeBlock*>(base_ + (page << kPageShift));
  if (b->prev) b->prev->next = b->next;
  else free_[order] = b->next;
  if (b->next) b->next->prev = b->prev;
  order_of_[page] = kNotFree;
}

SysStatus BuddyPageAllocator::allocPages(uval& addr, uval size) {
  if (size == 0) return kErrInvalid;
  unsigned want = order_for(size);
  if (want > kMaxOrder) return kErrNoMemory;
  SpinGuard g(lock_);
  unsigned o = want;
  while (o <= kMaxOrder && !free_[o]) ++o;
  if (o > kMaxOrder) {
    ev::emit(ev::PAGES_EXHAUSTED, uval(1) << want, free_pages_);
    return kErrNoMemory;
  }
  uval page = (uval(free_[o]) - base_) >> kPageShift;
  unlink(o, page);
  while (o > want) {
    --o;
    push(o, page + (uval(1) << o));
  }
  free_pages_ -= uval(1) << want;
  addr = base_ + (page << kPageShift);
  return kOk;
}

SysStatus BuddyPageAllocator::deallocPages(uval addr, uval size) {
  if (addr < base_ || addr >= limit() || (addr & (kPageSize - 1))) return kErrInvalid;
  unsigned o = order_for(size);
  uval page = (addr - base_) >> kPageShift;
  SpinGuard g(lock_);
  KASSERT_MSG(order_of_[page] == kNotFree, "pages at 0x%lx freed twice", addr);
  free_pages_ += uval(1) << o;
  while (o < kMaxOrder) {
    uval buddy = page ^ (uval(1) << o);
    if (buddy + (uval(1) << o) > npages_ || order_of_[buddy] != o + 1) break;
    unlink(o, buddy);
    if (buddy < page) page = buddy;
    ++o;
  }
  push(o, page);
  return kOk;
}

uval BuddyPageAllocator::freeBytes() {
  SpinGuard g(lock_);
  return free_pages_ << kPageShift;
}

void* alloc_pages(uval npages) {
  uval a = 0;
  return page_allocator().allocPages(a, npages << kPageShift) == kOk ? reinterpret_cast<void*>(a) : nullptr;
}

void free_pages(void* p, uval npages) {
  SysStatus s = page_allocator().deallocPages(uval(p), npages << kPageShift);
  KASSERT_MSG(s == kOk, "free_pages(%p, %lu): bad address", p, npages);
}

void pages_init(uval base, uval limit) {
  BuddyPageAllocator* a = nullptr;
  SysStatus s = BuddyPageAllocator::Create(base, limit - base, &a);
  KASSERT_MSG(s == kOk, "no memory for the page allocator: [0x%lx, 0x%lx)", base, limit);
  install_page_allocator(a);
  ev::emit(ev::PAGES_INIT, a->base(), a->limit() - a->base(), kPageSize);
}
