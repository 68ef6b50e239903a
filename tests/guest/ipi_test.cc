// IPIs and cross-CPU calls: a call to each CPU runs there (and nowhere
// else); xcall_all reaches every CPU once; every CPU calling every other at
// the same time neither deadlocks nor loses a call.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/xcall.h"

namespace {

struct Probe {
  volatile u64 ran_on;
  volatile u64 irq_was_on;
};
void probe(void* a) {
  Probe* p = static_cast<Probe*>(a);
  p->ran_on = cpu_id();
  p->irq_was_on = irq_enabled();
}

volatile u64 g_hits[kMaxCpus];
void hit(void*) { atomic_fetch_add(&g_hits[cpu_id()], 1); }

struct Storm {
  u64 rounds;
  volatile u64 calls_done;
  volatile u64 received[kMaxCpus];
  Latch done;
};
void storm_target(void* a) {
  Storm* s = static_cast<Storm*>(a);
  atomic_fetch_add(&s->received[cpu_id()], 1);
}
void storm_thread(void* a) {
  Storm* s = static_cast<Storm*>(a);
  unsigned me = cpu_id();
  for (u64 r = 0; r < s->rounds; ++r) {
    for (unsigned k = 1; k < ncpus(); ++k) {
      xcall((me + k) % ncpus(), storm_target, s);
      atomic_fetch_add(&s->calls_done, 1);
    }
  }
  s->done.count_down();
}

}  // namespace

KTEST(ipi_xcall, "2,4,16,64") {
  const unsigned n = ncpus();
  // 1. One call to each CPU, from CPU 0.
  u64 worst = 0;
  for (unsigned c = 0; c < n; ++c) {
    Probe p{~0ull, 1};
    u64 t0 = mach::cycles();
    xcall(c, probe, &p);
    u64 lat = mach::cycles() - t0;
    if (c != cpu_id() && lat > worst) worst = lat;
    KEXPECT(p.ran_on == c, "a call for CPU %u ran on CPU %lu", c, p.ran_on);
    KEXPECT(!p.irq_was_on, "a cross-CPU call ran with interrupts on (CPU %u)", c);
  }
  kprintf("ipi_xcall: slowest single cross-CPU call %lu cycles\n", worst);
  // 2. Broadcast: each CPU exactly once.
  for (unsigned c = 0; c < n; ++c) g_hits[c] = 0;
  xcall_all(hit, nullptr);
  for (unsigned c = 0; c < n; ++c) KEXPECT(g_hits[c] == 1, "xcall_all reached CPU %u %lu times", c, g_hits[c]);
  u64 ipis_before = 0;
  for (unsigned c = 0; c < n; ++c) ipis_before += cpu_area(c)->n_ipis;
  // 3. Storm: every CPU calls every other CPU, all at once.
  Storm* s = new Storm{ktest::arg("rounds", n > 16 ? 2 : 10), 0, {}, Latch(n)};
  KREQUIRE(ktest::start_threads(n, storm_thread, s), "no memory");
  KREQUIRE(s->done.wait_for(2'000'000'000), "cross-CPU call storm deadlocked (%lu calls done)", s->calls_done);
  u64 expected_each = s->rounds * (n - 1);
  for (unsigned c = 0; c < n; ++c)
    KEXPECT(s->received[c] == expected_each, "CPU %u received %lu calls, expected %lu", c, s->received[c],
            expected_each);
  u64 ipis_after = 0;
  for (unsigned c = 0; c < n; ++c) ipis_after += cpu_area(c)->n_ipis;
  kprintf("ipi_xcall: storm of %lu calls took %lu IPIs\n", s->calls_done, ipis_after - ipis_before);
  KEXPECT(ipis_after > ipis_before, "no IPIs were taken");
  delete s;
}
