// Generations: the protocol is described in generation.h. This file is its
// implementation: begin (under the lock) -> switch (each CPU, itself) ->
// drain (each CPU) -> complete (the last CPU to drain).
//
// Locking and synchronization: g_ctl.lock guards started/completed/requested
// and the begin/complete transitions. `started` and `completed` are also
// read without the lock: `started` by every CPU at every scheduling decision
// and interrupt (so it sits on a read-mostly cache line of its own), and
// `completed` by is_over(). The drain counters (`pending`, a two-level tree
// below) are the lines every CPU writes once per advance (atomic
// decrement). Per-CPU counts (PerCpu::gen_*) belong to their CPU and are
// only touched with interrupts off.
#include "kernel/generation.h"

#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/string.h"
#include "kernel/events.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/xcall.h"

namespace gen {
namespace {

struct alignas(KERNEL_CACHE_LINE) ReadMostly {
  volatile u64 started;    // G
  volatile u64 completed;  // the newest advance that completed
};
// Drain reports combine in a two-level tree: a CPU decrements its group's
// counter, and the last CPU of a group decrements the global one. With one
// flat counter, CPUs that drain at the same moment (an idle machine, a small
// quantum) make its line bounce with O(N^2) failed reservations; with groups
// of kGroup the contention is kGroup-wide at each level.
constexpr unsigned kGroup = 8;
constexpr unsigned kGroups = (kMaxCpus + kGroup - 1) / kGroup;
struct alignas(KERNEL_CACHE_LINE) Pending {
  volatile u64 left;       // CPUs (for a group) or groups (global) not yet drained
};
struct alignas(KERNEL_CACHE_LINE) Control {
  SpinLock lock;
  u64 requested;
  u64 begin_cycles;
  u64 begin_cpu;
  bool token_protocol;
  Stats stats;
};

ReadMostly g_rm;
Pending g_pending;             // groups not yet drained
Pending g_group[kGroups];      // per group: CPUs not yet drained
Control g_ctl;
WaitQueue g_waiters;

// Lock held. Begins advance started+1.
void begin_locked() {
  u64 n = g_rm.started + 1;
  unsigned groups = unsigned((g_ncpus + kGroup - 1) / kGroup);
  for (unsigned k = 0; k < groups; ++k) g_group[k].left = min_of<u64>(kGroup, g_ncpus - k * kGroup);
  g_pending.left = groups;
  g_ctl.begin_cycles = mach::cycles();
  g_ctl.begin_cpu = cpu_id();
  mach::lwsync();  // pending and begin_cycles before started; partner: the isync in check_switch
  g_rm.started = n;
  ev::emit(ev::GEN_ADVANCE_BEGIN, n, g_ctl.requested - g_rm.completed);
}

// Token protocol: this CPU has switched and drained for advance n; hand the
// token to the next CPU in the ring unless it is back where it started.
void pass_token(u64 n) {
  unsigned next = unsigned((cpu_id() + 1) % g_ncpus);
  if (next == g_ctl.begin_cpu || g_rm.completed >= n) return;
  store_once(cpu_area(next)->remote.gen_token, n);
  ipi_send(next, kIpiGeneration);  // its sync orders the token store before the interrupt
}

// Token protocol, interrupts off: the token for advance n is here.
void token_visit(u64 n) {
  PerCpu* c = this_cpu();
  check_switch();
  if (c->gen_draining == n) c->gen_token_held = n;  // passed on when the old generation drains
  else pass_token(n);
}

// Interrupts off, lock not held: tell the other CPUs, and switch this one.
void announce() {
  if (g_ctl.token_protocol) {
    if (g_ncpus > 1) token_visit(g_rm.started);
    else check_switch();
    return;
  }
  if (g_ncpus > 1) ipi_broadcast(0);  // no work bit needed: every interrupt runs check_switch()
  check_switch();
}

void complete(u64 n) {
  u64 f = g_ctl.lock.lock_irqsave();
  KASSERT(g_rm.started == n && g_rm.completed == n - 1);
  u64 latency = mach::cycles() - g_ctl.begin_cycles;
  g_rm.completed = n;
  Stats& s = g_ctl.stats;
  ++s.advances;
  s.last_latency_cycles = latency;
  s.total_latency_cycles += latency;
  if (latency > s.max_latency_cycles) s.max_latency_cycles = latency;
  ev::emit(ev::GEN_ADVANCE_END, n, latency, g_ncpus);
  bool again = g_ctl.requested > n;
  if (again) begin_locked();
  g_ctl.lock.release();
  g_waiters.wake_all();
  if (again) announce();
  irq_restore(f);
}

void cpu_drained(u64 n) {
  ev::emit(ev::GEN_CPU_DRAINED, n);
  PerCpu* c = this_cpu();
  bool pass = c->gen_token_held == n;
  c->gen_token_held = 0;
  if (atomic_dec(&g_group[c->cpu / kGroup].left) == 0 && atomic_dec(&g_pending.left) == 0) complete(n);
  else if (pass) pass_token(n);
}

}  // namespace

void token_arrived() {
  u64 n = load_once(this_cpu()->remote.gen_token);
  if (n && n == g_rm.started && g_rm.completed < n) token_visit(n);  // else a stale token: drop it
}

void init_cpu(unsigned cpu) {
  if (cpu == 0) {
    const char* p = bootargs::get("gen_protocol");
    g_ctl.token_protocol = p && strcmp(p, "token") == 0;
  }
  PerCpu* c = this_cpu();
  c->gen_cur = g_rm.started;
  c->gen_live[0] = c->gen_live[1] = 0;
  c->gen_draining = 0;
}

void join(Thread* t) {
  PerCpu* c = this_cpu();
  t->generation = c->gen_cur;
  ++c->gen_live[c->gen_cur & 1];
}

void leave(Thread* t) {
  PerCpu* c = this_cpu();
  u64 g = t->generation;
  u64& live = c->gen_live[g & 1];
  KASSERT_MSG(live > 0, "generation %lu count underflow on CPU %lu (thread %lu)", g, c->cpu, t->id);
  KASSERT_MSG(g + 1 >= c->gen_cur, "thread %lu of generation %lu still live on CPU %lu at generation %lu", t->id, g,
              c->cpu, c->gen_cur);
  --live;
  if (c->gen_draining && g + 1 == c->gen_draining && live == 0) {
    u64 n = c->gen_draining;
    c->gen_draining = 0;
    cpu_drained(n);
  }
}

void check_switch() {
  PerCpu* c = this_cpu();
  while (c->gen_cur != g_rm.started) {
    mach::isync();  // partner: the lwsync in begin_locked
    u64 n = c->gen_cur + 1;
    KASSERT_MSG(n == g_rm.started, "CPU %lu at generation %lu, global %lu", c->cpu, c->gen_cur, g_rm.started);
    c->gen_cur = n;
    u64 old = c->gen_live[(n - 1) & 1];
    KASSERT_MSG(c->gen_live[n & 1] == 0, "CPU %lu: generation %lu still has %lu live threads", c->cpu, n - 2,
                c->gen_live[n & 1]);
    ev::emit(ev::GEN_CPU_SWITCHED, n, old);
    if (old == 0) cpu_drained(n);
    else c->gen_draining = n;
  }
}

u64 mark() {
  u64 f = g_ctl.lock.lock_irqsave();
  u64 target = g_rm.started + 1;
  if (g_ctl.requested < target) g_ctl.requested = target;
  bool begin = g_rm.completed == g_rm.started;
  if (begin) begin_locked();
  g_ctl.lock.release();
  if (begin) announce();
  irq_restore(f);
  return target;
}

u64 completed() { return g_rm.completed; }
u64 current() { return g_rm.started; }
bool is_over(u64 m) { return g_rm.completed >= m; }

bool wait(u64 m, u64 timeout_cycles) {
  u64 f = irq_save();
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  bool counted = !(t->flags & (Thread::kUncounted | Thread::kOutOfGeneration));
  if (counted) {
    leave(t);
    t->flags |= Thread::kOutOfGeneration;
  }
  u64 t0 = mach::cycles();
  ev::emit(ev::GEN_WAIT_BEGIN, m, t->id);
  bool ok = true;
  for (;;) {
    g_waiters.lock.acquire();
    if (g_rm.completed >= m) {
      g_waiters.lock.release();
      break;
    }
    u64 left = 0;
    if (timeout_cycles) {
      u64 spent = mach::cycles() - t0;
      if (spent >= timeout_cycles) {
        g_waiters.lock.release();
        ok = false;
        break;
      }
      left = timeout_cycles - spent;
    }
    g_waiters.sleep_locked(0, left);  // interrupts stay off (flags 0)
  }
  ev::emit(ev::GEN_WAIT_END, m, t->id, mach::cycles() - t0, ok ? 0 : 1);
  if (counted) {
    t->flags &= ~Thread::kOutOfGeneration;
    check_switch();
    join(t);
  }
  irq_restore(f);
  return ok;
}

bool wait_for_quiescence(u64 timeout_cycles) { return wait(mark(), timeout_cycles); }

namespace {
struct HolderFilter {
  u64 mark;
  void (*fn)(Thread*, void*);
  void* arg;
};
void filter_holder(Thread* t, void* a) {
  HolderFilter* h = static_cast<HolderFilter*>(a);
  if (t->flags & (Thread::kUncounted | Thread::kOutOfGeneration)) return;
  if (t->generation < h->mark) h->fn(t, h->arg);
}
}  // namespace

void for_each_holder(u64 m, void (*fn)(Thread*, void*), void* arg) {
  HolderFilter h{m, fn, arg};
  for (unsigned cpu = 0; cpu < g_ncpus; ++cpu) sched::for_each_thread(cpu, filter_holder, &h);
}

Stats stats() {
  SpinGuard g(g_ctl.lock);
  return g_ctl.stats;
}

}  // namespace gen
