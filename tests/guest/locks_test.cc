// Locks under contention lose no update: threads on every CPU increment
// plain (non-atomic) counters under a spinlock and under a blocking mutex;
// the totals must be exact. Also the thread barrier and the CPU barrier.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

namespace {

struct Shared {
  SpinLock spin;
  Mutex mutex;
  u64 spin_counter;       // plain loads and stores: only the lock makes them safe
  u64 mutex_counter;
  u64 mutex_inside;       // threads inside the mutex right now (must never exceed 1)
  volatile u64 violations;
  u64 iterations;
  Latch done;
  Barrier* barrier;
  volatile u64 barrier_rounds_ok;
};

void contender(void* a) {
  Shared* s = static_cast<Shared*>(a);
  for (u64 i = 0; i < s->iterations; ++i) {
    {
      SpinGuard g(s->spin);
      u64 v = load_once(s->spin_counter);
      store_once(s->spin_counter, v + 1);
    }
    s->mutex.lock();
    if (++s->mutex_inside != 1) atomic_fetch_add(&s->violations, 1);
    u64 v = load_once(s->mutex_counter);
    if ((i & 7) == 0) Thread::yield();  // hold the mutex across a switch: others must block
    store_once(s->mutex_counter, v + 1);
    --s->mutex_inside;
    s->mutex.unlock();
  }
  s->done.count_down();
}

}  // namespace

KTEST(locks_no_lost_update, "2,4,16") {
  const unsigned per_cpu = 2;
  const unsigned threads = ncpus() * per_cpu;
  Shared s;
  s.spin_counter = s.mutex_counter = s.mutex_inside = 0;
  s.violations = 0;
  s.iterations = ktest::arg("iterations", ncpus() > 4 ? 100 : 300);
  new (&s.done) Latch(threads);
  KREQUIRE(ktest::start_threads(threads, contender, &s), "no memory");
  s.done.wait();
  u64 expected = u64(threads) * s.iterations;
  kprintf("locks: %u threads x %lu: spinlock counter %lu, mutex counter %lu (expected %lu), %lu contentions\n",
          threads, s.iterations, s.spin_counter, s.mutex_counter, expected, s.mutex.contentions());
  KEXPECT(s.spin_counter == expected, "spinlock counter %lu, expected %lu", s.spin_counter, expected);
  KEXPECT(s.mutex_counter == expected, "mutex counter %lu, expected %lu", s.mutex_counter, expected);
  KEXPECT(s.violations == 0, "%lu times two threads were inside the mutex", s.violations);
  KEXPECT(s.mutex.contentions() > 0, "the mutex was never contended: the test proves nothing");
}

namespace {
struct BarrierTest {
  Barrier barrier;
  u64 rounds;
  volatile u64 arrivals[64];  // per round
  volatile u64 errors;
  Latch done;
  u64 parties;
};
void barrier_party(void* a) {
  BarrierTest* b = static_cast<BarrierTest*>(a);
  for (u64 r = 0; r < b->rounds; ++r) {
    atomic_fetch_add(&b->arrivals[r % 64], 1);
    b->barrier.arrive_and_wait();
    // Everyone arrived for round r before anyone leaves it.
    if (load_once(b->arrivals[r % 64]) < b->parties) atomic_fetch_add(&b->errors, 1);
    b->barrier.arrive_and_wait();
  }
  b->done.count_down();
}

volatile u64 g_cpu_barrier_hits[kMaxCpus];
volatile u64 g_cpu_barrier_errors;
void cpu_barrier_rounds(void*) {
  for (u64 r = 1; r <= 20; ++r) {
    g_cpu_barrier_hits[cpu_id()] = r;
    cpu_barrier();
    for (unsigned c = 0; c < ncpus(); ++c)
      if (g_cpu_barrier_hits[c] < r) atomic_fetch_add(&g_cpu_barrier_errors, 1);
    cpu_barrier();
  }
}
}  // namespace

KTEST(barriers, "2,4,16") {
  const u64 parties = ncpus() * 2;
  BarrierTest* b = new BarrierTest{Barrier(parties), 60, {}, 0, Latch(parties), parties};
  KREQUIRE(ktest::start_threads(unsigned(parties), barrier_party, b), "no memory");
  b->done.wait();
  KEXPECT(b->errors == 0, "%lu parties left a barrier round before everyone arrived", b->errors);
  delete b;
  // The CPU barrier (spinning), from one thread per CPU.
  Latch done(ncpus());
  struct Arg {
    Latch* done;
  } arg{&done};
  for (unsigned c = 0; c < ncpus(); ++c) {
    ThreadOptions o;
    o.cpu = int(c);
    KREQUIRE(Thread::create(
                 [](void* a) {
                   cpu_barrier_rounds(nullptr);
                   static_cast<Arg*>(a)->done->count_down();
                 },
                 &arg, o),
             "no memory");
  }
  done.wait();
  KEXPECT(g_cpu_barrier_errors == 0, "%lu CPUs passed the CPU barrier early", g_cpu_barrier_errors);
}
