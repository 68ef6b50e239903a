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

namespace {
// Used mediators kept for the next swaps, their per-CPU call records as
// they are: zeroing ncpus() fresh cache lines costs a swap about 28,000
// cycles at 64 CPUs. A mediator comes here only when no caller can reach
// it (never interposed, or retired and its generation over), and then every
// CPU's count is zero, its list empty and its lock free: a swap switches
// only after its tracked calls have left, and a call still inside after a
// timeout holds open the generation reclaim_retired waits for. Guarded by
// g_spare_lock.
constexpr u64 kMaxSpares = 16;
SpinLock g_spare_lock;
Mediator* g_spare;
u64 g_spares;
}  // namespace

Mediator* Mediator::Create(u32 idx, ObjectRoot* old_root, u64 seq) {
  Mediator* m;
  {
    SpinGuard g(g_spare_lock);
    m = g_spare;
    if (m) {
      g_spare = m->spare_next_;
      --g_spares;
    }
  }
  if (!m) {
    CpuCalls* cpus = kzalloc_array<CpuCalls>(ncpus());
    m = cpus ? static_cast<Mediator*>(kzalloc(sizeof(Mediator))) : nullptr;
    if (!m) {
      kfree(cpus);
      return nullptr;
    }
    m->cpus_ = cpus;
  }
  new (&m->held_) WaitQueue();
  new (&m->drained_) WaitQueue();
  m->waiting_cpu_ = kNoCpu;
  m->idx_ = idx;
  m->seq_ = seq;
  m->old_ = old_root;
  m->blocked_ = 0;
  m->spare_next_ = nullptr;
  m->phase_ = kForward;
  return m;
}

void Mediator::destroy() {
  {
    SpinGuard g(g_spare_lock);
    if (g_spares < kMaxSpares) {
      spare_next_ = g_spare;
      g_spare = this;
      ++g_spares;
      return;
    }
  }
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
  // Counted before phase_ is read, with a sync between (Dekker with
  // start_blocking, which stores kBlock, syncs, then counts): either this
  // call sees kBlock, or the swapper's count includes it.
  ++c.inflight;
  mach::sync();
  u64 ph = phase_;
  if (ph == kForward || (ph == kBlock && inside(c, t))) {
    rec->med = this;
    rec->thread = t;
    rec->cpu = cpu;
    dlist_push_front(c.head, rec, &CallRecord::next, &CallRecord::prev);
    c.lock.unlock_irqrestore(f);
    return old_->rep_for(cpu);
  }
  bool last = --c.inflight == 0;  // not tracked after all
  c.lock.unlock_irqrestore(f);
  if (ph == kBlock) {
    mach::sync();  // the count before waiting_cpu_, as in exit()
    if (last && load_once(waiting_cpu_) == cpu) drained_.wake_all();  // it may have counted this one
    hold(t);
  }
  return nullptr;  // switched or restored (or released just now): look again
}

void Mediator::exit(CallRecord* rec) {
  CpuCalls& c = cpus_[rec->cpu];
  u64 f = c.lock.lock_irqsave();
  dlist_remove(c.head, rec, &CallRecord::next, &CallRecord::prev);
  bool last = --c.inflight == 0;
  c.lock.unlock_irqrestore(f);
  // The count before phase_ (Dekker with start_blocking): a call that
  // leaves after kBlock was stored sees it and wakes the swapper.
  mach::sync();
  if (last && phase_ == kBlock && load_once(waiting_cpu_) == rec->cpu) drained_.wake_all();
}

// A new call in kBlock: sleeps until finish() ends the phase.
void Mediator::hold(Thread* t) {
  atomic_inc(&blocked_);
  atomic_inc(&g_blocked_calls);
  ev::emit(ev::CALL_BLOCKED, seq_, idx_, t->id);
  u64 t0 = mach::cycles();
  // Spin first, while no other thread wants this CPU: a swap holds calls
  // for microseconds, and the release of a sleeping caller costs the
  // swapper a wake-up on the caller's CPU, one CPU after the other, while
  // spinners all see the end of the phase at once. The swapping thread is
  // urgent, so a spinner on its CPU gives way as soon as it is ready.
  while (load_once(phase_) == kBlock && mach::cycles() - t0 < kHoldSpinCycles && !sched::others_ready())
    mach::cpu_relax();
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
  mach::sync();  // kBlock before any count is read (tracked_calls); partner: the sync in enter() and exit()
}

u64 Mediator::tracked_calls() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += load_once(cpus_[c].inflight);
  return n;
}

bool Mediator::wait_drained(u64 t0, u64 timeout) {
  // In kBlock a CPU whose count is zero stays without tracked calls (a new
  // call there is held, or re-enters only where its thread has a record),
  // so the CPUs are checked once each, in order, and only the CPU being
  // waited for wakes the swapper (waiting_cpu_, read by exit() after its
  // sync; a Dekker pair with the store and sync here).
  for (unsigned c = 0; c < ncpus(); ++c) {
    if (load_once(cpus_[c].inflight) == 0) continue;
    for (;;) {
      u64 f = drained_.lock.lock_irqsave();
      waiting_cpu_ = c;
      mach::sync();  // the CPU waited for before its count; partner: the sync in exit()
      if (load_once(cpus_[c].inflight) == 0) {
        waiting_cpu_ = kNoCpu;
        drained_.lock.unlock_irqrestore(f);
        break;
      }
      u64 spent = mach::cycles() - t0;
      if (spent >= timeout) {
        waiting_cpu_ = kNoCpu;
        drained_.lock.unlock_irqrestore(f);
        return false;
      }
      drained_.sleep_locked(f, timeout - spent);  // woken by that CPU's last exit, or the timeout
    }
  }
  return true;
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
