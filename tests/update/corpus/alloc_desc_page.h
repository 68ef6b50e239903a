// For the corpus's allocator changes: the descriptor-page layout the kernel's
// PageAllocatorKernPinned uses (page_allocator_kern_pinned.cc), which a
// replacement that carves descriptors itself must keep (allocPages checks
// every descriptor it is handed against it).
#pragma once

#include "kernel/page_allocator.h"
#include "kernel/string.h"

namespace corpus {
constexpr u64 kDescPageMagic = 0x4d44455343504147ull;  // "MDESCPAG"
constexpr uval kDescPageHeader = 32;

inline bool desc_fits(uval p, uval size) {
  uval page = p & ~(kPageSize - 1), off = p - page;
  if (!page || off < kDescPageHeader || off + size > kPageSize) return false;
  const u64* h = reinterpret_cast<const u64*>(page);
  return h[0] == kDescPageMagic && h[1] == page;
}

// A fresh descriptor page; returns its first free slot (0: no memory).
inline uval new_desc_page() {
  void* pg = alloc_pages(1);
  if (!pg) return 0;
  memset(pg, 0, kPageSize);
  u64* h = static_cast<u64*>(pg);
  h[0] = kDescPageMagic;
  h[1] = uval(pg);
  return uval(pg) + kDescPageHeader;
}
}  // namespace corpus
