// The partitioned memory region: a new class and a new interface, added
// while programs run. A PartitionedRegion is a clustered object with one
// representative per CPU, each with its own page table (own lock, own cache
// lines, sized for a program's start-up), so faults on different CPUs never
// meet. Its factory offers RegionPartitionedFactory::createRegion, which
// clients find by the class name; nothing existing is replaced, so the
// update blocks no call.
#include "kernel/heap.h"
#include "kernel/percpu.h"
#include "objects/region.h"
#include "update/dynamic_update.h"

namespace {

// One CPU's partition: the representative that CPU's calls reach.
class RegionPartition final : public Region {
 public:
  SysStatus init() { return table_.init(256); }
  SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) override {
    SysStatus st = fcm->getPage(page, frame);
    if (st != kOk) return st;
    SpinGuard g(table_.lock);  // only this CPU takes it
    return table_.insert(vpage, frame);
  }
  void releasePages(uval vbase, u32 n) override {
    SpinGuard g(table_.lock);
    for (u32 i = 0; i < n; ++i) table_.remove(vbase + i);
  }
  u64 pageCount() override { return table_.count; }
  u64 resizes() override { return table_.resizes; }
  bool partitioned() override { return true; }
  void fini() { table_.fini(); }

 private:
  PageTable table_;
  char pad_[KERNEL_CACHE_LINE];  // keeps neighbouring partitions' tables apart
};

class PartitionedRegion final : public obj::ObjectRoot {
 public:
  // Miss handling on `cpu`: that CPU's partition, made on its first call.
  void* rep_for(unsigned cpu) override {
    if (!parts_[cpu]) {
      auto* p = new RegionPartition();
      if (!p || p->init() != kOk) return nullptr;
      parts_[cpu] = p;
    }
    return static_cast<Region*>(parts_[cpu]);
  }
  void destroy(bool) override {
    for (RegionPartition* p : parts_)
      if (p) {
        p->fini();
        delete p;
      }
    delete this;
  }
  const char* class_name() const override { return "PartitionedRegion"; }

 private:
  RegionPartition* parts_[kMaxCpus] = {};
};

class PartitionedRegionFactory final : public RegionPartitionedFactory {
 public:
  PartitionedRegionFactory() : RegionPartitionedFactory(0) { make_registry(); }
  SysStatus createRegion(obj::ObjRef<Region>& out) override {
    return adopt(new PartitionedRegion(), out.idx);
  }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new PartitionedRegion(); }
  const char* class_name() const override { return "PartitionedRegionFactory"; }
};

}  // namespace

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new PartitionedRegionFactory();
  if (!f) return 1;
  return upd::add_class(ctx, kPartitionedRegionClass, f, nullptr) == kOk ? 0 : 1;
}
