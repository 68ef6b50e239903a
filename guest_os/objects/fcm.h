// FCM: the file cache manager, one instance per open file or memory object
// (seed, third example). It tracks the file's cached pages; each page
// records its frame and the CPUs that map it (a bit per CPU).
//
//   getPage(p)    the frame that holds page p (allocated and filled on
//                 first use: zeros, or its bytes of a file, FCMFill): what
//                 a region's page fault maps (region.h)
//   mapPage(p)    this CPU maps page p (its frame as getPage gives it)
//   unmapPage(p)  every CPU that may map p drops its mapping (a cross-CPU
//                 call to each: IPI and wait), then p's state is cleared
//   discardPage(p) p's frame goes back to the allocator (its user removed
//                 every mapping first): a program's brk heap shrinking
//
// With the MMU on (boot argument mmu=on, kernel/mmu.h) the mapping is real:
// each file's pages have their own addresses in the kernel's file-mapping
// segments (FCMPages::ea), mapPage inserts the page's HPTE and touches the
// page through it, so the CPU's TLB holds the translation its bit records,
// and the shootdown removes the HPTE and invalidates the translation on
// the CPUs asked (one tlbie broadcast, or an IPI to each that runs tlbiel:
// boot argument tlbi=tlbie|ipi). Without it a CPU "drops its mapping" by
// clearing its bit in a cross-CPU call, as before.
//
// Version 0 (FCMDefault) performs that synchronization with every other
// CPU without first checking whether the page is mapped at all; the update
// (a module: FCMDefault_v1 and FCMFactory_v1) checks first and only asks
// the CPUs in the page's mask.
//
// The pages live in a back end (FCMPages) that a replacement re-points at
// (kXferSharedBackEnd): a class update copies nothing.
//
// Locking and synchronization: a page's CPU mask is changed with atomic OR
// (mapPage, on the mapping CPU) and cleared by the cross-CPU call on each
// CPU (its own bit) and by unmapPage; the frame is set once, by
// compare-and-swap of a page allocated and zeroed with no lock held (a CPU
// that loses the race frees its own). With the MMU on the mask never under-states who may hold the
// translation: mapPage sets its bit before it inserts the HPTE and touches
// the page, unmapPage swaps the mask for 0 before it removes the HPTE, and
// a mapPage whose bit was taken meanwhile maps again (its touch, if the
// removal won, is skipped by the fault handler: mmu::touch).
#pragma once

#include "kernel/atomic.h"
#include "kernel/spinlock.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

struct FCMPage {
  uval frame;
  volatile u64 mapped_cpus;
};

// Where a page's first bytes come from, when not all zeros:
//  - a file of the initial image (a file's FCM, the cache of its pages):
//    page p holds bytes [p*4K, p*4K + 4K) of `bytes`, zeros past `size`;
//  - another FCM (a private copy of part of a file: a program's data
//    segment): page p starts as a copy of page source_first + p of FCM
//    `source`, of which only this FCM's byte offsets [keep_lo, keep_hi)
//    are kept, the rest zeros (the segment's bss).
// The fill happens before the page is published, so no CPU sees it half
// filled.
struct FCMFill {
  const u8* bytes;
  u64 size;
  u32 source;  // an ObjRef<FCM> index, 0 for none
  u32 source_first;
  u64 keep_lo, keep_hi;
};

// The pages' records are made in chunks of 256 at the first use of one of
// them (compare-and-swap; a CPU that loses the race frees its own), so a
// large memory object that a program touches sparsely (its heap's 32768
// pages) costs a 1 KiB directory, not 512 KiB of records zeroed up front.
struct FCMPages {
  static constexpr unsigned kChunkShift = 8;
  SpinLock lock;
  u32 npages;
  FCMFill fill;
  uval ea_base;  // the pages' addresses in the file-mapping segments (MMU on), else 0
  uval ea(u32 page) const { return ea_base + (uval(page) << 12); }
  // Page i's record: nullptr if its chunk was never made (the page is
  // untouched: no frame, no CPU maps it).
  FCMPage* find(u32 i) const {
    FCMPage* c = load_once(chunk[i >> kChunkShift]);
    return c ? &c[i & ((1u << kChunkShift) - 1)] : nullptr;
  }
  static u32 chunks_for(u32 npages) { return (npages + (1u << kChunkShift) - 1) >> kChunkShift; }
  FCMPage* get(u32 i);  // made if missing; nullptr when no memory is left
  FCMPage& at(u32 i);   // get(), or a kernel panic (for an unmap of a mapped page)
  // page[i]: at(i), as the records read when they were one flat array
  // (what classes written against that use, as the labs' FCMs do).
  struct Records {
    FCMPage& operator[](u32 i) {
      auto* self = reinterpret_cast<FCMPages*>(reinterpret_cast<char*>(this) - __builtin_offsetof(FCMPages, page));
      return self->at(i);
    }
  } page;
  static FCMPages* Create(u32 npages);
  void destroy();
  FCMPage* volatile chunk[1];  // (npages + 255) / 256 of them
};

