// Memory regions (the seed's third example, "a new interface"): a region
// records the pages of a program's memory, one hash-table entry per page,
// filled by the program's page faults (faultPage) and emptied when it goes
// (releasePages). A region maps its address range onto a memory object, an
// FCM (fcm.h): a fault on vpage, page `page` of the FCM the fault handler
// names, asks that FCM for the page's frame (FCM::getPage: allocated and
// zeroed on first use, cached after) and records vpage -> frame; the
// handler then inserts the HPTE (workloads.cc, region_fault). So a fault is
// DSI -> Region::faultPage -> FCM::getPage -> HPTE insert.
//
// RegionShared (version 0, in the kernel) keeps every page of the program
// in ONE hash table under one lock, whatever CPU faults: a parallel
// program's start-up, faulting on every CPU at once, serializes on that
// lock, and the table, sized for a small program, keeps growing and
// shrinking (rehashing everything, under the lock) as the CPUs' faults come
// and go. That is the start-up that scaled badly.
//
// PartitionedRegion is not here: a module adds it (scenarios/partitioned-
// region/), with its factory, under the class name "PartitionedRegion"
// (upd::add_class). Its factory offers the interface below, which clients
// compiled before the module existed look up by name each time they create
// a region (upd::find_class) and use once it is there; nothing existing is
// replaced, so no call is ever blocked.
//
// Locking and synchronization: a PageTable is protected by its own lock,
// which its user takes around insert/remove (RegionShared: one for all
// CPUs; a partitioned region: one per CPU partition, each on its own
// cache lines).
#pragma once

#include "kernel/spinlock.h"
#include "objects/fcm.h"
#include "objects/object_table.h"
#include "update/factory.h"

struct RegionPage {
  uval vpage;
  uval frame;
  RegionPage* next;
};

// A hash table of pages that grows (more than 2 entries per bucket) and
// shrinks (fewer than 1 per 8 buckets) by rehashing every entry.
struct PageTable {
  SpinLock lock;
  RegionPage** buckets;
  u32 nbuckets;
  u32 min_buckets;
  u64 count;
  u64 resizes;
  RegionPage* free;  // entries to reuse

  SysStatus init(u32 min_buckets);
  void fini();
  // The caller holds `lock`.
  SysStatus insert(uval vpage, uval frame);
  bool remove(uval vpage);

 private:
  void resize(u32 n);
};

class Region {
 public:
  // The program touched `vpage`, page `page` of memory object `fcm`: gets
  // the page's frame from the FCM, records vpage -> frame, returns the frame.
  virtual SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) = 0;
  // The program let go of [vbase, vbase+n).
  virtual void releasePages(uval vbase, u32 n) = 0;
  virtual u64 pageCount() = 0;
  virtual u64 resizes() = 0;
  virtual bool partitioned() = 0;

 protected:
  ~Region() = default;
};

class RegionShared final : public obj::SingleRep<Region> {
 public:
  // A region in the translation table; `min_buckets` is the table's
  // starting (and smallest) size.
  static SysStatus Create(obj::ObjRef<Region>& out, u32 min_buckets);
  // Removes it from the translation table and frees it (no call can reach
  // it any more: its program has ended).
  static void Destroy(obj::ObjRef<Region> r);
  SysStatus faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) override;
  void releasePages(uval vbase, u32 n) override;
  u64 pageCount() override { return table_.count; }
  u64 resizes() override { return table_.resizes; }
  bool partitioned() override { return false; }
  void destroy(bool) override;
  const char* class_name() const override { return "RegionShared"; }
  const PageTable& table() const { return table_; }

 private:
  RegionShared() = default;
  PageTable table_;
};

// The new interface a PartitionedRegion's factory offers (found by name).
class RegionPartitionedFactory : public obj::Factory {
 public:
  // A new partitioned region, installed in the translation table.
  virtual SysStatus createRegion(obj::ObjRef<Region>& out) = 0;
  // Destroys a region it made (no call can reach it any more).
  virtual void destroyRegion(obj::ObjRef<Region> r) { destroy_instance(r.idx); }

 protected:
  explicit RegionPartitionedFactory(u64 version) : Factory(version) {}
};

// The name under which a module adds the partitioned region's class.
constexpr const char* kPartitionedRegionClass = "PartitionedRegion";
