#include "objects/page_allocator_kern_pinned.h"

#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

obj::ObjRef<PageAllocatorKernPinned> PageAllocatorKernPinned::ref;
volatile u64 g_double_allocations;

namespace {
SpinLock g_init_lock;

// Every descriptor page starts with a header naming itself, so that a
// descriptor the race handed out from memory that is not a descriptor page
// (see allocPages) can be recognised before anything is written to it.
constexpr u64 kDescPageMagic = 0x4d44455343504147ull;  // "MDESCPAG"
constexpr uval kDescPageHeader = 32;

bool in_descriptor_page(const void* d, uval size) {
  uval page = uval(d) & ~(kPageSize - 1), off = uval(d) - page;
  if (!page || off < kDescPageHeader || off + size > kPageSize) return false;
  const u64* h = reinterpret_cast<const u64*>(page);
  return h[0] == kDescPageMagic && h[1] == page;
}
}  // namespace

SysStatus PageAllocatorKernPinned::Create(PageAllocatorKernPinned** out) {
  auto* p = new PageAllocatorKernPinned();
  if (!p) return kErrNoMemory;
  p->pinnedInit();
  *out = p;
  return kOk;
}

void PageAllocatorKernPinned::pinnedInit() {
  // One descriptor slot per page frame of RAM the buddy allocator manages
  // (found from its address range: every page address maps to a slot).
  extern char _end[];
  base_ = round_up<uval>(uval(_end), kPageSize);
  npages_ = (uval(512) << 20) / kPageSize;  // covers the largest configured RAM
  uval bytes = npages_ * sizeof(MemDesc*);
  descOfPage_ = static_cast<MemDesc**>(alloc_pages(bytes / kPageSize));
  memset(descOfPage_, 0, bytes);
}

void* PageAllocatorKernPinned::getNextForMDH(uval size) {
  // No lock (version 0): the window between reading and advancing the
  // pointer is the seed's race.
  uval p = load_once(nextMemDesc_);
  // A pointer the race left outside a descriptor page starts a fresh page
  // (so the locked subclass repairs what version 0 left behind).
  if (p == 0 || p + size > load_once(memDescPageEnd_) || !in_descriptor_page(reinterpret_cast<void*>(p), size)) {
    void* pg = alloc_pages(1);
    if (!pg) return nullptr;
    memset(pg, 0, kPageSize);
    u64* header = static_cast<u64*>(pg);
    header[0] = kDescPageMagic;
    header[1] = uval(pg);
    p = uval(pg) + kDescPageHeader;
    store_once(memDescPageEnd_, p + kPageSize);
  }
  store_once(nextMemDesc_, p + size);
  return reinterpret_cast<void*>(p);
}

SysStatus PageAllocatorKernPinned::allocPages(uval& addr, uval size) {
  MemDesc* d;
  for (;;) {
    d = static_cast<MemDesc*>(getNextForMDH(sizeof(MemDesc)));
    if (!d) return kErrNoMemory;
    // Besides handing a descriptor out twice, the race can pair one CPU's
    // next-free pointer with another CPU's page end, and hand out
    // "descriptors" past the end of a descriptor page, in memory someone
    // else owns. Both are caught here, before anything is written, and
    // counted together (the seed's corrupted descriptor hand-outs).
    bool foreign = !in_descriptor_page(d, sizeof(MemDesc));
    if (!foreign && atomic_cas(&d->state, 0, 1) == 0) break;
    u64 n = atomic_inc(&double_allocs_);
    atomic_inc(&g_double_allocations);
    ev::emit(ev::OBJ_DOUBLE_ALLOC, uval(d), n);
  }
  void* p = alloc_pages(size / kPageSize);
  if (!p) {
    d->state = 2;
    return kErrNoMemory;
  }
  d->addr = uval(p);
  d->size = size;
  d->cpu = cpu_id();
  descOfPage_[uval(p) / kPageSize % npages_] = d;
  atomic_inc(&allocs_);
  addr = uval(p);
  return kOk;
}

SysStatus PageAllocatorKernPinned::deallocPages(uval addr, uval size) {
  MemDesc*& slot = descOfPage_[addr / kPageSize % npages_];
  MemDesc* d = slot;
  if (!d || d->addr != addr) return kErrInvalid;
  slot = nullptr;
  d->state = 2;  // descriptors are not recycled in this model
  free_pages(reinterpret_cast<void*>(addr), size / kPageSize);
  atomic_inc(&frees_);
  return kOk;
}

uval PageAllocatorKernPinned::freeBytes() { return page_allocator().freeBytes(); }

SysStatus PageAllocatorKernPinned::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  State* s = static_cast<State*>(out.alloc(sizeof(State)));
  if (!s) return kErrNoMemory;
  *s = State{nextMemDesc_, memDescPageEnd_, descOfPage_, base_, npages_, double_allocs_, allocs_, frees_};
  return kOk;
}

SysStatus PageAllocatorKernPinned::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0 || in.bytes != sizeof(State)) return kErrInvalid;
  const State* s = static_cast<const State*>(in.data);
  // An allocator kept for a revert still names the table it handed on, and
  // takes the same one back: only a table of its own is freed.
  if (descOfPage_ && descOfPage_ != s->descOfPage) free_pages(descOfPage_, npages_ * sizeof(MemDesc*) / kPageSize);
  nextMemDesc_ = s->nextMemDesc;
  memDescPageEnd_ = s->memDescPageEnd;
  descOfPage_ = s->descOfPage;
  base_ = s->base;
  npages_ = s->npages;
  double_allocs_ = s->double_allocs;
  allocs_ = s->allocs;
  frees_ = s->frees;
  return kOk;
}

SysStatus pinned_allocator_init() {
  obj::init();
  SpinGuard g(g_init_lock);
  if (PageAllocatorKernPinned::ref.valid()) return kOk;
  PageAllocatorKernPinned* p;
  SysStatus st = PageAllocatorKernPinned::Create(&p);
  if (st != kOk) return st;
  u32 idx = obj::install(p);
  if (!idx) return kErrNoMemory;
  PageAllocatorKernPinned::ref.idx = idx;
  return kOk;
}
