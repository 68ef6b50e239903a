// A program's objects (kernel/user.cc's ObjectHooks):
//  - its process object (objects/process.h), made by a process factory
//    through the factory reference: getpid asks it for the pid, clone and
//    thread exit count the program's threads in it. So the object a
//    program's calls go to can be hot-swapped, and a class update
//    (scenarios/process-replication) reaches the programs' processes too.
//    Boot argument program_process=shared|replicated picks the factory
//    (default shared);
//  - its anonymous memory (mmap areas): a memory object, an FCM of
//    program_pages pages (default 32768, 128 MiB), and the region its page
//    faults go through: DSI -> Region::faultPage -> FCM::getPage -> HPTE
//    insert, as the region scenario's faults. The region is a RegionShared
//    (one table under one lock for every CPU) until a module adds the
//    PartitionedRegion class (scenarios/partitioned-region); from then on
//    each fault goes through one partitioned region the program makes on
//    first sight of the class (the FCM holds the frames, so a page recorded
//    in the shared region is the same page through the partitioned one).
//    Each area has its own range of the FCM's pages; pages of an area that
//    was unmapped are not reused (its frames stay with the FCM until the
//    program ends).
#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/user.h"
#include "objects/fcm.h"
#include "objects/process.h"
#include "objects/region.h"
#include "update/class_registry.h"

namespace {

struct ProgramObjects {
  obj::ObjRef<Process> proc;
  obj::ObjRef<FCM> memory;
  u32 pages;
  obj::ObjRef<Region> shared;
  volatile u32 partitioned;      // ObjRef index, 0 until made
  volatile u64 partitioned_claimed, partitioned_failed;
};

bool replicated() {
  const char* v = bootargs::get("program_process");
  return v && v[0] == 'r';
}

u64 create(u64 pid) {
  auto* o = static_cast<ProgramObjects*>(kzalloc(sizeof(ProgramObjects)));
  if (!o) return 0;
  SysStatus st;
  if (replicated()) {
    st = ProcessReplicatedFactory::CreateDefault();
    if (st == kOk) st = DREF_FACTORY_DEFAULT(ProcessReplicated)->create(o->proc, pid);
  } else {
    st = ProcessSharedFactory::CreateDefault();
    if (st == kOk) st = DREF_FACTORY_DEFAULT(ProcessShared)->create(o->proc, pid);
  }
  o->pages = u32(bootargs::get_u64("program_pages", 32768));
  if (st == kOk && o->pages) {
    st = FCMFactory::CreateDefault();
    if (st == kOk) st = FCMFactory::factoryRef->create(o->memory, o->pages);
    if (st == kOk) st = RegionShared::Create(o->shared, 64);
  }
  if (st != kOk) {
    kfree(o);
    return 0;
  }
  return uval(o);
}

ProgramObjects& of(u64 h) { return *reinterpret_cast<ProgramObjects*>(uval(h)); }

u64 pid(u64 h) { return of(h).proc->pid(); }
void thread_added(u64 h) { of(h).proc->addThread(); }
void thread_removed(u64 h) { of(h).proc->removeThread(); }
u32 memory_pages(u64 h) { return of(h).memory.valid() ? of(h).pages : 0; }

// The region a fault goes through: the partitioned one once its class exists.
obj::ObjRef<Region> region_to_use(ProgramObjects& o) {
  obj::ObjRef<Region> r{load_once(o.partitioned)};
  if (r.valid()) {
    mach::isync();  // the reference before the region's contents
    return r;
  }
  if (o.partitioned_failed) return o.shared;
  u32 f = upd::find_class(kPartitionedRegionClass);
  if (!f) return o.shared;
  if (atomic_cas(&o.partitioned_claimed, 0, 1) != 0) return o.shared;  // another CPU is making it: this fault goes on as it was
  obj::ObjRef<RegionPartitionedFactory> fac{f};
  obj::ObjRef<Region> n;
  if (fac->createRegion(n) != kOk) {
    o.partitioned_failed = 1;
    return o.shared;
  }
  mach::lwsync();  // the region before its reference
  store_once(o.partitioned, n.idx);
  return n;
}

SysStatus memory_fault(u64 h, uval vpage, u32 page, uval* frame, u32* region_kind) {
  ProgramObjects& o = of(h);
  if (page >= o.pages) return kErrNoMemory;
  obj::ObjRef<Region> r = region_to_use(o);
  *region_kind = r == o.shared ? 1 : 2;
  return r->faultPage(vpage, o.memory, page, *frame);
}

void memory_release(u64 h, uval vpage, u32 n) {
  ProgramObjects& o = of(h);
  o.shared->releasePages(vpage, n);
  obj::ObjRef<Region> p{load_once(o.partitioned)};
  if (p.valid()) p->releasePages(vpage, n);
}

const user::ObjectHooks kHooks = {create, pid, thread_added, thread_removed, memory_pages, memory_fault, memory_release};

struct Install {
  Install() { user::set_object_hooks(&kHooks); }
} g_install;

}  // namespace
