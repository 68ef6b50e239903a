// The kernel heap: kmalloc/kfree and C++ new/delete.
//
// Power-of-two size classes from 16 bytes to 16 KiB carved out of pages;
// larger requests go to the page allocator directly. Each CPU keeps a small
// cache per class (touched only by its CPU, interrupts off); the shared free
// lists behind them are under one spinlock per class.
#pragma once

#include "kernel/types.h"

void* kmalloc(uval size);   // 16-byte aligned; nullptr when memory is exhausted
void* kzalloc(uval size);
void kfree(void* p);
uval kmalloc_usable_size(void* p);
// n zeroed objects of type T, each constructed in place; nullptr when memory
// is exhausted. Freed with kfree (no destructors run).
template <typename T>
T* kzalloc_array(uval n) {
  T* a = static_cast<T*>(kzalloc(sizeof(T) * n));
  if (a)
    for (uval i = 0; i < n; ++i) new (&a[i]) T();
  return a;
}
void heap_init();

struct HeapStats {
  u64 allocs, frees, bytes_in_use, large_allocs;
};
HeapStats heap_stats();
