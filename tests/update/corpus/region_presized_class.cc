// region_presized_class — Region (a new class beside RegionShared), kind:
// feature (add_class).
// A program that says how large it is gets a region whose page table is
// sized for it at creation: RegionShared starts at 8 buckets and rehashes
// every entry, under its one lock, each time the program's faults double
// the table (5 times on the way to 1,024 pages). The module adds the class
// "RegionPresized" (factory interface RegionPartitionedFactory: createRegion)
// with a table of 1,024 buckets that never grows for a program of that
// size. Nothing existing is replaced, so no call blocks.
// The test: 1,024 pages faulted from every CPU into a RegionShared resize
// its table before; after, a client finds the class by name and the same
// faults into a RegionPresized region resize nothing and count 1,024 pages,
// while the region load goes on through RegionShared.
#include "objects/region.h"
#include "update/dynamic_update.h"

namespace {
constexpr u32 kPresizedBuckets = 1024;

class RegionPresized final : public obj::SingleRep<Region> {
 public:
  SysStatus init() { return table_.init(kPresizedBuckets); }
  SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) override {
    SysStatus st = fcm->getPage(page, frame);
    if (st != kOk) return st;
    SpinGuard g(table_.lock);
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
  const char* class_name() const override { return "RegionPresized"; }

 private:
  PageTable table_;
};

class RegionPresizedFactory final : public RegionPartitionedFactory {
 public:
  RegionPresizedFactory() : RegionPartitionedFactory(0) { make_registry(); }
  SysStatus createRegion(obj::ObjRef<Region>& out) override {
    auto* r = new RegionPresized();
    if (!r || r->init() != kOk) return kErrNoMemory;
    return adopt(r, out.idx);
  }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return nullptr; }
  const char* class_name() const override { return "RegionPresizedFactory"; }
};
}  // namespace

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new RegionPresizedFactory();
  if (!f) return 1;
  return upd::add_class(ctx, "RegionPresized", f, nullptr) == kOk ? 0 : 1;
}
