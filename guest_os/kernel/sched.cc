// Threads and the per-CPU scheduler (thread.h describes the model).
//
// Locking and synchronization: a CPU's run queue, timer list, thread list,
// free-thread cache and generation counts are touched only by that CPU with
// interrupts off. Other CPUs reach a CPU only through its incoming list
// (PerCpu::remote, under incoming_lock) followed by an IPI; the IPI is
// skipped when the target polls in its idle loop (idle_polling), which is
// safe because the target clears idle_polling and then drains the list (a
// sync between the two; partner: the sync between the waker's push and its
// read of idle_polling).
#include "kernel/thread.h"

#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/trap.h"
#include "kernel/xcall.h"

extern "C" void context_switch(u64* save_sp, u64 next_sp);
extern "C" char thread_trampoline_code[];

namespace sched {
void timer_arm(PerCpu* c, Thread* t, u64 deadline) {
  t->deadline = deadline ? deadline : 1;
  Thread** p = &c->timers;
  while (*p && (*p)->deadline <= t->deadline) p = &(*p)->timer_next;
  t->timer_next = *p;
  *p = t;
}

void timer_cancel(PerCpu* c, Thread* t) {
  if (!t->deadline) return;
  for (Thread** p = &c->timers; *p; p = &(*p)->timer_next)
    if (*p == t) {
      *p = t->timer_next;
      break;
    }
  t->deadline = 0;
}

}  // namespace sched

namespace {

constexpr u64 kFreeCacheMax = 64;
// How long an urgent thread keeps its CPU past its slices (tick): 2 ms at
// the default 100 us tick.
constexpr u64 kUrgentSliceTicks = 20;
// Written at the lowest doubleword of every thread stack; checked at every
// switch away from the thread, so an overflow is reported near its cause.
constexpr u64 kStackCanary = 0x5354414b43414e59ull;  // "STAKCANY"

constexpr u32 kDefaultStackPages = 4;
volatile u64 g_next_thread_id = 1;
u64 g_timebase_divider = 8;
u64 g_clock_hz = 1650000000;

Thread* alloc_thread(PerCpu* c, u32 stack_pages) {
  if (stack_pages == kDefaultStackPages && c->free_threads) {
    Thread* t = c->free_threads;
    c->free_threads = t->free_next;
    --c->free_count;
    return t;
  }
  Thread* t = static_cast<Thread*>(kmalloc(sizeof(Thread)));
  if (!t) return nullptr;
  void* stack = alloc_pages(stack_pages);
  if (!stack) {
    kfree(t);
    return nullptr;
  }
  t->stack_base = uval(stack);
  t->stack_pages = stack_pages;
  return t;
}

void free_thread(PerCpu* c, Thread* t) {
  t->magic = 0;
  if (t->stack_pages == kDefaultStackPages && c->free_count < kFreeCacheMax) {
    t->free_next = c->free_threads;
    c->free_threads = t;
    ++c->free_count;
    return;
  }
  free_pages(reinterpret_cast<void*>(t->stack_base), t->stack_pages);
  kfree(t);
}

void list_add(PerCpu* c, Thread* t) {
  t->all_prev = nullptr;
  t->all_next = c->thread_list;
  if (c->thread_list) c->thread_list->all_prev = t;
  c->thread_list = t;
  ++c->live_threads;
}

void list_remove(PerCpu* c, Thread* t) {
  if (t->all_prev) t->all_prev->all_next = t->all_next;
  else c->thread_list = t->all_next;
  if (t->all_next) t->all_next->all_prev = t->all_prev;
  --c->live_threads;
}

// t starts on this CPU: it joins the current generation and becomes ready.
void admit(PerCpu* c, Thread* t) {
  if (!(t->flags & Thread::kUncounted)) gen::join(t);
  list_add(c, t);
  ++c->n_threads_created;
  if (ev::trace_threads) ev::emit(ev::THREAD_CREATE, t->id, c->cpu, t->generation);
}

void drain_incoming(PerCpu* c) {
  if (!load_once(c->remote.incoming.head)) return;  // racy peek; a push is always followed by an IPI or seen by idle
  c->remote.incoming_lock.acquire();
  Thread* t = c->remote.incoming.head;
  c->remote.incoming.head = c->remote.incoming.tail = nullptr;
  c->remote.incoming.count = 0;
  c->remote.incoming_lock.release();
  while (t) {
    Thread* next = t->qnext;
    if (t->state == ThreadState::New) admit(c, t);
    t->state = ThreadState::Ready;
    if (t->flags & Thread::kUrgent) c->runq.push_front(t);
    else c->runq.push_back(t);
    t = next;
  }
}

void finish_switch(PerCpu* c) {
  if (c->zombie) {
    free_thread(c, c->zombie);
    c->zombie = nullptr;
  }
}

// ---- timers: threads sorted by deadline (time-base ticks) ----
// Thread::wake_reason: 0 woken, 1 timed out, 2 sleeping on the timer alone.
enum : u64 { kWoken = 0, kTimedOut = 1, kTimerSleep = 2 };

void timer_fire(Thread* t) {
  if (WaitQueue* wq = load_once(t->waiting_on)) {
    wq->lock.acquire();
    bool still_waiting = t->waiting_on == wq;
    if (still_waiting) {
      wq->waiters.remove(t);
      t->waiting_on = nullptr;
      t->wake_reason = kTimedOut;
    }
    wq->lock.release();
    if (still_waiting) sched::make_ready(t);
  } else if (t->wake_reason == kTimerSleep) {
    t->wake_reason = kTimedOut;
    sched::make_ready(t);
  }
  // else: woken from its wait queue already; nothing to do.
}

}  // namespace