class FCM {
 public:
  virtual SysStatus getPage(u32 page, uval& frame) = 0;
  virtual SysStatus mapPage(u32 page) = 0;
  virtual SysStatus unmapPage(u32 page) = 0;
  virtual u64 mappedMask(u32 page) = 0;
  // Page p gives its frame back and reads as at first again (zeros, or
  // its fill); the caller has removed every mapping of it.
  virtual SysStatus discardPage(u32 page) = 0;
  virtual u32 pageCount() = 0;
  virtual u64 classVersion() = 0;

 protected:
  ~FCM() = default;
};

class FCMDefault : public obj::SingleRep<FCM> {
 public:
  // backend == nullptr: the replacement of an instance (the state arrives
  // by transfer).
  FCMDefault(FCMPages* backend) : pages_(backend) {}
  virtual ~FCMDefault() = default;
  SysStatus getPage(u32 page, uval& frame) override;
  SysStatus mapPage(u32 page) override;
  SysStatus unmapPage(u32 page) override;
  u64 mappedMask(u32 page) override {
    FCMPage* p = page < pages_->npages ? pages_->find(page) : nullptr;
    return p ? p->mapped_cpus : 0;
  }
  SysStatus discardPage(u32 page) override;
  // With the MMU on, an unmap first takes the page's CPU bits (returns them,
  // leaves 0), then removes the HPTE and invalidates: a mapPage that set its
  // bit meanwhile sees it gone and maps again (mapPage).
  u64 mapped_cpus_taken(u32 page);
  u32 pageCount() override { return pages_->npages; }
  u64 classVersion() override { return 0; }

  u64 export_formats() override { return obj::kXferSharedBackEnd; }
  u64 import_formats() override { return obj::kXferSharedBackEnd; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool keep_back_end) override;
  const char* class_name() const override { return "FCMDefault"; }

 protected:
  // Fills a fresh page: its FCMFill bytes, zeros elsewhere.
  SysStatus fill_page(u32 page, u8* m);
  // Drops the mapping of `page` on every CPU in `cpus` (cross-CPU calls, or
  // with the MMU on the HPTE's removal and tlbie or IPIs + tlbiel), returns
  // the number of IPIs sent. report_unmap adds the tlbies this CPU issued
  // since its previous report.
  u64 shootdown(u32 page, u64 cpus);
  void report_unmap(u32 page, u64 ipis, u64 t0, u64 version);
  FCMPages* pages_;
};

// The FCM factory. Clients create and destroy FCMs only through the default
// factory reference: DREF_FACTORY_DEFAULT(FCM) == FCMFactory::factoryRef.
class FCMFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<FCM>& out, u32 npages);
  // An FCM whose pages start with `fill`'s bytes (a file's, or a copy of
  // another FCM's): an instance of this factory's class, as create's.
  virtual SysStatus createFilled(obj::ObjRef<FCM>& out, u32 npages, const FCMFill& fill);
  virtual void destroyFCM(obj::ObjRef<FCM> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot* old) override { return new FCMDefault(nullptr); }
  const char* class_name() const override { return "FCMFactory"; }
  static obj::ObjRef<FCMFactory> factoryRef;

 protected:
  explicit FCMFactory(u64 version) : Factory(version) {}
  // The instance of this factory's class for a new file.
  virtual FCMDefault* make(FCMPages* backend) { return new FCMDefault(backend); }
};

#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
