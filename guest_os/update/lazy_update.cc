// The lazy class update (lazy_update.h): arm, the call path's hook, the
// converter.
#include "update/lazy_update.h"

#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "update/factory.h"
#include "update/lifecycle.h"
#include "update/phases.h"

namespace upd {

namespace {

struct Request {
  obj::ObjectRoot* root;
  Request* next;
};

struct LazyUpdate {
  UpdateContext ctx;  // the converter's: the update's number and timeout
  obj::Factory* nf;
  LoadedModule* old_code;  // the previous class's module, pinned until done (null: the kernel's)
  obj::InstanceRegistry* reg;
  u64 armed;
  volatile u64 converted;
  volatile u64 done;
  volatile u64 ready;  // every old instance is armed
  SpinLock qlock;     // guards queue
  Request* queue;
  LazyUpdate* next;   // every lazy update (never freed)
};

LazyUpdate* volatile g_lazy;  // the one converting now
SpinLock g_all_lock;          // guards g_all
LazyUpdate* g_all;

LazyUpdate* find(u64 seq) {
  SpinGuard g(g_all_lock);
  for (LazyUpdate* l = g_all; l; l = l->next)
    if (l->ctx.seq == seq) return l;
  return nullptr;
}

// ---- the call path (object_table.cc, a miss on an instance marked lazy) ----
void on_lazy_call(obj::ObjectRoot* r) {
  LazyUpdate* l = g_lazy;
  if (!l) return;
  Request* q = static_cast<Request*>(kmalloc(sizeof(Request)));
  if (!q) return;  // it stays marked: a later call queues it
  {
    SpinGuard g(l->reg->lists[r->inst_cpu].lock);
    if (r->updating != obj::kUpdLazy) {
      kfree(q);
      return;  // another CPU's call queued it first
    }
    r->updating = obj::kUpdSwapping;  // from now on a destroy is the converter's to finish
  }
  q->root = r;
  SpinGuard g(l->qlock);
  q->next = l->queue;
  l->queue = q;
}

Request* take(LazyUpdate* l) {
  SpinGuard g(l->qlock);
  Request* q = l->queue;
  if (q) l->queue = q->next;
  return q;
}

// Instances still marked lazy (never called since the update).
u64 still_lazy(LazyUpdate* l) {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    SpinGuard g(l->reg->lists[c].lock);
    for (obj::ObjectRoot* r = l->reg->lists[c].head; r; r = r->inst_next)
      if (r->updating == obj::kUpdLazy) ++n;
  }
  return n;
}

// ---- the converter -------------------------------------------------------------------
void convert(LazyUpdate* l, obj::ObjectRoot* old) {
  u32 ref = old->ref;
  InstanceSwapCounts n{};
  swap_instance(l->ctx, l->nf, old, n);
  if (n.swapped) atomic_inc(&l->converted);
  ev::emit(ev::LAZY_CONVERTED, l->ctx.seq, ref, l->converted);
}

void converter(void* a) {
  LazyUpdate* l = static_cast<LazyUpdate*>(a);
  for (unsigned idle = 0;; ) {
    if (Request* q = take(l)) {
      convert(l, q->root);
      kfree(q);
      idle = 0;
      continue;
    }
    // Nothing queued: done once nothing is left marked (and nothing queued
    // meanwhile: a call may have taken the last mark just now).
    if (++idle % 16 == 0 && l->ready && still_lazy(l) == 0 && !l->queue) break;
    Thread::sleep_cycles(2000);
  }
  ev::emit(ev::LAZY_DONE, l->ctx.seq, l->armed, l->converted);
  kprintf("update %lu: lazy conversion done: %lu of %lu instances converted on their next call\n", l->ctx.seq,
          u64(l->converted), l->armed);
  // The previous class's code: no instance can run it any more.
  release_module(l->ctx, l->old_code);
  l->done = 1;
  g_lazy = nullptr;
}

}  // namespace

SysStatus arm_lazy(UpdateContext& ctx, u32 fref, obj::Factory* nf, u64* armed) {
  PhaseScope ph(ctx.seq, kPhase_LAZY_ARM, fref);
  LazyUpdate* l = static_cast<LazyUpdate*>(kzalloc(sizeof(LazyUpdate)));
  if (!l) return kErrNoMemory;
  new (&l->qlock) SpinLock();
  l->ctx.seq = ctx.seq;
  l->ctx.timeout_cycles = ctx.timeout_cycles;
  l->ctx.module = ctx.module;
  l->nf = nf;
  l->reg = nf->registry();
  l->old_code = pin_code_of(fref);
  obj::set_lazy_call_hook(on_lazy_call);
  if (atomic_cas(reinterpret_cast<volatile u64*>(&g_lazy), 0, reinterpret_cast<u64>(l)) != 0) {
    release_module(ctx, l->old_code);
    kfree(l);
    return kErrBusy;
  }
  ThreadOptions t;
  t.name = "lazy class update";
  t.flags = Thread::kUncounted;
  t.stack_pages = 8;
  if (!Thread::create(converter, l, t)) {
    g_lazy = nullptr;
    release_module(ctx, l->old_code);
    kfree(l);
    return kErrNoMemory;
  }
  u64 v = nf->version(), n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    obj::InstanceRegistry::List& list = l->reg->lists[c];
    SpinGuard g(list.lock);
    for (obj::ObjectRoot* r = list.head; r; r = r->inst_next)
      if (r->class_version != v && r->updating == obj::kUpdIdle) {
        r->updating = obj::kUpdLazy;
        obj::flush_local_entries(r->ref);  // its next call on every CPU misses
        ++n;
      }
  }
  l->armed = n;
  *armed = n;
  {
    SpinGuard g(g_all_lock);
    l->next = g_all;
    g_all = l;
  }
  mach::sync();
  l->ready = 1;
  return kOk;
}

bool lazy_busy() { return g_lazy != nullptr; }

bool lazy_converting(u64 seq) {
  LazyUpdate* l = find(seq);
  return l && !l->done;
}

bool lazy_counts(u64 seq, u64* armed, u64* converted, bool* done) {
  LazyUpdate* l = find(seq);
  if (!l) return false;
  *armed = l->armed;
  *converted = l->converted;
  *done = l->done != 0;
  return true;
}

}  // namespace upd
