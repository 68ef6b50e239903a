// fcm_reclaim_frames — FCM (FCMDefault, every instance), kind: feature.
// A file's cached pages keep their frames for as long as the file is open,
// mapped or not: a large file read once pins its whole size. This version
// gives a page's frame back to the kernel when its last mapping goes
// (unmapPage), and allocates it again on the next mapPage. The frame is
// freed under the back end's lock and only when no CPU maps the page; a
// mapPage that set its bit and then finds no frame allocates one (under the
// lock), so a racing map never keeps a page without a frame.
// A class update through the factory (version 1, shared back end).
// The test: an FCM of 32 pages mapped and unmapped on a quiet system keeps
// its 32 frames before (the behaviour this changes); after, the frames are
// back, and under load every mapped page has a frame.
#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "objects/fcm.h"
#include "update/dynamic_update.h"

namespace {
void clear_bits(volatile u64* m, u64 bits) {
  u64 v;
  do {
    v = *m;
  } while ((v & bits) && atomic_cas(m, v, v & ~bits) != v);
}
}  // namespace

class FCMReclaim final : public FCMDefault {
 public:
  explicit FCMReclaim(FCMPages* b) : FCMDefault(b) {}
  SysStatus mapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    FCMPage& p = pages_->page[page];
    atomic_fetch_or(&p.mapped_cpus, 1ull << cpu_id());
    mach::sync();  // our bit before we look at the frame (partner: unmapPage's sync)
    if (!load_once(p.frame)) {
      SpinGuard g(pages_->lock);
      if (!p.frame) {
        void* f = alloc_pages(1);
        if (!f) {
          clear_bits(&p.mapped_cpus, 1ull << cpu_id());
          return kErrNoMemory;
        }
        p.frame = uval(f);
      }
    }
    return kOk;
  }
  SysStatus unmapPage(u32 page) override {
    if (page >= pages_->npages) return kErrInvalid;
    u64 t0 = mach::cycles();
    FCMPage& p = pages_->page[page];
    u64 mask = p.mapped_cpus;
    u64 ipis = mask ? shootdown(page, mask) : 0;
    clear_bits(&p.mapped_cpus, mask);
    {
      SpinGuard g(pages_->lock);
      mach::sync();  // the mask as the mapping CPUs left it
      if (p.frame && p.mapped_cpus == 0) {
        free_pages(reinterpret_cast<void*>(p.frame), 1);
        p.frame = 0;
      }
    }
    report_unmap(page, ipis, t0, 1);
    return kOk;
  }
  u64 classVersion() override { return 1; }
  const char* class_name() const override { return "FCMReclaim"; }
};

class FCMReclaimFactory final : public FCMFactory {
 public:
  FCMReclaimFactory() : FCMFactory(1) {}
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FCMReclaim(nullptr); }
  const char* class_name() const override { return "FCMReclaimFactory"; }

 protected:
  FCMDefault* make(FCMPages* b) override { return new FCMReclaim(b); }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FCMReclaimFactory();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FCM).idx, f) == kOk ? 0 : 1;
}
