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
  volatile u64 finish;  // a later class update waits: convert what is left now
  u64 forced;           // converted by finish_lazy, without their call
  volatile u64 claiming;  // calls between taking an instance's mark and queueing it
  Latch finished{1};    // counted down when done
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
  atomic_inc(&l->claiming);  // the converter is not done while a mark is in hand
  Request* q = static_cast<Request*>(kmalloc(sizeof(Request)));
  if (!q) {
    atomic_dec(&l->claiming);
    return;  // it stays marked: a later call queues it
  }
  {
    SpinGuard g(l->reg->lists[r->inst_cpu].lock);
    if (r->updating != obj::kUpdLazy) {
      kfree(q);
      atomic_dec(&l->claiming);
      return;  // another CPU's call queued it first
    }
    r->updating = obj::kUpdSwapping;  // from now on a destroy is the converter's to finish
  }
  q->root = r;
  {
    SpinGuard g(l->qlock);
    q->next = l->queue;
    l->queue = q;
  }
  atomic_dec(&l->claiming);
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

// Takes up to `max` instances still marked lazy, as a call would (marked
// kUpdSwapping under their list's lock, so a destroy is the converter's to
// finish); returns how many.
unsigned claim_marked(LazyUpdate* l, obj::ObjectRoot** out, unsigned max) {
  unsigned n = 0;
  for (unsigned c = 0; c < ncpus() && n < max; ++c) {
    SpinGuard g(l->reg->lists[c].lock);
    for (obj::ObjectRoot* r = l->reg->lists[c].head; r && n < max; r = r->inst_next)
      if (r->updating == obj::kUpdLazy) {
        r->updating = obj::kUpdSwapping;
        out[n++] = r;
      }
  }
  return n;
}

// No call holds a mark it took and nothing is queued: a call queues before it
// lets go of its claim, so after a claim count of 0 the queue is up to date.
bool settled(LazyUpdate* l) {
  if (l->claiming) return false;
  mach::sync();
  return !l->queue;
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
    if (l->finish && l->ready) {  // a later class update waits: the rest now, without their calls
      obj::ObjectRoot* batch[32];
      unsigned n = claim_marked(l, batch, 32);
      for (unsigned k = 0; k < n; ++k) convert(l, batch[k]);
      l->forced += n;
      if (n) continue;
      if (settled(l)) break;  // nothing marked, none in a call's hand, nothing queued
      Thread::yield();
      continue;
    }
    // Nothing queued: done once nothing is left marked (and nothing queued
    // meanwhile: a call may have taken the last mark just now).
    if (++idle % 16 == 0 && l->ready && still_lazy(l) == 0 && settled(l)) break;
    Thread::sleep_cycles(2000);
  }
  ev::emit(ev::LAZY_DONE, l->ctx.seq, l->armed, l->converted);
  kprintf("update %lu: lazy conversion done: %lu of %lu instances converted, %lu on their next call, %lu at once for a "
          "later class update\n", l->ctx.seq, u64(l->converted), l->armed, u64(l->converted) - l->forced, l->forced);
  // The previous class's code: no instance can run it any more.
  release_module(l->ctx, l->old_code);
  l->done = 1;
  g_lazy = nullptr;
  l->finished.count_down();
}

}  // namespace

SysStatus arm_lazy(UpdateContext& ctx, u32 fref, obj::Factory* nf, u64* armed) {
  PhaseScope ph(ctx.seq, kPhase_LAZY_ARM, fref);
  LazyUpdate* l = static_cast<LazyUpdate*>(kzalloc(sizeof(LazyUpdate)));
  if (!l) return kErrNoMemory;
  new (&l->qlock) SpinLock();
  new (&l->finished) Latch(1);
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

SysStatus finish_lazy(UpdateContext& ctx) {
  LazyUpdate* l = g_lazy;
  if (!l) return kOk;
  PhaseScope ph(ctx.seq, kPhase_LAZY_FINISH, l->ctx.seq);
  l->finish = 1;
  mach::sync();
  bool ok = wait_uncounted_for(l->finished, ctx.timeout_cycles * (1 + l->armed - l->converted));
  return ok ? kOk : kErrBusy;
}

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
