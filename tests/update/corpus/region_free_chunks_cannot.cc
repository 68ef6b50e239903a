// region_free_chunks_cannot — RegionShared, kind: fix (leak) that the
// mechanism cannot apply.
// PageTable::fini frees the bucket array but not the entry chunks (64
// entries each): every RegionShared destroyed leaks its chunks. The fix is a
// RegionShared whose table records its chunks and frees them in fini. But
// the running RegionShared (version 0, in the kernel) has no state transfer:
// it exports no format, so its pages cannot be handed to a replacement, and
// the hot swap refuses (no common format) before anything changes. Applying
// it needs a kernel in which RegionShared exports its table (a reboot).
// The test: the update is refused with the transfer reason; the region is
// still RegionShared and serves the faults of the load.
#include "kernel/heap.h"
#include "objects/region.h"
#include "update/dynamic_update.h"
#include "update/state_transfer.h"
#include "corpus_iface.h"

class RegionSharedV1 final : public obj::SingleRep<Region> {
 public:
  SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) override {
    SysStatus st = fcm->getPage(page, frame);
    if (st != kOk) return st;
    SpinGuard g(table_.lock);
    if (!table_.free && !add_chunk()) return kErrNoMemory;  // so insert never allocates one itself
    return table_.insert(vpage, frame);
  }
  void releasePages(uval vbase, u32 n) override {
    SpinGuard g(table_.lock);
    for (u32 i = 0; i < n; ++i) table_.remove(vbase + i);
  }
  u64 pageCount() override { return table_.count; }
  u64 resizes() override { return table_.resizes; }
  bool partitioned() override { return false; }
  // Version 0 would have to export its table (kXferCopyV0: the PageTable);
  // it exports nothing.
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0 || in.bytes != sizeof(PageTable)) return kErrInvalid;
    table_ = *static_cast<PageTable*>(in.data);
    return kOk;
  }
  void destroy(bool) override {
    table_.fini();
    for (u32 i = 0; i < nchunks_; ++i) kfree(chunks_[i]);
    delete this;
  }
  const char* class_name() const override { return "RegionSharedV1"; }

 private:
  // Entries come in chunks of 64 that this region allocates and records
  // (version 0's insert allocates them and forgets them).
  bool add_chunk() {
    if (nchunks_ == kMaxChunks) return false;
    auto* c = static_cast<RegionPage*>(kmalloc(sizeof(RegionPage) * 64));
    if (!c) return false;
    for (u32 i = 0; i < 64; ++i) {
      c[i].next = table_.free;
      table_.free = &c[i];
    }
    chunks_[nchunks_++] = c;
    return true;
  }
  static constexpr u32 kMaxChunks = 256;
  PageTable table_;
  RegionPage* chunks_[kMaxChunks] = {};
  u32 nchunks_ = 0;
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* r = new RegionSharedV1();
  if (!r) return 1;
  return upd::update_object(ctx, g_corpus_region_ref, r) == kOk ? 0 : 1;
}
