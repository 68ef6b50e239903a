#include "objects/region.h"

#include "kernel/heap.h"
#include "kernel/string.h"

namespace {
constexpr u32 kEntriesPerChunk = 64;

u32 bucket_of(uval vpage, u32 n) {
  u64 h = u64(vpage) * 0x9E3779B97F4A7C15ull;  // Fibonacci hashing
  return u32(h >> 32) & (n - 1);
}
}  // namespace

SysStatus PageTable::init(u32 min) {
  new (&lock) SpinLock();
  min_buckets = min < 4 ? 4 : min;
  nbuckets = min_buckets;
  buckets = static_cast<RegionPage**>(kzalloc(sizeof(RegionPage*) * nbuckets));
  count = resizes = 0;
  free = nullptr;
  return buckets ? kOk : kErrNoMemory;
}

void PageTable::fini() {
  // The entry chunks stay allocated: regions live as long as the kernel
  // in the scenarios, and a chunk's entries end up on several free lists.
  kfree(buckets);
  buckets = nullptr;
}

void PageTable::resize(u32 n) {
  RegionPage** nb = static_cast<RegionPage**>(kzalloc(sizeof(RegionPage*) * n));
  if (!nb) return;  // keep the old size: slower, still correct
  for (u32 b = 0; b < nbuckets; ++b) {
    for (RegionPage* e = buckets[b]; e;) {
      RegionPage* next = e->next;
      u32 i = bucket_of(e->vpage, n);
      e->next = nb[i];
      nb[i] = e;
      e = next;
    }
  }
  kfree(buckets);
  buckets = nb;
  nbuckets = n;
  ++resizes;
}

SysStatus PageTable::insert(uval vpage, uval frame) {
  if (!free) {
    RegionPage* chunk = static_cast<RegionPage*>(kmalloc(sizeof(RegionPage) * kEntriesPerChunk));
    if (!chunk) return kErrNoMemory;
    for (u32 i = 0; i < kEntriesPerChunk; ++i) {
      chunk[i].next = free;
      free = &chunk[i];
    }
  }
  RegionPage* e = free;
  free = e->next;
  e->vpage = vpage;
  e->frame = frame;
  u32 b = bucket_of(vpage, nbuckets);
  e->next = buckets[b];
  buckets[b] = e;
  if (++count > 2 * u64(nbuckets)) resize(nbuckets * 2);
  return kOk;
}

bool PageTable::remove(uval vpage) {
  for (RegionPage** pp = &buckets[bucket_of(vpage, nbuckets)]; *pp; pp = &(*pp)->next) {
    RegionPage* e = *pp;
    if (e->vpage != vpage) continue;
    *pp = e->next;
    e->next = free;
    free = e;
    if (--count * 8 < nbuckets && nbuckets > min_buckets) resize(nbuckets / 2);
    return true;
  }
  return false;
}

SysStatus RegionShared::Create(obj::ObjRef<Region>& out, u32 min_buckets) {
  obj::init();
  RegionShared* r = new RegionShared();
  if (!r) return kErrNoMemory;
  if (r->table_.init(min_buckets) != kOk) {
    delete r;
    return kErrNoMemory;
  }
  u32 idx = obj::install(r);
  if (!idx) {
    r->destroy(false);
    return kErrNoMemory;
  }
  out.idx = idx;
  return kOk;
}

SysStatus RegionShared::faultPage(uval vpage, obj::ObjRef<FCM> fcm, u32 page, uval& frame) {
  SysStatus st = fcm->getPage(page, frame);
  if (st != kOk) return st;
  // Every CPU's fault goes through the one table and its one lock.
  SpinGuard g(table_.lock);
  return table_.insert(vpage, frame);
}

void RegionShared::releasePages(uval vbase, u32 n) {
  SpinGuard g(table_.lock);
  for (u32 i = 0; i < n; ++i) table_.remove(vbase + i);
}

void RegionShared::Destroy(obj::ObjRef<Region> r) {
  obj::ObjectRoot* root = obj::root_of(r.idx);
  obj::uninstall(r.idx);
  root->destroy(false);
}

void RegionShared::destroy(bool) {
  table_.fini();
  delete this;
}
