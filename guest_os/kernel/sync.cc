// Wait queues, mutexes, latches and barriers (sync.h), and the CPU barrier.
#include "kernel/sync.h"

#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"

bool WaitQueue::sleep_locked(u64 irq_flags, u64 timeout_cycles) {
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  KASSERT_MSG(!(t->flags & Thread::kIdle), "the idle thread may not block");
  t->state = ThreadState::Blocked;
  t->waiting_on = this;
  t->wake_reason = 0;
  waiters.push_back(t);
  if (timeout_cycles) sched::timer_arm(c, t, mach::mftb() + sched::cycles_to_ticks(timeout_cycles) + 1);
  lock.release();
  if (ev::trace_switches) ev::emit(ev::THREAD_BLOCK, t->id, uval(this));
  sched::schedule();
  sched::timer_cancel(c, t);
  bool woken = t->wake_reason == 0;
  irq_restore(irq_flags);
  return woken;
}

unsigned WaitQueue::wake_one_locked() {
  Thread* t = waiters.pop_front();
  if (!t) return 0;
  t->waiting_on = nullptr;
  t->wake_reason = 0;
  sched::make_ready(t);
  return 1;
}

unsigned WaitQueue::wake_all_locked() {
  unsigned n = 0;
  while (wake_one_locked()) ++n;
  return n;
}

void Mutex::lock() {
  u64 f = wq_.lock.lock_irqsave();
  Thread* me = this_cpu()->current;
  if (!owner_) {
    owner_ = me;
    wq_.lock.unlock_irqrestore(f);
    return;
  }
  KASSERT_MSG(owner_ != me, "mutex %p locked twice by thread %lu", this, me->id);
  ++contentions_;
  u64 t0 = mach::cycles();
  wq_.sleep_locked(f);  // unlock() hands the mutex to us before waking us
  KASSERT(owner_ == me);
  if (ev::trace_locks) ev::emit(ev::LOCK_CONTENDED, uval(this), mach::cycles() - t0);
}

bool Mutex::try_lock() {
  SpinGuard g(wq_.lock);
  if (owner_) return false;
  owner_ = this_cpu()->current;
  return true;
}

void Mutex::unlock() {
  SpinGuard g(wq_.lock);
  KASSERT_MSG(owner_ == this_cpu()->current, "mutex %p unlocked by a thread that does not hold it", this);
  owner_ = wq_.waiters.head;  // direct hand-off to the longest waiter (or free)
  wq_.wake_one_locked();
}

void Latch::add(u64 n) {
  SpinGuard g(wq_.lock);
  count_ += n;
}

void Latch::count_down(u64 n) {
  SpinGuard g(wq_.lock);
  KASSERT(count_ >= n);
  count_ -= n;
  if (count_ == 0) wq_.wake_all_locked();
}

void Latch::wait() {
  for (;;) {
    u64 f = wq_.lock.lock_irqsave();
    if (count_ == 0) {
      wq_.lock.unlock_irqrestore(f);
      return;
    }
    wq_.sleep_locked(f);
  }
}

bool Latch::wait_for(u64 timeout_cycles) {
  u64 t0 = mach::cycles();
  for (;;) {
    u64 f = wq_.lock.lock_irqsave();
    if (count_ == 0) {
      wq_.lock.unlock_irqrestore(f);
      return true;
    }
    u64 spent = mach::cycles() - t0;
    if (spent >= timeout_cycles) {
      wq_.lock.unlock_irqrestore(f);
      return false;
    }
    wq_.sleep_locked(f, timeout_cycles - spent);
  }
}

void Barrier::arrive_and_wait() {
  u64 f = wq_.lock.lock_irqsave();
  u64 phase = phase_;
  if (++arrived_ == parties_) {
    arrived_ = 0;
    phase_ = phase + 1;
    wq_.wake_all_locked();
    wq_.lock.unlock_irqrestore(f);
    return;
  }
  while (phase_ == phase) {
    wq_.sleep_locked(f);
    f = wq_.lock.lock_irqsave();
  }
  wq_.lock.unlock_irqrestore(f);
}

namespace {
struct alignas(KERNEL_CACHE_LINE) CpuBarrierState {
  volatile u64 count;
  volatile u64 sense;
};
CpuBarrierState g_cpu_barrier;
}  // namespace

// Sense-reversing: the last CPU to arrive resets the count and flips the
// sense (lwsync between; partner: the others' isync after seeing it flip).
void cpu_barrier() {
  u64 sense = g_cpu_barrier.sense;
  mach::isync();
  if (atomic_fetch_add(&g_cpu_barrier.count, 1) == g_ncpus - 1) {
    g_cpu_barrier.count = 0;
    mach::lwsync();
    g_cpu_barrier.sense = !sense;
  } else {
    while (g_cpu_barrier.sense == sense) mach::cpu_relax();
    mach::isync();
  }
}
