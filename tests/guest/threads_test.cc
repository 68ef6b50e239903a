// Threads: thousands created and finished across CPUs (locally and from
// other CPUs), preemption by the decrementer, sleeping, and blocking with
// wake-ups from other CPUs.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

namespace {

struct Many {
  volatile u64 ran;
  volatile u64 wrong_cpu;
  Latch done;
};

struct ManyArg {
  Many* m;
  unsigned cpu;
};

void short_lived(void* a) {
  Many* m = static_cast<Many*>(a);
  atomic_fetch_add(&m->ran, 1);
  m->done.count_down();
}

void check_cpu(void* a) {
  ManyArg* x = static_cast<ManyArg*>(a);
  if (cpu_id() != x->cpu) atomic_fetch_add(&x->m->wrong_cpu, 1);
  atomic_fetch_add(&x->m->ran, 1);
  x->m->done.count_down();
}

// Each spawner creates `per` short-lived threads on its own CPU.
struct Spawner {
  Many* m;
  u64 per;
  Latch* spawners_done;
};
void spawner(void* a) {
  Spawner* s = static_cast<Spawner*>(a);
  for (u64 i = 0; i < s->per; ++i) {
    while (!Thread::create(short_lived, s->m)) Thread::yield();
    if ((i & 15) == 0) Thread::yield();  // let some finish: recycled descriptors get reused
  }
  s->spawners_done->count_down();
}

}  // namespace

KTEST(threads_many, "4,16") {
  const u64 total = ktest::arg("threads", 4000);
  const unsigned n = ncpus();
  u64 live_before[kMaxCpus];
  for (unsigned c = 0; c < n; ++c) live_before[c] = cpu_area(c)->live_threads;

  // 1. Created from CPU 0 for every CPU in turn (remote admission).
  Many m1{0, 0, Latch(total)};
  ManyArg* args = new ManyArg[n];
  for (unsigned c = 0; c < n; ++c) args[c] = ManyArg{&m1, c};
  for (u64 i = 0; i < total; ++i) {
    ThreadOptions o;
    o.cpu = int(i % n);
    while (!Thread::create(check_cpu, &args[i % n], o)) Thread::yield();
  }
  m1.done.wait();
  KEXPECT(m1.ran == total, "remote creation: %lu of %lu threads ran", m1.ran, total);
  KEXPECT(m1.wrong_cpu == 0, "%lu threads ran on the wrong CPU", m1.wrong_cpu);

  // 2. Created locally on every CPU by a spawner thread there.
  Many m2{0, 0, Latch(total)};
  Latch spawners_done(n);
  Spawner* sp = new Spawner[n];
  for (unsigned c = 0; c < n; ++c) {
    sp[c] = Spawner{&m2, total / n + (c < total % n ? 1 : 0), &spawners_done};
    ThreadOptions o;
    o.cpu = int(c);
    KREQUIRE(Thread::create(spawner, &sp[c], o), "no memory for a spawner");
  }
  spawners_done.wait();
  m2.done.wait();
  KEXPECT(m2.ran == total, "local creation: %lu of %lu threads ran", m2.ran, total);

  // Every thread has ended: each CPU is back to its threads from before
  // (counting the spawners, which end just after counting down).
  u64 t0 = mach::cycles();
  for (;;) {
    bool settled = true;
    for (unsigned c = 0; c < n; ++c) settled &= load_once(cpu_area(c)->live_threads) == live_before[c];
    if (settled || mach::cycles() - t0 > 50'000'000) break;
    Thread::yield();
  }
  u64 created = 0, exited = 0;
  for (unsigned c = 0; c < n; ++c) {
    KEXPECT(cpu_area(c)->live_threads == live_before[c], "CPU %u has %lu live threads, %lu before", c,
            cpu_area(c)->live_threads, live_before[c]);
    created += cpu_area(c)->n_threads_created;
    exited += cpu_area(c)->n_threads_exited;
  }
  kprintf("threads_many: %lu threads created, %lu exited on %u CPUs\n", created, exited, n);
  KEXPECT(created >= 2 * total, "only %lu threads created", created);
  delete[] args;
  delete[] sp;
}

namespace {
struct Spin {
  volatile u64 stop;
  volatile u64 spins;
  volatile u64 other_ran;
  Latch done{2};
};
void spin_forever(void* a) {
  Spin* s = static_cast<Spin*>(a);
  while (!s->stop) s->spins = s->spins + 1;  // never yields: only the decrementer can take the CPU away
  s->done.count_down();
}
void other(void* a) {
  Spin* s = static_cast<Spin*>(a);
  s->other_ran = 1;
  s->stop = 1;
  s->done.count_down();
}
}  // namespace

