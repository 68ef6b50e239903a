#include "objects/fcm.h"

#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/xcall.h"

obj::ObjRef<FCMFactory> FCMFactory::factoryRef;

namespace {

// The file-mapping segments' addresses (MMU on): each FCM's pages get a
// range, which goes back when it is destroyed (programs' FCMs come and go).
// First fit over free ranges sorted by address, neighbours merged.
struct EaRange {
  uval base, size;
};
constexpr unsigned kMaxFreeRanges = 128;
SpinLock g_ea_lock;
EaRange g_ea_free[kMaxFreeRanges] = {{mmu::kFileMapBase, mmu::kFileMapEnd - mmu::kFileMapBase}};
unsigned g_ea_nfree = 1;

void ea_erase(unsigned i) {  // (g_ea_lock held)
  for (unsigned k = i; k + 1 < g_ea_nfree; ++k) g_ea_free[k] = g_ea_free[k + 1];
  --g_ea_nfree;
}

uval ea_alloc(uval bytes) {
  SpinGuard g(g_ea_lock);
  for (unsigned i = 0; i < g_ea_nfree; ++i) {
    EaRange& r = g_ea_free[i];
    if (r.size < bytes) continue;
    uval b = r.base;
    r.base += bytes;
    r.size -= bytes;
    if (!r.size) ea_erase(i);
    return b;
  }
  return 0;  // the segments are full
}

void ea_release(uval base, uval bytes) {
  SpinGuard g(g_ea_lock);
  unsigned i = 0;
  while (i < g_ea_nfree && g_ea_free[i].base < base) ++i;  // the first range above it
  const bool with_prev = i > 0 && g_ea_free[i - 1].base + g_ea_free[i - 1].size == base;
  const bool with_next = i < g_ea_nfree && base + bytes == g_ea_free[i].base;
  if (with_prev && with_next) {
    g_ea_free[i - 1].size += bytes + g_ea_free[i].size;
    ea_erase(i);
  } else if (with_prev) {
    g_ea_free[i - 1].size += bytes;
  } else if (with_next) {
    g_ea_free[i].base = base;
    g_ea_free[i].size += bytes;
  } else if (g_ea_nfree < kMaxFreeRanges) {
    for (unsigned k = g_ea_nfree; k > i; --k) g_ea_free[k] = g_ea_free[k - 1];
    g_ea_free[i] = EaRange{base, bytes};
    ++g_ea_nfree;
  }  // else the range is lost: more than kMaxFreeRanges holes at once
}
struct alignas(KERNEL_CACHE_LINE) TlbieMark {
  u64 reported;  // this CPU's tlbies already counted in an FCM_UNMAP
};
TlbieMark g_tlbie_mark[kMaxCpus];

struct DropArgs {
  FCMPage* page;
};
void drop_mapping(void* a) {
  // This CPU forgets its translation of the page (a TLB shootdown in a
  // kernel with an MMU): clear our bit.
  FCMPage* p = static_cast<DropArgs*>(a)->page;
  u64 bit = 1ull << cpu_id();
  u64 m;
  do {
    m = p->mapped_cpus;
  } while ((m & bit) && atomic_cas(&p->mapped_cpus, m, m & ~bit) != m);
}
}  // namespace

FCMPages* FCMPages::Create(u32 n) {
  const u32 chunks = chunks_for(n);
  // A small FCM (one chunk) keeps its records right after the directory,
  // made with it, as when they were one flat array: its faults' lines
  // stay where they were (a separately allocated 512-byte chunk moved the
  // region workload's creation p50 by -10 % between quantum 1 and 1000).
  const uval dir = sizeof(FCMPages) + sizeof(FCMPage*) * chunks;
  const uval inline_records = chunks == 1 ? round_up<uval>(dir, 16) - dir + sizeof(FCMPage) * n : 0;  // (n > 0)
  FCMPages* p = static_cast<FCMPages*>(kzalloc(dir + inline_records));
  if (!p) return nullptr;
  new (&p->lock) SpinLock();
  p->npages = n;
  if (inline_records) p->chunk[0] = reinterpret_cast<FCMPage*>(round_up<uval>(uval(p) + dir, 16));
  if (mmu::enabled()) {
    uval base = ea_alloc(uval(n) << kPageShift);
    if (!base) {
      kfree(p);
      return nullptr;
    }
    p->ea_base = base;
  }
  return p;
}

