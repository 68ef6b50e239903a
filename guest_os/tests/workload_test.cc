// The workload framework: drivers on every CPU make the configured number of
// calls, inline and as request threads, and report per-call latency events.
#include "kernel/ktest.h"
#include "kernel/percpu.h"
#include "kernel/workload.h"

KTEST(workload_framework, "1,4") {
  const Workload* w = workload::find("null");
  KREQUIRE(w, "no 'null' workload");
  WorkloadParams p{ncpus(), 200, 0, 100, 10, false};
  workload::Result r = workload::run(*w, p);
  KEXPECT(r.calls == 200 * ncpus(), "inline: %lu calls, expected %lu", r.calls, 200ul * ncpus());
  p.request_mode = true;
  r = workload::run(*w, p);
  KEXPECT(r.calls == 200 * ncpus(), "request mode: %lu calls, expected %lu", r.calls, 200ul * ncpus());
  KEXPECT(r.max_latency_cycles > 0, "no latency measured");
  const Workload* x = workload::find("xcall");
  KREQUIRE(x, "no 'xcall' workload");
  p = WorkloadParams{ncpus(), 50, 0, 0, 1, false};
  r = workload::run(*x, p);
  KEXPECT(r.calls == 50 * ncpus(), "xcall: %lu calls", r.calls);
  static const char* const kOthers[] = {"pages", "heap", "yield"};
  for (const char* name : kOthers) {
    const Workload* y = workload::find(name);
    KREQUIRE(y, "no '%s' workload", name);
    r = workload::run(*y, WorkloadParams{ncpus(), 50, 0, 0, 1, false});
    KEXPECT(r.calls == 50 * ncpus(), "%s: %lu calls", name, r.calls);
  }
}
