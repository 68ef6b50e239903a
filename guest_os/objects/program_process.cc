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
//    Each area has its own range of the FCM's pages; the range of an area
//    that was unmapped is not reused (its frames go back at the munmap:
//    FCM::discardPage);
//  - the files it runs and reads: one FCM per file of the initial image
//    (FCMFill: a page is filled from the file at its first use), shared by
//    every program and counted. A program's read-only segments (its text)
//    are that FCM's pages, mapped read-only, so programs running one file
//    share them; each writable segment (data and bss) is a private copy,
//    an FCM whose pages start as copies of the file FCM's (FCMFill.source),
//    zeros past the segment's file bytes. Their faults go through the same
//    region as anonymous memory's; read() of a file copies from its FCM;
//  - its stack and its brk heap: a memory object each (zeros; the heap's
//    pages go back when brk shrinks: FCM::discardPage).
//  - its file descriptors: a file table object (objects/file_table.h),
//    made by the file table factory: every descriptor call (read, write,
//    openat, close, dup, fcntl, lseek, fstat...) looks its descriptor up
//    there, so the table can be hot-swapped under a running program;
//  - its futex waiters: a futex table object (objects/futex_table.h), made
//    by the futex table factory: futex waits queue there (and sleep after
//    the call), wakes, requeues and WAKE_OP take them from there;
//  - its signal actions: a signal table object (objects/signal_table.h):
//    rt_sigaction and every delivery (a fault's, kill's, tgkill's);
//  - its clocks: a clock object (objects/program_clock.h): clock_gettime,
//    clock_getres, gettimeofday, time, times, getrusage, sysinfo, and the
//    time an absolute sleep or futex timeout ends;
//  - its standard output and error: a console stream object
//    (objects/console_stream.h): every write to a console descriptor, and
//    the count and digest its report shows;
//  At the program's end (ObjectHooks::destroy) everything goes: the copies
//  and the memory object through the FCM factory, the regions, the process
//  object through its factory (a class update swapping one finishes the
//  destroy after its swap: Factory::destroy_instance); a file's FCM when
//  its last user closes it.
#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/sync.h"
#include "kernel/user.h"
#include "objects/fcm.h"
#include "objects/file_table.h"
#include "objects/futex_table.h"
#include "objects/console_stream.h"
#include "objects/program_clock.h"
#include "objects/signal_table.h"
#include "objects/process.h"
#include "objects/region.h"
#include "update/class_registry.h"

