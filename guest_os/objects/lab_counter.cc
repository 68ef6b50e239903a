// CounterShared (lab_counter.h) and the `counter` workload of the teaching
// labs:
//
//   counter   each call adds `adds` (default 1) to the calling CPU's count
//             in g_lab_counter and to the driver's own tally of what it
//             added; every `audit_every`-th call (default 8) emits
//             COUNTER_AUDIT with the tally, the object's count for this CPU,
//             whether they are equal, and the class version that answered.
//             `watch: 1` starts the watcher (lab_counter.h): `watch_adds`
//             (default 1000), `watch_mode` (inside or poll), `watch_poll_us`
//             (default 5).
#include "objects/lab_counter.h"

#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/workload.h"

obj::ObjRef<Counter> g_lab_counter;

void CounterShared::add(u64 n) {
  unsigned c = cpu_id();
  counts_[c] = counts_[c] + n;
}

u64 CounterShared::countOf(unsigned cpu) { return cpu < kMaxCpus ? counts_[cpu] : 0; }

u64 CounterShared::total() {
  u64 t = 0;
  for (unsigned c = 0; c < ncpus(); ++c) t += counts_[c];
  return t;
}

// Out of line, so that a holder report names it.
__attribute__((noinline)) u64 CounterShared::waitForTotal(u64 target) {
  u64 t;
  while ((t = total()) < target) mach::cpu_relax();
  return t;
}

SysStatus CounterShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<CounterStateV0*>(out.alloc(sizeof(CounterStateV0)));
  if (!s) return kErrNoMemory;
  s->ncpus = ncpus();
  for (unsigned c = 0; c < kMaxCpus; ++c) s->counts[c] = counts_[c];
  return kOk;
}

SysStatus CounterShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0 || in.bytes != sizeof(CounterStateV0)) return kErrInvalid;
  const auto* s = static_cast<const CounterStateV0*>(in.data);
  for (unsigned c = 0; c < kMaxCpus; ++c) counts_[c] = s->counts[c];
  return kOk;
}

namespace {

struct alignas(KERNEL_CACHE_LINE) Tally {
  u64 added;
  u64 calls;
};
Tally* g_tally;  // per CPU: what each driver added
u64 g_adds = 1, g_audit_every = 8;
u64 g_watch_adds = 1000, g_watch_poll_cycles = 0;
bool g_watch_poll = false;

// The watcher: forever, wait until every CPU together added watch_adds
// more, and say so.
void watcher(void*) {
  for (;;) {
    u64 t0 = mach::cycles();
    u64 target = g_lab_counter->total() + g_watch_adds, seen;
    if (g_watch_poll) {
      for (;;) {
        seen = g_lab_counter->total();
        if (seen >= target) break;
        Thread::quiescent_begin();  // between polls it holds nothing
        Thread::sleep_cycles(g_watch_poll_cycles);
        Thread::quiescent_end();
      }
    } else {
      seen = g_lab_counter->waitForTotal(target);  // inside the object until then
    }
    ev::emit(ev::COUNTER_WATCH, g_watch_adds, target, seen, mach::cycles() - t0, g_watch_poll ? 1 : 0);
    Thread::quiescent_point();
  }
}

void counter_setup(const WorkloadParams& p) {
  obj::init();
  g_adds = workload::param_u64(p, "adds", 1);
  g_audit_every = workload::param_u64(p, "audit_every", 8);
  if (!g_audit_every) g_audit_every = 1;
  g_tally = static_cast<Tally*>(kzalloc(sizeof(Tally) * ncpus()));
  KASSERT(g_tally);
  auto* c = new CounterShared();
  KASSERT(c);
  u32 idx = obj::install(c);
  KASSERT(idx);
  g_lab_counter.idx = idx;
  ev::name_range("CounterShared", uval(c), sizeof(CounterShared));
  if (workload::param_u64(p, "watch", 0)) {
    g_watch_adds = workload::param_u64(p, "watch_adds", 1000);
    const char* mode = workload::param(p, "watch_mode");
    g_watch_poll = mode && strcmp(mode, "poll") == 0;
    KASSERT(!mode || g_watch_poll || strcmp(mode, "inside") == 0);
    g_watch_poll_cycles = workload::param_u64(p, "watch_poll_us", 5) * (sched::clock_hz() / 1000000);
    ThreadOptions o;
    o.cpu = int(ncpus() - 1);
    o.name = "counter-watcher";
    KASSERT(Thread::create(watcher, nullptr, o));
  }
}

u64 counter_call(unsigned cpu, u64 i) {
  Tally& t = g_tally[cpu];
  g_lab_counter->add(g_adds);
  t.added += g_adds;
  if (++t.calls % g_audit_every == 0) {
    u64 have = g_lab_counter->countOf(cpu);
    ev::emit(ev::COUNTER_AUDIT, cpu, t.added, have, have == t.added ? 1 : 0, g_lab_counter->classVersion());
  }
  return 1;
}

}  // namespace

WORKLOAD(wl_counter) = {"counter", 0x34, counter_setup, counter_call, nullptr};