FCMPage* FCMPages::get(u32 i) {
  if (FCMPage* p = find(i)) return p;
  // (the last chunk, and a small FCM's only one, just as long as needed)
  const u32 first = i & ~((1u << kChunkShift) - 1);
  auto* c = static_cast<FCMPage*>(kzalloc(sizeof(FCMPage) * min_of<u32>(1u << kChunkShift, npages - first)));
  if (!c) return nullptr;
  mach::lwsync();  // the zeroed records before the pointer; partner: the address dependency in find()
  FCMPage* volatile* slot = &chunk[i >> kChunkShift];
  if (atomic_cas(reinterpret_cast<volatile uval*>(slot), uval(0), uval(c)) != 0) kfree(c);  // another CPU made it
  return find(i);
}

FCMPage& FCMPages::at(u32 i) {
  FCMPage* p = get(i);
  KASSERT_MSG(p, "FCM: no memory for the records of page %u", i);
  return *p;
}

void FCMPages::destroy() {
  const u32 chunks = chunks_for(npages);
  for (u32 k = 0; k < chunks; ++k) {
    FCMPage* c = chunk[k];
    if (!c) continue;
    for (u32 j = 0; j < (1u << kChunkShift) && (k << kChunkShift) + j < npages; ++j) {
      const u32 i = (k << kChunkShift) + j;
      if (ea_base && c[j].mapped_cpus) mmu::unmap(nullptr, ea(i), c[j].mapped_cpus);
      if (c[j].frame) free_pages(reinterpret_cast<void*>(c[j].frame), 1);
    }
    if (chunks > 1) kfree(c);  // (a single chunk was made with the directory)
  }
  if (ea_base) ea_release(ea_base, uval(npages) << kPageShift);
  kfree(this);
}

SysStatus FCMDefault::getPage(u32 page, uval& frame) {
  if (page >= pages_->npages) return kErrInvalid;
  FCMPage* rec = pages_->get(page);
  if (!rec) return kErrNoMemory;
  FCMPage& p = *rec;
  uval f = load_once(p.frame);
  if (!f) {
    // Allocated and filled outside any lock of the FCM, then published with
    // a compare-and-swap; a CPU that lost the race gives its page back. (It
    // was under the FCM's lock: every CPU's first touch of one memory
    // object, a program's, waited for the others' zeroing.)
    void* m = alloc_pages(1);
    if (!m) return kErrNoMemory;
    // A fresh page of a memory object reads zero, or its fill's bytes.
    if (SysStatus st = fill_page(page, static_cast<u8*>(m)); st != kOk) {
      free_pages(m, 1);
      return st;
    }
    mach::lwsync();           // the page's bytes before the frame; partner: the address dependency of the reader's use
    uval prev = atomic_cas(&p.frame, 0, uval(m));
    if (prev) {
      free_pages(m, 1);
      f = prev;
    } else {
      f = uval(m);
    }
  }
  frame = f;
  return kOk;
}

SysStatus FCMDefault::fill_page(u32 page, u8* m) {
  // The bytes [lo, hi) of the page that come from somewhere, from src.
  const FCMFill& f = pages_->fill;
  const u64 at = u64(page) << kPageShift;
  u64 lo = 0, hi = 0;
  const u8* src = nullptr;
  if (f.bytes && at < f.size) {
    hi = min_of<u64>(kPageSize, f.size - at);
    src = f.bytes + at;
  } else if (f.source && max_of(at, f.keep_lo) < min_of(at + kPageSize, f.keep_hi)) {
    lo = max_of(at, f.keep_lo) - at;
    hi = min_of(at + kPageSize, f.keep_hi) - at;
    uval frame;
    obj::ObjRef<FCM> s{f.source};
    if (SysStatus st = s->getPage(f.source_first + page, frame); st != kOk) return st;
    src = reinterpret_cast<const u8*>(frame);
  }
  // The whole page zeroed first, even the bytes then copied: memset
  // establishes its lines without reading memory (dcbz), so the copy's
  // stores hit; copying into the cold page instead made a text fault cost
  // 19k cycles, not 13k (program-process-swap's fault p50).
  memset(m, 0, kPageSize);
  if (hi > lo) memcpy(m + lo, src + lo, hi - lo);
  return kOk;
}