extern "C" [[noreturn]] void thread_main(Thread* t) {
  mmu::unload_low();  // a process's segments may be where the kernel's linear map goes
  mmu::enter_mode(mmu::thread_mode());  // translated when the MMU is on (it came here from schedule())
  finish_switch(this_cpu());
  irq_enable();
  t->fn(t->arg);
  Thread::exit();
}

Thread* Thread::create(void (*fn)(void*), void* arg, const ThreadOptions& opts) {
  u64 f = irq_save();
  PerCpu* c = this_cpu();
  unsigned target = opts.cpu < 0 ? unsigned(c->cpu) : unsigned(opts.cpu);
  KASSERT(target < g_ncpus);
  u32 pages = opts.stack_pages ? opts.stack_pages : kDefaultStackPages;
  Thread* t = alloc_thread(c, pages);
  if (!t) {
    irq_restore(f);
    return nullptr;
  }
  uval base = t->stack_base;
  memset(t, 0, sizeof *t);
  t->stack_base = base;
  t->stack_pages = pages;
  t->magic = kMagic;
  t->id = atomic_fetch_add(&g_next_thread_id, 1);
  t->state = ThreadState::New;
  t->cpu = target;
  t->fn = fn;
  t->arg = arg;
  t->name = opts.name ? opts.name : "thread";
  t->aspace = opts.aspace;
  t->flags = opts.flags;
  t->created_cycles = mach::cycles();
  // The initial stack: a terminal ABI frame whose LR slot sends the first
  // context_switch into the trampoline, below it a switch frame with r14 = t.
  uval top = base + (uval(pages) << kPageShift);
  uval outer = top - 112;
  reinterpret_cast<u64*>(outer)[0] = 0;
  reinterpret_cast<u64*>(outer)[2] = uval(thread_trampoline_code);
  uval sw = outer - 272;
  memset(reinterpret_cast<void*>(sw), 0, 272);
  reinterpret_cast<u64*>(sw)[0] = outer;
  reinterpret_cast<u64*>(sw + 112)[0] = uval(t);   // r14
  reinterpret_cast<u64*>(sw + 112 + 152)[0] = c->kernel_toc;  // r2
  t->saved_sp = sw;
  *reinterpret_cast<u64*>(base) = kStackCanary;
  sched::make_ready(t);
  irq_restore(f);
  return t;
}

