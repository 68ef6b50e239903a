// region_dedup_class — Region (a new class beside RegionShared), kind: fix
// (leak) through a new class.
// RegionShared::faultPage inserts an entry for every fault, even for a page
// that is in the table already (two CPUs faulting the same page, or a fault
// retried): the page is counted twice, and releasing it removes one entry
// and leaks the other for the region's life. RegionShared cannot be swapped
// (it has no state transfer: region_free_chunks_cannot), so the fix comes as
// a class of its own, "RegionDedup" (factory interface
// RegionPartitionedFactory: createRegion), whose faultPage looks the page up
// first; programs created from then on use it. Its lookup walks the kernel's
// PageTable with the table's own hash (Fibonacci hashing, region.cc).
// The test: a page faulted twice and released once leaves an entry behind in
// a RegionShared before; in a RegionDedup found by name after, it counts
// once and leaves nothing, while the region load goes on.
#include "objects/region.h"
#include "update/dynamic_update.h"

namespace {
// region.cc's bucket_of.
u32 bucket(uval vpage, u32 n) {
  u64 h = u64(vpage) * 0x9E3779B97F4A7C15ull;
  return u32(h >> 32) & (n - 1);
}

class RegionDedup final : public obj::SingleRep<Region> {
 public:
  SysStatus init() { return table_.init(64); }
  SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) override {
    SysStatus st = fcm->getPage(page, frame);
    if (st != kOk) return st;
    SpinGuard g(table_.lock);
    for (RegionPage* e = table_.buckets[bucket(vpage, table_.nbuckets)]; e; e = e->next)
      if (e->vpage == vpage) return kOk;  // mapped already: nothing to record
    return table_.insert(vpage, frame);
  }
  void releasePages(uval vbase, u32 n) override {
    SpinGuard g(table_.lock);
    for (u32 i = 0; i < n; ++i) table_.remove(vbase + i);
  }
  u64 pageCount() override { return table_.count; }
  u64 resizes() override { return table_.resizes; }
  bool partitioned() override { return false; }
  void destroy(bool) override {
    table_.fini();
    delete this;
  }
  const char* class_name() const override { return "RegionDedup"; }

 private:
  PageTable table_;
};

class RegionDedupFactory final : public RegionPartitionedFactory {
 public:
  RegionDedupFactory() : RegionPartitionedFactory(0) { make_registry(); }
  SysStatus createRegion(obj::ObjRef<Region>& out) override {
    auto* r = new RegionDedup();
    if (!r || r->init() != kOk) return kErrNoMemory;
    return adopt(r, out.idx);
  }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return nullptr; }
  const char* class_name() const override { return "RegionDedupFactory"; }
};
}  // namespace

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new RegionDedupFactory();
  if (!f) return 1;
  return upd::add_class(ctx, "RegionDedup", f, nullptr) == kOk ? 0 : 1;
}
