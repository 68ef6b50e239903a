#include "update/module_service.h"

#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/ksym.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/trap.h"
#include "loader/module_loader.h"
#include "objects/object_table.h"
#include "update/lifecycle.h"
#include "update/phases.h"

namespace upd {

namespace {

// Module memory: kernel heap for small blocks, whole pages otherwise.
struct AllocHeader {
  u64 pages;  // 0: kmalloc
  u64 raw;
};
void* env_alloc(void*, size_t size, size_t align) {
  if (align <= 16) {
    u8* p = static_cast<u8*>(kmalloc(size + 16));
    if (!p) return nullptr;
    reinterpret_cast<AllocHeader*>(p)->pages = 0;
    return p + 16;
  }
  uval pages = round_up<uval>(size + kPageSize, kPageSize) / kPageSize;
  u8* p = static_cast<u8*>(alloc_pages(pages));
  if (!p) return nullptr;
  reinterpret_cast<AllocHeader*>(p)->pages = pages;
  return p + kPageSize;  // page aligned, header in the page before
}
void env_free(void*, void* q) {
  if (!q) return;
  u8* p = static_cast<u8*>(q);
  if ((uval(p) & (kPageSize - 1)) == 0) {
    AllocHeader* h = reinterpret_cast<AllocHeader*>(p - kPageSize);
    if (h->pages) {
      free_pages(h, h->pages);
      return;
    }
  }
  kfree(p - 16);
}
bool env_lookup(void*, const char* name, uint64_t* addr) {
  ksym::Symbol s;
  if (!ksym::lookup(name, &s)) return false;
  *addr = s.addr;
  return true;
}

struct Delivery {
  u8* bytes;
  u64 size;
  u64 seq;
};

// Updates run one at a time (dynamic_update.h), in the order they arrived:
// the service threads queue on this mutex, which hands off to the longest
// waiter.
Mutex g_one_update;

void module_thread(void* a) {
  Delivery* d = static_cast<Delivery*>(a);
  MutexGuard one(g_one_update);
  UpdateContext ctx;
  ctx.seq = d->seq;
  ModuleOutcome o = run_module(d->bytes, d->size, ctx);
  if (o.loaded) kprintf("module %lu: init returned %ld\n", d->seq, o.init_result);
  else kprintf("module %lu rejected: %s\n", d->seq, o.reason);
  kfree(d->bytes);
  kfree(d);
}

// One waiting blob (the mailbox's head): SEQ is its own sequence number.
void take_one(u64 size) {
  using namespace mach;
  u64 seq = reg(kMailbox, mailbox::kSeq);
  Delivery* d = static_cast<Delivery*>(kmalloc(sizeof(Delivery)));
  u8* bytes = static_cast<u8*>(kmalloc(size));
  if (!d || !bytes) {
    kfree(d);
    kfree(bytes);
    reg(kMailbox, mailbox::kAck) = 1;
    ev::emit(ev::MODULE_REJECTED, seq, 1, 0);
    return;
  }
  reg(kMailbox, mailbox::kCopy) = reinterpret_cast<u64>(bytes);
  reg(kMailbox, mailbox::kAck) = 1;
  ev::emit(ev::MODULE_RECEIVED, seq, size);
  d->bytes = bytes;
  d->size = size;
  d->seq = seq;
  ThreadOptions t;
  t.name = "module service";
  // It waits for quiescence, so it must not hold it up; urgent: each of its
  // wake-ups runs at once, not at the next scheduler tick (thread.h).
  t.flags = Thread::kUncounted | Thread::kUrgent;
  t.stack_pages = 8;
  if (!Thread::create(module_thread, d, t)) {
    ev::emit(ev::MODULE_REJECTED, seq, 1, 0);
    kfree(bytes);
    kfree(d);
  }
}

// Serialises the mailbox's readers: updates aimed at different CPUs raise
// their interrupts on each, and two CPUs reading SIZE, SEQ and COPY of the
// same head and both acknowledging it took one blob twice and dropped the
// next (tools/stress/update-bursts.sh: 17 of 50 never received). Taken only
// here, in the interrupt handler, so never with interrupts on.
SpinLock g_mailbox_lock;

// Blobs that arrived together raise one interrupt: take every one waiting.
void mailbox_interrupt() {
  using namespace mach;
  SpinGuard g(g_mailbox_lock);
  while (u64 size = reg(kMailbox, mailbox::kSize)) take_one(size);
}

struct StaticInit {
  StaticInit() { module_service_init(); }
} g_static_init;

}  // namespace

void module_service_init() { set_mailbox_handler(mailbox_interrupt); }

const dusim::loader::ModuleEnv& module_env() {
  static const dusim::loader::ModuleEnv env{env_alloc, env_free, env_lookup, nullptr, 128};
  return env;
}

ModuleOutcome run_module(const u8* image, uval size, UpdateContext& ctx) {
  using namespace dusim::loader;
  sched::UrgentScope urgent;  // the module thread is urgent already; a test's thread becomes so (thread.h)
  obj::init();
  ModuleOutcome out{};
  LoadResult lr;
  {
    PhaseScope ph(ctx.seq, kPhase_LOAD, 0);
    lr = load_module(image, size, module_env());
  }
  if (!lr.ok) {
    out.loaded = false;
    memcpy(out.reason, lr.reason, sizeof out.reason);
    // The reason must outlive this call (its address is in the event).
    char* keep = static_cast<char*>(kmalloc(sizeof lr.reason));
    if (keep) memcpy(keep, lr.reason, sizeof lr.reason);
    ev::emit(ev::MODULE_REJECTED, ctx.seq, 2, reinterpret_cast<u64>(keep));
    ctx.finished = true;
    return out;
  }
  out.loaded = true;
  ev::emit(ev::MODULE_LOADED, ctx.seq, reinterpret_cast<u64>(lr.module.base), lr.module.size, lr.module.stubs);
  ctx.module = adopt_module(lr.module, ctx.seq);
  run_module_constructors(lr.module);
  {
    PhaseScope ph(ctx.seq, kPhase_INIT, 0);
    out.init_result = call_module_init(lr.module, &ctx);
  }
  if (out.init_result == 0) finish(ctx, kOk, 0, "");
  else finish(ctx, kErrInvalid, kReasonInit, "the module's init failed");
  module_done(ctx);
  return out;
}

}  // namespace upd