void Thread::exit() {
  irq_disable();
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  KASSERT(!(t->flags & kIdle));
  if (!(t->flags & (kUncounted | kOutOfGeneration))) gen::leave(t);
  if (ev::trace_threads) ev::emit(ev::THREAD_EXIT, t->id, t->generation, mach::cycles() - t->created_cycles);
  list_remove(c, t);
  ++c->n_threads_exited;
  t->state = ThreadState::Dead;
  c->zombie = t;
  sched::schedule();
  panic("a dead thread was scheduled");
}

void Thread::yield() {
  u64 f = irq_save();
  sched::schedule();
  irq_restore(f);
}

void Thread::sleep_cycles(u64 cycles) {
  u64 f = irq_save();
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  t->state = ThreadState::Blocked;
  t->wake_reason = kTimerSleep;
  sched::timer_arm(c, t, mach::mftb() + sched::cycles_to_ticks(cycles) + 1);
  sched::schedule();
  sched::timer_cancel(c, t);
  irq_restore(f);
}

void Thread::quiescent_point() {
  u64 f = irq_save();
  Thread* t = this_cpu()->current;
  if (!(t->flags & (kUncounted | kOutOfGeneration))) {
    gen::leave(t);
    gen::check_switch();
    gen::join(t);
  }
  irq_restore(f);
}

void Thread::quiescent_begin() {
  u64 f = irq_save();
  Thread* t = this_cpu()->current;
  if (!(t->flags & (kUncounted | kOutOfGeneration))) {
    gen::leave(t);
    t->flags |= kOutOfGeneration;
  }
  irq_restore(f);
}

void Thread::quiescent_end() {
  u64 f = irq_save();
  Thread* t = this_cpu()->current;
  if ((t->flags & kOutOfGeneration) && !(t->flags & kUncounted)) {
    t->flags &= ~kOutOfGeneration;
    gen::check_switch();
    gen::join(t);
  }
  irq_restore(f);
}

namespace {
bool plausible(uval sp, uval lo, uval hi) { return sp >= lo && sp + 24 <= hi && (sp & 15) == 0; }
}  // namespace

unsigned Thread::backtrace(uval* pcs, unsigned max) const {
  unsigned n = 0;
  uval lo = stack_base, hi = stack_base + (uval(stack_pages) << kPageShift);
  uval sp;
  if (interrupted) {
    if (n < max) pcs[n++] = interrupted->pc;
    sp = interrupted->gpr[1];
  } else if (state == ThreadState::Running) {
    return 0;  // running right now: only its own CPU can look (for_each_thread does)
  } else {
    sp = saved_sp;
  }
  if (flags & kIdle) lo = 0, hi = ~uval(0);
  while (n < max && plausible(sp, lo, hi)) {
    uval next = *reinterpret_cast<uval*>(sp);
    if (!plausible(next, lo, hi) || next <= sp) break;
    pcs[n++] = *reinterpret_cast<uval*>(next + 16);
    sp = next;
  }
  return n;
}

