// The workload framework: drivers on the selected CPUs make the configured
// number of calls, inline and as request threads, paced or back to back,
// and report per-call latency events.
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "kernel/workload.h"

KTEST(workload_framework, "1,4") {
  const Workload* w = workload::find("null");
  KREQUIRE(w, "no 'null' workload");
  WorkloadParams p;
  p.calls = 200;
  p.think_cycles = 100;
  p.sample = 10;
  workload::Result r = workload::run(*w, p);
  KEXPECT(r.calls == 200 * ncpus(), "inline: %lu calls, expected %lu", r.calls, 200ul * ncpus());
  p.request_mode = true;
  r = workload::run(*w, p);
  KEXPECT(r.calls == 200 * ncpus(), "request mode: %lu calls, expected %lu", r.calls, 200ul * ncpus());
  KEXPECT(r.max_latency_cycles > 0, "no latency measured");

  // Only the selected CPUs, paced at one call per 20000 cycles.
  WorkloadParams q;
  q.cpu_mask = ncpus() > 1 ? 0b10 : 0b1;
  q.calls = 20;
  q.interval_cycles = 20000;
  r = workload::run(*w, q);
  KEXPECT(r.calls == 20, "paced: %lu calls, expected 20", r.calls);
  KEXPECT(r.total_cycles >= 19 * 20000, "20 paced calls took only %lu cycles", r.total_cycles);

  // For a duration instead of a count.
  WorkloadParams t;
  t.duration_cycles = 200000;
  t.interval_cycles = 10000;
  r = workload::run(*w, t);
  KEXPECT(r.calls >= 15 * ncpus() && r.calls <= 20 * ncpus(), "duration: %lu calls for %u CPUs", r.calls, ncpus());

  static const char* const kOthers[] = {"xcall", "pages", "heap", "yield"};
  for (const char* name : kOthers) {
    const Workload* y = workload::find(name);
    KREQUIRE(y, "no '%s' workload", name);
    WorkloadParams o;
    o.calls = 50;
    r = workload::run(*y, o);
    KEXPECT(r.calls == 50 * ncpus(), "%s: %lu calls", name, r.calls);
  }
}