namespace {
// Creates both threads on its own CPU (so no IPI announces them) and waits.
void preemption_parent(void* a) {
  Spin* s = static_cast<Spin*>(a);
  Thread::create(spin_forever, s);
  Thread::create(other, s);
}
}  // namespace

KTEST(threads_preemption, "1,2") {
  // The spinner goes first on the last CPU and never yields: the second
  // thread runs only because the decrementer preempts the spinner.
  Spin s{0, 0, 0};
  ThreadOptions o;
  o.cpu = int(ncpus() - 1);
  u64 switches = cpu_area(ncpus() - 1)->n_switches;
  u64 ticks = cpu_area(ncpus() - 1)->ticks;
  KREQUIRE(Thread::create(preemption_parent, &s, o), "no memory");
  KREQUIRE(s.done.wait_for(100'000'000), "the second thread never ran: no preemption (spins %lu)", s.spins);
  KEXPECT(s.other_ran == 1, "the second thread did not run");
  KEXPECT(s.spins > 0, "the spinner never ran first");
  KEXPECT(cpu_area(ncpus() - 1)->n_switches > switches, "no context switches");
  KEXPECT(cpu_area(ncpus() - 1)->ticks > ticks, "no decrementer ticks");
}

namespace {
struct Sleeper {
  u64 cycles;
  u64 slept;
  Latch done{1};
};
void sleeper(void* a) {
  Sleeper* s = static_cast<Sleeper*>(a);
  u64 t0 = mach::cycles();
  Thread::sleep_cycles(s->cycles);
  s->slept = mach::cycles() - t0;
  s->done.count_down();
}

struct PingPong {
  WaitQueue wq;
  volatile u64 turn;  // which side may go
  u64 rounds;
  volatile u64 wrong;
  Latch done{2};
};
struct Side {
  PingPong* p;
  u64 me;
};
void ping_pong(void* a) {
  Side* s = static_cast<Side*>(a);
  PingPong* p = s->p;
  for (u64 r = 0; r < p->rounds; ++r) {
    u64 f = p->wq.lock.lock_irqsave();
    while (p->turn != s->me) {
      p->wq.sleep_locked(f);
      f = p->wq.lock.lock_irqsave();
    }
    if (p->turn != s->me) p->wrong = p->wrong + 1;
    p->turn = 1 - s->me;
    p->wq.wake_all_locked();
    p->wq.lock.unlock_irqrestore(f);
  }
  p->done.count_down();
}
}  // namespace

KTEST(threads_sleep_and_wake, "1,2,4") {
  // Sleep: at least the requested time, and not absurdly more (a few ticks).
  Sleeper s{200'000, 0};
  KREQUIRE(Thread::create(sleeper, &s), "no memory");
  s.done.wait();
  KEXPECT(s.slept >= 200'000, "slept %lu cycles, asked 200000", s.slept);
  KEXPECT(s.slept < 200'000 + 4 * 165'000, "slept %lu cycles, asked 200000", s.slept);

  // Two threads on different CPUs (when there are several) hand a turn back
  // and forth through one wait queue: every hand-off is a block and a wake-up.
  PingPong p;
  p.turn = 0;
  p.rounds = 500;
  p.wrong = 0;
  Side a{&p, 0}, b{&p, 1};
  ThreadOptions oa, ob;
  oa.cpu = 0;
  ob.cpu = int(ncpus() - 1);
  KREQUIRE(Thread::create(ping_pong, &a, oa) && Thread::create(ping_pong, &b, ob), "no memory");
  KREQUIRE(p.done.wait_for(500'000'000), "ping-pong stalled (turn %lu)", p.turn);
  KEXPECT(p.wrong == 0, "%lu hand-offs out of turn", p.wrong);

  // A wait with a timeout that nobody wakes times out.
  WaitQueue wq;
  u64 f = wq.lock.lock_irqsave();
  u64 t0 = mach::cycles();
  bool woken = wq.sleep_locked(f, 100'000);
  KEXPECT(!woken, "a wait nobody woke did not time out");
  KEXPECT(mach::cycles() - t0 >= 100'000, "timed out after %lu cycles, asked 100000", mach::cycles() - t0);
  KEXPECT(wq.waiters.empty(), "a timed-out thread stayed on the wait queue");
}