namespace {

constexpr unsigned kMaxCopies = 10;  // memory objects it owns besides its anonymous one: writable segments, stack, heap

struct ProgramObjects {
  obj::ObjRef<Process> proc;
  bool proc_replicated;
  obj::ObjRef<FCM> memory;
  u32 pages;
  obj::ObjRef<Region> shared;
  volatile u32 partitioned;      // ObjRef index, 0 until made
  volatile u32 partitioned_factory;  // the factory that made it
  volatile u64 partitioned_claimed, partitioned_failed;
  obj::ObjRef<FCM> copies[kMaxCopies];
  unsigned ncopies;
  obj::ObjRef<FileTable> files;
  obj::ObjRef<FutexTable> futexes;
  obj::ObjRef<SignalTable> signals;
  obj::ObjRef<ProgramClock> clock;
  obj::ObjRef<ConsoleStream> out;
};

// The files' FCMs: one per file of the initial image with users.
struct FileObject {
  const u8* bytes;
  obj::ObjRef<FCM> fcm;
  u64 users;
};
constexpr unsigned kMaxFileObjects = 64;
FileObject g_files[kMaxFileObjects];
Mutex g_files_lock;

bool replicated() {
  const char* v = bootargs::get("program_process");
  return v && v[0] == 'r';
}

void destroy(u64 h);

u64 create(u64 pid, bool echo, u64 start_tb) {
  auto* o = static_cast<ProgramObjects*>(kzalloc(sizeof(ProgramObjects)));
  if (!o) return 0;
  SysStatus st;
  o->proc_replicated = replicated();
  if (o->proc_replicated) {
    st = ProcessReplicatedFactory::CreateDefault();
    if (st == kOk) st = DREF_FACTORY_DEFAULT(ProcessReplicated)->create(o->proc, pid);
  } else {
    st = ProcessSharedFactory::CreateDefault();
    if (st == kOk) st = DREF_FACTORY_DEFAULT(ProcessShared)->create(o->proc, pid);
  }
  o->pages = u32(bootargs::get_u64("program_pages", 32768));
  // The region every memory object's faults go through (its files', its
  // stack's and heap's too: it is made even without an anonymous one).
  if (st == kOk) st = FCMFactory::CreateDefault();
  if (st == kOk) st = RegionShared::Create(o->shared, 64);
  if (st == kOk && o->pages) st = FCMFactory::factoryRef->create(o->memory, o->pages);
  if (st == kOk) st = FileTableFactory::CreateDefault();
  if (st == kOk) st = DREF_FACTORY_DEFAULT(FileTable)->create(o->files);
  if (st == kOk) st = FutexTableFactory::CreateDefault();
  if (st == kOk) st = DREF_FACTORY_DEFAULT(FutexTable)->create(o->futexes);
  if (st == kOk) st = SignalTableFactory::CreateDefault();
  if (st == kOk) st = DREF_FACTORY_DEFAULT(SignalTable)->create(o->signals);
  if (st == kOk) st = ProgramClockFactory::CreateDefault();
  if (st == kOk) st = DREF_FACTORY_DEFAULT(ProgramClock)->create(o->clock, start_tb);
  if (st == kOk) st = ConsoleStreamFactory::CreateDefault();
  if (st == kOk) st = DREF_FACTORY_DEFAULT(ConsoleStream)->create(o->out, echo);
  if (st != kOk) {
    destroy(uval(o));
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
  o.partitioned_factory = f;
  mach::lwsync();  // the region before its reference
  store_once(o.partitioned, n.idx);
  return n;
}

SysStatus memory_fault(u64 h, u64 memory, uval vpage, u32 page, uval* frame, u32* region_kind) {
  ProgramObjects& o = of(h);
  if (!memory && page >= o.pages) return kErrNoMemory;
  obj::ObjRef<Region> r = region_to_use(o);
  *region_kind = r == o.shared ? 1 : 2;
  return r->faultPage(vpage, memory ? obj::ObjRef<FCM>{u32(memory)} : o.memory, page, *frame);
}

void memory_release(u64 h, uval vpage, u32 n) {
  ProgramObjects& o = of(h);
  o.shared->releasePages(vpage, n);
  obj::ObjRef<Region> p{load_once(o.partitioned)};
  if (p.valid()) p->releasePages(vpage, n);
}

u64 file_open(const u8* bytes, u64 size) {
  MutexGuard g(g_files_lock);
  FileObject* free_slot = nullptr;
  for (FileObject& f : g_files) {
    if (f.users && f.bytes == bytes) {
      ++f.users;
      return f.fcm.idx;
    }
    if (!f.users && !free_slot) free_slot = &f;
  }
  if (!free_slot || FCMFactory::CreateDefault() != kOk) return 0;
  const u32 npages = u32(max_of<u64>(1, (size + kPageSize - 1) >> kPageShift));
  obj::ObjRef<FCM> fcm;
  if (FCMFactory::factoryRef->createFilled(fcm, npages, FCMFill{bytes, size, 0, 0, 0, 0}) != kOk) return 0;
  *free_slot = FileObject{bytes, fcm, 1};
  return fcm.idx;
}

void file_close(u64 file) {
  MutexGuard g(g_files_lock);
  for (FileObject& f : g_files)
    if (f.users && f.fcm.idx == file) {
      if (--f.users == 0) FCMFactory::factoryRef->destroyFCM(f.fcm);
      return;
    }
}

SysStatus file_page(u64 file, u32 page, uval* frame) { return obj::ObjRef<FCM>{u32(file)}->getPage(page, *frame); }

u64 memory_create(u64 h, u64 file, u32 first, u64 keep_lo, u64 keep_hi, u32 npages) {
  ProgramObjects& o = of(h);
  if (o.ncopies == kMaxCopies) return 0;
  obj::ObjRef<FCM> c;
  if (FCMFactory::factoryRef->createFilled(c, npages, FCMFill{nullptr, 0, u32(file), first, keep_lo, keep_hi}) != kOk)
    return 0;
  o.copies[o.ncopies++] = c;
  return c.idx;
}

void memory_discard(u64 h, u64 memory, u32 first, u32 n) {
  obj::ObjRef<FCM> m = memory ? obj::ObjRef<FCM>{u32(memory)} : of(h).memory;
  for (u32 i = 0; i < n; ++i) m->discardPage(first + i);
}

s64 fd_install(u64 h, const user::FileDesc& d, u32 min_fd, bool cloexec) { return of(h).files->install(d, min_fd, cloexec); }
s64 fd_get(u64 h, u32 fd, user::FileDesc* out) { return of(h).files->get(fd, out); }
s64 fd_flags(u64 h, u32 fd, s64 set) { return of(h).files->fdFlags(fd, set); }
s64 fd_update(u64 h, u32 fd, u64 pos, s64 status) { return of(h).files->update(fd, pos, status); }
s64 fd_close(u64 h, u32 fd) {
  u64 drop;
  s64 r = of(h).files->close(fd, &drop);
  if (drop) file_close(drop);
  return r;
}
s64 fd_dup(u64 h, u32 fd, u32 to, u32 how) {
  u64 drop;
  s64 r = of(h).files->dup(fd, to, how, &drop);
  if (drop) file_close(drop);
  return r;
}

s64 fx_enqueue(u64 h, user::FutexWaiter* w, const volatile u32* word, u32 want) {
  return of(h).futexes->enqueue(w, word, want);
}
bool fx_leave(u64 h, user::FutexWaiter* w) { return of(h).futexes->leave(w); }
u64 fx_wake(u64 h, uval addr, bool shared, u32 bitset, u64 n) { return of(h).futexes->wake(addr, shared, bitset, n); }
s64 fx_requeue(u64 h, uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp) {
  return of(h).futexes->requeue(addr, to, shared, n, m, word, cmp);
}
s64 fx_wake_op(u64 h, uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code) {
  return of(h).futexes->wakeOp(addr, addr2, shared, n, m, word2, code);
}
void fx_nudge(u64 h, const void* thread) { of(h).futexes->nudge(thread); }

s64 sig_action(u64 h, unsigned sig, const user::SigAction* nw, user::SigAction* old) {
  return of(h).signals->exchange(sig, nw, old);
}
void sig_deliver(u64 h, unsigned sig, user::SigAction* out) { of(h).signals->deliver(sig, out); }
bool clock_now(u64 h, u64 clock, u64* ns) { return of(h).clock->now(clock, ns); }
bool clock_res(u64 h, u64 clock, u64* ns) { return of(h).clock->resolution(clock, ns); }
void out_write(u64 h, const char* bytes, u64 n) { of(h).out->write(bytes, n); }
void out_totals(u64 h, u64* bytes, u64* digest) { of(h).out->totals(bytes, digest); }
void out_flush(u64 h) { of(h).out->flush(); }

void destroy(u64 h) {
  ProgramObjects& o = of(h);
  if (o.out.valid()) DREF_FACTORY_DEFAULT(ConsoleStream)->destroyStream(o.out);
  if (o.clock.valid()) DREF_FACTORY_DEFAULT(ProgramClock)->destroyClock(o.clock);
  if (o.signals.valid()) DREF_FACTORY_DEFAULT(SignalTable)->destroyTable(o.signals);
  if (o.futexes.valid()) DREF_FACTORY_DEFAULT(FutexTable)->destroyTable(o.futexes);
  if (o.files.valid()) {
    for (s64 fd; (fd = o.files->nextOpen(0)) >= 0;) fd_close(h, u32(fd));
    DREF_FACTORY_DEFAULT(FileTable)->destroyTable(o.files);
  }
  for (unsigned i = 0; i < o.ncopies; ++i) FCMFactory::factoryRef->destroyFCM(o.copies[i]);
  if (o.memory.valid()) FCMFactory::factoryRef->destroyFCM(o.memory);
  if (o.partitioned) obj::ObjRef<RegionPartitionedFactory>{o.partitioned_factory}->destroyRegion(obj::ObjRef<Region>{o.partitioned});
  if (o.shared.valid()) RegionShared::Destroy(o.shared);
  if (o.proc.valid()) {
    if (o.proc_replicated) DREF_FACTORY_DEFAULT(ProcessReplicated)->destroyProcess(o.proc);
    else DREF_FACTORY_DEFAULT(ProcessShared)->destroyProcess(o.proc);
  }
  kfree(&o);
}

const user::ObjectHooks kHooks = {create,        pid,          thread_added,   thread_removed, memory_pages,
                                  memory_fault,  memory_release, file_open,     file_close,     file_page,
                                  memory_create, memory_discard, fd_install,    fd_get,         fd_close,
                                  fd_dup,        fd_flags,       fd_update,     fx_enqueue,     fx_leave,
                                  fx_wake,       fx_requeue,     fx_wake_op,    fx_nudge,       sig_action,
                                  sig_deliver,   clock_now,      clock_res,     out_write,      out_totals,
                                  out_flush,     destroy};

struct Install {
  Install() { user::set_object_hooks(&kHooks); }
} g_install;

}  // namespace
