// The mediator (mediator.h): the call path of an object under swap, the
// swapping thread's controls, and the retirement of used mediators.
#include "update/mediator.h"

#include "kernel/atomic.h"
#include "kernel/dlist.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/thread.h"

namespace obj {

volatile u64 g_blocked_calls;
volatile u64 g_blocked_max_cycles;

Mediator* Mediator::Create(u32 idx, ObjectRoot* old_root, u64 seq) {
  CpuCalls* cpus = kzalloc_array<CpuCalls>(ncpus());
  Mediator* m = cpus ? static_cast<Mediator*>(kzalloc(sizeof(Mediator))) : nullptr;
  if (!m) {
    kfree(cpus);
    return nullptr;
  }
  new (&m->held_) WaitQueue();
  new (&m->drained_) WaitQueue();
  m->cpus_ = cpus;
  m->idx_ = idx;
  m->seq_ = seq;
  m->old_ = old_root;
  m->phase_ = kForward;
  return m;
}

void Mediator::destroy() {
  kfree(cpus_);
  kfree(this);
}

bool Mediator::inside(const CpuCalls& c, Thread* t) const {
  for (CallRecord* r = c.head; r; r = r->next)
    if (r->thread == t) return true;
  return false;
}

bool Mediator::tracks(Thread* t) const { return inside(cpus_[t->cpu], t); }

// ---- the call path ------------------------------------------------------------

void* Mediator::enter(u32 idx, CallRecord* rec) {
  unsigned cpu = cpu_id();
  CpuCalls& c = cpus_[cpu];
  Thread* t = Thread::current();
  u64 f = c.lock.lock_irqsave();
  // Read under the lock: partner of start_blocking's round trip.
  u64 ph = phase_;
  if (ph == kForward || (ph == kBlock && inside(c, t))) {
    rec->med = this;
    rec->thread = t;
    rec->cpu = cpu;
    dlist_push_front(c.head, rec, &CallRecord::next, &CallRecord::prev);
    ++c.inflight;
    c.lock.unlock_irqrestore(f);
    return old_->rep_for(cpu);
  }
  c.lock.unlock_irqrestore(f);
  if (ph == kBlock) hold(t);
  return nullptr;  // switched or restored (or released just now): look again
}

void Mediator::exit(CallRecord* rec) {
  CpuCalls& c = cpus_[rec->cpu];
  u64 f = c.lock.lock_irqsave();
  dlist_remove(c.head, rec, &CallRecord::next, &CallRecord::prev);
  bool last = --c.inflight == 0;
  c.lock.unlock_irqrestore(f);
  // Read after the round trip through this CPU's lock: a call that leaves
  // after start_blocking sees kBlock (its partner).
  if (last && phase_ == kBlock) drained_.wake_all();
}

// A new call in kBlock: sleeps until finish() ends the phase.
void Mediator::hold(Thread* t) {
  atomic_inc(&blocked_);
  atomic_inc(&g_blocked_calls);
  ev::emit(ev::CALL_BLOCKED, seq_, idx_, t->id);
  u64 t0 = mach::cycles();
  u64 f = held_.lock.lock_irqsave();
  while (phase_ == kBlock) {  // re-read under held_.lock: partner of finish()
    held_.sleep_locked(f);
    f = held_.lock.lock_irqsave();
  }
  held_.lock.unlock_irqrestore(f);
  u64 waited = mach::cycles() - t0;
  for (u64 m = g_blocked_max_cycles; waited > m; m = g_blocked_max_cycles)
    if (atomic_cas(&g_blocked_max_cycles, m, waited) == m) break;
  ev::emit(ev::CALL_RELEASED, seq_, idx_, t->id, waited);
}

// ---- the swapping thread's side -------------------------------------------------

void Mediator::start_blocking() {
  phase_ = kBlock;
  mach::sync();  // kBlock before the round trips below; partner: enter() reads phase_ under its CPU's lock
  // After each CPU's lock round trip, every call that saw kForward on that
  // CPU has linked its record, so tracked_calls() counts it.
  for (unsigned c = 0; c < ncpus(); ++c) {
    u64 f = cpus_[c].lock.lock_irqsave();
    cpus_[c].lock.unlock_irqrestore(f);
  }
}

u64 Mediator::tracked_calls() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += load_once(cpus_[c].inflight);
  return n;
}

bool Mediator::wait_drained(u64 t0, u64 timeout) {
  for (;;) {
    u64 f = drained_.lock.lock_irqsave();
    if (tracked_calls() == 0) {
      drained_.lock.unlock_irqrestore(f);
      return true;
    }
    u64 spent = mach::cycles() - t0;
    if (spent >= timeout) {
      drained_.lock.unlock_irqrestore(f);
      return false;
    }
    drained_.sleep_locked(f, timeout - spent);  // woken by the last exit, or the timeout
  }
}

void Mediator::finish(Phase end) {
  u64 f = held_.lock.lock_irqsave();
  phase_ = end;  // under held_.lock: partner of hold()'s re-read
  held_.wake_all_locked();
  held_.lock.unlock_irqrestore(f);
}

// ---- retirement ---------------------------------------------------------------------

namespace {
// Retired mediators: freed once the generation current at their retirement
// has ended. Guarded by g_retired_lock.
struct Retired {
  Mediator* m;
  u64 mark;
  Retired* next;
};
SpinLock g_retired_lock;
Retired* g_retired;
}  // namespace

void Mediator::retire() {
  Retired* r = static_cast<Retired*>(kmalloc(sizeof(Retired)));
  KASSERT(r);
  r->m = this;
  r->mark = gen::mark();
  SpinGuard g(g_retired_lock);
  r->next = g_retired;
  g_retired = r;
}

void reclaim_retired() {
  Retired* done = nullptr;
  {
    SpinGuard g(g_retired_lock);
    Retired** pp = &g_retired;
    while (*pp) {
      Retired* r = *pp;
      if (gen::is_over(r->mark)) {
        *pp = r->next;
        r->next = done;
        done = r;
      } else {
        pp = &r->next;
      }
    }
  }
  while (done) {
    Retired* r = done;
    done = r->next;
    r->m->destroy();
    kfree(r);
  }
}

}  // namespace obj