SysStatus FCMDefault::discardPage(u32 page) {
  if (page >= pages_->npages) return kErrInvalid;
  FCMPage* p = pages_->find(page);
  if (!p) return kOk;  // never touched
  if (u64 cpus = pages_->ea_base ? mapped_cpus_taken(page) : 0) shootdown(page, cpus);  // (its kernel mapping, if any)
  if (uval f = atomic_swap(&p->frame, uval(0))) free_pages(reinterpret_cast<void*>(f), 1);
  return kOk;
}

SysStatus FCMDefault::mapPage(u32 page) {
  uval frame;
  if (SysStatus st = getPage(page, frame); st != kOk) return st;
  FCMPage& p = *pages_->find(page);  // (getPage made it)
  if (pages_->ea_base) {
    // Map it for real: our bit first (a CPU whose TLB may hold the
    // translation always has its bit), then the HPTE, then a load through
    // it so that our TLB holds it. An unmapPage takes the bits before it
    // removes the HPTE (mapped_cpus_taken): if it took ours meanwhile, its
    // removal may have come after our insert, so map again.
    const u64 bit = 1ull << cpu_id();
    do {
      atomic_fetch_or(&p.mapped_cpus, bit);
      SysStatus st = mmu::map(nullptr, pages_->ea(page), frame);
      if (st != kOk) return st;
      if (mmu::mode()) mmu::touch(pages_->ea(page));
    } while (!(p.mapped_cpus & bit));
    return kOk;
  }
  atomic_fetch_or(&p.mapped_cpus, 1ull << cpu_id());
  return kOk;
}

u64 FCMDefault::shootdown(u32 page, u64 cpus) {
  if (pages_->ea_base) return mmu::unmap(nullptr, pages_->ea(page), cpus);
  DropArgs a{&pages_->at(page)};
  u64 ipis = 0;
  unsigned me = cpu_id();
  for (unsigned c = 0; c < ncpus(); ++c) {
    if (!(cpus & (1ull << c))) continue;
    if (c == me) {
      drop_mapping(&a);
    } else {
      xcall(c, drop_mapping, &a);
      ++ipis;
    }
  }
  return ipis;
}

void FCMDefault::report_unmap(u32 page, u64 ipis, u64 t0, u64 version) {
  u64 lat = mach::cycles() - t0;
  u64 tlbies = 0;
  if (pages_->ea_base) {
    u64 f = irq_save();
    u64 sent = mmu::stats(cpu_id()).tlbie_sent;
    tlbies = sent - g_tlbie_mark[cpu_id()].reported;
    g_tlbie_mark[cpu_id()].reported = sent;
    irq_restore(f);
  }
  ev::emit(ev::FCM_UNMAP, ref, page, ipis, lat, version, tlbies);
}

u64 FCMDefault::mapped_cpus_taken(u32 page) {
  FCMPage* p = pages_->find(page);
  return p ? atomic_swap(&p->mapped_cpus, 0) : 0;
}

SysStatus FCMDefault::unmapPage(u32 page) {
  if (page >= pages_->npages) return kErrInvalid;
  u64 t0 = mach::cycles();
  // Version 0: any CPU may map the page; ask them all and wait, whether or
  // not the page is mapped anywhere.
  u64 all = ncpus() >= 64 ? ~0ull : (1ull << ncpus()) - 1;
  if (pages_->ea_base) mapped_cpus_taken(page);
  u64 ipis = shootdown(page, all);
  if (!pages_->ea_base) {
    if (FCMPage* p = pages_->find(page)) p->mapped_cpus = 0;
  }
  report_unmap(page, ipis, t0, 0);
  return kOk;
}

SysStatus FCMDefault::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferSharedBackEnd) return kErrInvalid;
  out.data = pages_;
  out.bytes = 0;
  return kOk;
}

SysStatus FCMDefault::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferSharedBackEnd) return kErrInvalid;
  pages_ = static_cast<FCMPages*>(in.data);
  return kOk;
}

void FCMDefault::destroy(bool keep_back_end) {
  if (!keep_back_end && pages_) pages_->destroy();
  delete this;
}

SysStatus FCMFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new FCMFactory(0); });
}

SysStatus FCMFactory::create(obj::ObjRef<FCM>& out, u32 npages) {
  FCMPages* b = FCMPages::Create(npages);
  if (!b) return kErrNoMemory;
  return adopt(make(b), out.idx);
}

SysStatus FCMFactory::createFilled(obj::ObjRef<FCM>& out, u32 npages, const FCMFill& fill) {
  FCMPages* b = FCMPages::Create(npages);
  if (!b) return kErrNoMemory;
  b->fill = fill;
  return adopt(make(b), out.idx);
}