namespace sched {

u64 clock_hz() { return g_clock_hz; }
u64 cycles_per_tick() { return this_cpu()->tick_ticks * g_timebase_divider; }
u64 timebase_hz() { return g_clock_hz / g_timebase_divider; }
u64 cycles_to_ticks(u64 cycles) { return cycles / g_timebase_divider; }

void init_cpu(unsigned cpu) {
  PerCpu* c = this_cpu();
  // The boot context becomes this CPU's idle thread (its stack is the boot stack).
  Thread* idle = static_cast<Thread*>(kzalloc(sizeof(Thread)));
  KASSERT(idle);
  idle->magic = Thread::kMagic;
  idle->id = atomic_fetch_add(&g_next_thread_id, 1);
  idle->state = ThreadState::Running;
  idle->cpu = cpu;
  idle->name = "idle";
  idle->flags = Thread::kUncounted | Thread::kIdle;
  c->idle = idle;
  c->current = idle;
  list_add(c, idle);
  u64 tick_us = bootargs::get_u64("tick_us", 100);
  c->tick_ticks = tick_us * timebase_hz() / 1000000;
  if (!c->tick_ticks) c->tick_ticks = 1;
  c->slice_ticks = bootargs::get_u64("slice_ticks", 2);
  if (!c->slice_ticks) c->slice_ticks = 1;
  c->slice_left = c->slice_ticks;
  mach::mtdec(c->tick_ticks);
}

void set_clock(u64 clock_hz, u64 divider) {
  g_clock_hz = clock_hz;
  g_timebase_divider = divider ? divider : 1;
}

void schedule() {
  PerCpu* c = this_cpu();
  KASSERT_MSG(!c->preempt_disable || c->current->state == ThreadState::Running,
              "thread %lu sleeps with preemption disabled", c->current->id);
  gen::check_switch();
  drain_incoming(c);
  Thread* prev = c->current;
  const bool requeue = prev->state == ThreadState::Running && !(prev->flags & Thread::kIdle);
  if (requeue) prev->state = ThreadState::Ready;
  Thread* next = c->runq.pop_front();
  // An urgent thread gives way only to another urgent one, until its ticks
  // past its slices are used up (tick()), and then runs next: a reschedule
  // that found an ordinary thread first in line (a resched IPI that came
  // late, the wake-up it was for already done) took the module service
  // thread's CPU for a whole slice, 200 us (tests/update/check_bursts.sh
  // fifty, with IPIs 150 cycles on their way).
  bool by_budget = false;
  if (requeue) {
    const bool urgent = prev->flags & Thread::kUrgent;
    by_budget = next && urgent && !(next->flags & Thread::kUrgent) && c->urgent_ticks < kUrgentSliceTicks;
    if (!next || by_budget) {
      if (next) c->runq.push_front(next);
      next = prev;
    } else if (urgent) {
      c->runq.push_front(prev);
    } else {
      c->runq.push_back(prev);
    }
  }
  if (!next) next = c->idle;
  c->need_resched = 0;
  c->slice_left = c->slice_ticks;
  if (!by_budget) c->urgent_ticks = 0;
  next->state = ThreadState::Running;
  if (next == prev) return;
  KASSERT_MSG((prev->flags & Thread::kIdle) || *reinterpret_cast<u64*>(prev->stack_base) == kStackCanary,
              "stack overflow in thread %lu (%s)", prev->id, prev->name);
  c->current = next;
  ++c->n_switches;
  if (ev::trace_switches) ev::emit(ev::THREAD_SWITCH, prev->id, next->id, u64(prev->state));
  if (next->aspace) mmu::switch_aspace(next->aspace);  // kernel threads keep whatever is loaded
  // The translation mode is this thread's own (an interrupt handler runs in
  // real mode, a thread translated): keep it across the switch.
  u64 mode = mmu::mode();
  context_switch(&prev->saved_sp, next->saved_sp);
  mmu::unload_low();  // the previous thread may have run a process in problem state (kernel/user.cc)
  mmu::enter_mode(mode);
  finish_switch(this_cpu());
}

void make_ready(Thread* t) {
  PerCpu* c = this_cpu();
  if (t->cpu == c->cpu) {
    if (t->state == ThreadState::New) admit(c, t);
    t->state = ThreadState::Ready;
    if (!(t->flags & Thread::kUrgent)) {
      c->runq.push_back(t);
      if (c->current == c->idle) c->need_resched = 1;
      return;
    }
    // Urgent (thread.h): first in line, and this CPU reschedules now. In an
    // interrupt handler (the current thread's trap frame is set) that is at
    // interrupt exit; the idle loop sees its run queue; thread context takes
    // a self-IPI once interrupts are on again (mtmsrd lets it in at once).
    c->runq.push_front(t);
    c->need_resched = 1;
    Thread* cur = c->current;
    if (cur != c->idle && cur != t && !cur->interrupted && !c->preempt_disable) ipi_send(c->cpu, kIpiResched);
    return;
  }
  PerCpu* target = cpu_area(t->cpu);
  target->remote.incoming_lock.acquire();
  target->remote.incoming.push_back(t);
  target->remote.incoming_lock.release();
  mach::sync();  // partner: the sync in idle_loop between clearing idle_polling and draining
  if (ev::trace_switches) ev::emit(ev::THREAD_WAKE, t->id, t->cpu);
  if (!load_once(target->remote.idle_polling)) ipi_send(t->cpu, kIpiResched);
}

void tick() {
  PerCpu* c = this_cpu();
  mach::mtdec(c->tick_ticks);
  ++c->ticks;
  u64 now = mach::mftb();
  while (c->timers && c->timers->deadline <= now) {
    Thread* t = c->timers;
    c->timers = t->timer_next;
    t->deadline = 0;
    timer_fire(t);
  }
  if (--c->slice_left == 0) {
    c->slice_left = c->slice_ticks;
    // An urgent thread keeps its CPU for kUrgentSliceTicks (a hot swap's
    // phases take tens of microseconds at 64 CPUs under load, and losing
    // the CPU for a whole slice to an ordinary thread turns them into
    // hundreds); then the normal rule again, so it cannot starve its CPU.
    Thread* cur = c->current;
    bool keep = (cur->flags & Thread::kUrgent) && (c->urgent_ticks += c->slice_ticks) < kUrgentSliceTicks;
    if (!keep && others_ready()) c->need_resched = 1;
  }
}

void ipi_resched() { this_cpu()->need_resched = 1; }

bool others_ready() {
  PerCpu* c = this_cpu();
  return !c->runq.empty() || load_once(c->remote.incoming.head) != nullptr;
}

NoPreemptScope::NoPreemptScope() {
  u64 f = irq_save();
  ++this_cpu()->preempt_disable;
  irq_restore(f);
}

NoPreemptScope::~NoPreemptScope() {
  u64 f = irq_save();
  PerCpu* c = this_cpu();
  KASSERT(c->preempt_disable > 0);
  if (--c->preempt_disable == 0 && c->need_resched) schedule();
  irq_restore(f);
}

UrgentScope::UrgentScope() {
  u64 f = irq_save();
  Thread* t = this_cpu()->current;
  was_ = t->flags & Thread::kUrgent;
  t->flags |= Thread::kUrgent;
  irq_restore(f);
}

UrgentScope::~UrgentScope() {
  if (was_) return;
  u64 f = irq_save();
  this_cpu()->current->flags &= ~Thread::kUrgent;
  irq_restore(f);
}

void preempt_if_needed() {
  PerCpu* c = this_cpu();
  if (c->need_resched && !c->preempt_disable) schedule();
}

// The idle loop polls its run queue and incoming list. Between polls it
// executes `idle_pause` dependent divides: they have no side effects and the
// longest latency of any instruction class without memory traffic (36 cycles
// each on the POWER5 config), so an idle CPU costs the simulator's host far
// fewer instructions per simulated cycle, at the price of noticing new work
// up to idle_pause*36 cycles later (the machine has no wait-for-interrupt).
namespace {
u64 g_idle_pause = 4;
inline void idle_pause(u64 n) {
  u64 x = 1, one = 1;
  for (u64 i = 0; i < n; ++i) asm volatile("divd %0,%0,%1" : "+r"(x) : "r"(one));
  mach::cpu_relax();
}
}  // namespace

void idle_loop() {
  PerCpu* c = this_cpu();
  if (c->cpu == 0) g_idle_pause = bootargs::get_u64("idle_pause", 4);
  irq_enable();
  for (;;) {
    store_once(c->remote.idle_polling, u64(1));
    mach::sync();
    while (c->runq.empty() && !load_once(c->remote.incoming.head)) idle_pause(g_idle_pause);
    irq_disable();
    store_once(c->remote.idle_polling, u64(0));
    mach::sync();  // partner: the sync in make_ready between the push and its idle_polling read
    schedule();
    irq_enable();
  }
}

namespace {
struct ForEach {
  void (*fn)(Thread*, void*);
  void* arg;
};
void for_each_local(void* a) {
  ForEach* fe = static_cast<ForEach*>(a);
  for (Thread* t = this_cpu()->thread_list; t; t = t->all_next) fe->fn(t, fe->arg);
}
}  // namespace

void for_each_thread(unsigned cpu, void (*fn)(Thread*, void*), void* arg) {
  ForEach fe{fn, arg};
  xcall(cpu, for_each_local, &fe);
}

}  // namespace sched
