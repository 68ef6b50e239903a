// The kernel heap (heap.h).
//
// Small blocks come from 64 KiB slabs (aligned to 64 KiB, so a block finds
// its slab header by masking its address); each slab serves one size class.
// Large blocks get their own page run, also 64 KiB-aligned, with the same
// header. Per-CPU caches hold up to kCacheMax free blocks per class and are
// touched only by their CPU with interrupts off; the shared free list of a
// class is under that class's spinlock.
#include "kernel/heap.h"

#include "kernel/irq.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

namespace {

constexpr uval kSlabSize = 65536;
constexpr uval kHeaderSize = 128;  // one cache line, so blocks never share it with the header
constexpr unsigned kClasses = 11;  // 16 B .. 16 KiB
constexpr u32 kCacheMax = 32;
constexpr u64 kSlabMagic = 0x534c414253534c42ull;
constexpr u64 kLargeMagic = 0x4c415247454c4152ull;

struct SlabHeader {
  u64 magic;
  u64 cls;     // size class, or the page count of a large block
};

struct FreeBlock {
  FreeBlock* next;
};

struct alignas(KERNEL_CACHE_LINE) ClassState {
  SpinLock lock;
  FreeBlock* free;
};

ClassState g_classes[kClasses];

struct alignas(KERNEL_CACHE_LINE) CpuStats {
  u64 allocs, frees, bytes, large;
};
CpuStats g_stats[kMaxCpus];

uval class_size(unsigned c) { return uval(16) << c; }

int class_for(uval size) {
  for (unsigned c = 0; c < kClasses; ++c)
    if (size <= class_size(c)) return int(c);
  return -1;
}

// Class lock held: carve a new slab into the shared free list.
bool grow(unsigned c) {
  uval a = 0;
  if (page_allocator().allocPages(a, kSlabSize) != kOk) return false;
  SlabHeader* h = reinterpret_cast<SlabHeader*>(a);
  h->magic = kSlabMagic;
  h->cls = c;
  uval sz = class_size(c);
  uval first = round_up<uval>(a + kHeaderSize, sz < kHeaderSize ? sz : kHeaderSize);
  for (uval p = a + kSlabSize - sz; p >= first; p -= sz) {
    FreeBlock* b = reinterpret_cast<FreeBlock*>(p);
    b->next = g_classes[c].free;
    g_classes[c].free = b;
  }
  return true;
}

}  // namespace

void heap_init() {}

void* kmalloc(uval size) {
  if (size == 0) size = 1;
  int c = class_for(size);
  u64 f = irq_save();
  PerCpu* cpu = this_cpu();
  CpuStats& st = g_stats[cpu->cpu];
  if (c < 0) {
    uval bytes = round_up<uval>(size + kHeaderSize, kSlabSize);
    uval a = 0;
    if (page_allocator().allocPages(a, bytes) != kOk) {
      irq_restore(f);
      return nullptr;
    }
    SlabHeader* h = reinterpret_cast<SlabHeader*>(a);
    h->magic = kLargeMagic;
    h->cls = bytes >> kPageShift;
    ++st.allocs, ++st.large, st.bytes += bytes;
    irq_restore(f);
    return reinterpret_cast<void*>(a + kHeaderSize);
  }
  FreeBlock* b = static_cast<FreeBlock*>(cpu->heap_cache[c]);
  if (!b) {
    // Refill the per-CPU cache with up to half its capacity from the shared list.
    ClassState& cs = g_classes[c];
    cs.lock.acquire();
    for (u32 i = 0; i < kCacheMax / 2; ++i) {
      if (!cs.free && !grow(unsigned(c))) break;
      FreeBlock* x = cs.free;
      cs.free = x->next;
      x->next = static_cast<FreeBlock*>(cpu->heap_cache[c]);
      cpu->heap_cache[c] = x;
      ++cpu->heap_cache_count[c];
    }
    cs.lock.release();
    b = static_cast<FreeBlock*>(cpu->heap_cache[c]);
    if (!b) {
      irq_restore(f);
      return nullptr;
    }
  }
  cpu->heap_cache[c] = b->next;
  --cpu->heap_cache_count[c];
  ++st.allocs, st.bytes += class_size(unsigned(c));
  irq_restore(f);
  return b;
}

void* kzalloc(uval size) {
  void* p = kmalloc(size);
  if (p) memset(p, 0, size);
  return p;
}

uval kmalloc_usable_size(void* p) {
  SlabHeader* h = reinterpret_cast<SlabHeader*>(uval(p) & ~(kSlabSize - 1));
  if (h->magic == kLargeMagic) return (h->cls << kPageShift) - kHeaderSize;
  KASSERT_MSG(h->magic == kSlabMagic, "kmalloc_usable_size(%p): not a heap block", p);
  return class_size(unsigned(h->cls));
}

void kfree(void* p) {
  if (!p) return;
  SlabHeader* h = reinterpret_cast<SlabHeader*>(uval(p) & ~(kSlabSize - 1));
  u64 f = irq_save();
  PerCpu* cpu = this_cpu();
  CpuStats& st = g_stats[cpu->cpu];
  if (h->magic == kLargeMagic) {
    KASSERT_MSG(uval(p) == uval(h) + kHeaderSize, "kfree(%p): not the start of a heap block", p);
    uval bytes = h->cls << kPageShift;
    h->magic = 0;
    ++st.frees, st.bytes -= bytes;
    page_allocator().deallocPages(uval(h), bytes);
    irq_restore(f);
    return;
  }
  KASSERT_MSG(h->magic == kSlabMagic, "kfree(%p): not a heap block", p);
  unsigned c = unsigned(h->cls);
  FreeBlock* b = static_cast<FreeBlock*>(p);
  b->next = static_cast<FreeBlock*>(cpu->heap_cache[c]);
  cpu->heap_cache[c] = b;
  ++st.frees, st.bytes -= class_size(c);
  if (++cpu->heap_cache_count[c] > kCacheMax) {
    // Give half back to the shared list.
    ClassState& cs = g_classes[c];
    cs.lock.acquire();
    for (u32 i = 0; i < kCacheMax / 2; ++i) {
      FreeBlock* x = static_cast<FreeBlock*>(cpu->heap_cache[c]);
      cpu->heap_cache[c] = x->next;
      x->next = cs.free;
      cs.free = x;
      --cpu->heap_cache_count[c];
    }
    cs.lock.release();
  }
  irq_restore(f);
}

HeapStats heap_stats() {
  HeapStats s{};
  for (unsigned n = 0; n < g_ncpus; ++n) {
    s.allocs += g_stats[n].allocs;
    s.frees += g_stats[n].frees;
    s.bytes_in_use += g_stats[n].bytes;
    s.large_allocs += g_stats[n].large;
  }
  return s;
}
