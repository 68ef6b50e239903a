// The workload framework (workload.h) and the kernel's own workloads.
#include "kernel/workload.h"

#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/xcall.h"

extern "C" const Workload __workloads_start[], __workloads_end[];

u64 WorkloadParams::mask() const {
  u64 all = ncpus() >= 64 ? ~u64(0) : (u64(1) << ncpus()) - 1;
  u64 m = cpu_mask & all;
  return m ? m : all;
}

unsigned WorkloadParams::driver_count() const { return unsigned(__builtin_popcountll(mask())); }

namespace workload {
namespace {

struct Driver {
  const Workload* w;
  WorkloadParams p;
  unsigned cpu;
  u64 start_cycles;
  Latch* done;
  Result r;
  rnd::Rng rng;  // think times and the start delay
};

struct Request {
  const Workload* w;
  unsigned cpu;
  u64 iteration;
  u64 result;
  Latch done{1};
};

void request_main(void* a) {
  Request* rq = static_cast<Request*>(a);
  rq->result = rq->w->call(rq->cpu, rq->iteration);
  rq->done.count_down();
}

void driver_main(void* a) {
  Driver* d = static_cast<Driver*>(a);
  const WorkloadParams& p = d->p;
  ev::emit(ev::WORKLOAD_BEGIN, d->w->id, p.calls, p.think_cycles);
  u64 t_begin = mach::cycles();
  u64 t_end = p.duration_cycles ? d->start_cycles + p.duration_cycles : 0;
  u64 sample = p.sample ? p.sample : 1;
  // The driver counts in a generation only while it makes an inline call:
  // pacing, thinking and waiting for a request thread hold no advance open.
  Thread::quiescent_begin();
  if (p.start_jitter_cycles) {  // from when this driver runs: starting the drivers takes longer than the jitter
    u64 due = mach::cycles() + d->rng.below(p.start_jitter_cycles);
    while (mach::cycles() < due) mach::cpu_relax();
  }
  for (u64 i = 0; t_end ? mach::cycles() < t_end : i < p.calls; ++i) {
    if (p.interval_cycles) {
      u64 due = d->start_cycles + i * p.interval_cycles;
      if (t_end && due >= t_end) break;
      for (u64 now = mach::cycles(); now < due; now = mach::cycles()) {
        if (due - now > 4 * sched::cycles_per_tick()) Thread::sleep_cycles(due - now - 2 * sched::cycles_per_tick());
        else mach::cpu_relax();
      }
    }
    u64 t0 = mach::cycles();
    u64 res;
    if (p.request_mode) {
      Request rq{d->w, d->cpu, i, 0};
      ThreadOptions o;
      o.name = "request";
      if (!Thread::create(request_main, &rq, o)) panic("workload %s: out of memory for a request thread", d->w->name);
      rq.done.wait();
      res = rq.result;
    } else {
      Thread::quiescent_end();
      res = d->w->call(d->cpu, i);
      Thread::quiescent_begin();
    }
    u64 lat = mach::cycles() - t0;
    ++d->r.calls;
    d->r.sum_latency_cycles += lat;
    if (lat > d->r.max_latency_cycles) d->r.max_latency_cycles = lat;
    if (i % sample == 0) ev::emit(ev::WORKLOAD_CALL, d->w->id, lat, i, res);
    if (p.think_cycles) {
      u64 t = mach::cycles(), think = d->rng.below(2 * p.think_cycles + 1);
      while (mach::cycles() - t < think) mach::cpu_relax();
    }
  }
  Thread::quiescent_end();
  d->r.total_cycles = mach::cycles() - t_begin;
  ev::emit(ev::WORKLOAD_END, d->w->id, d->r.calls, d->r.total_cycles, d->r.max_latency_cycles);
  d->done->count_down();
}

}  // namespace

const Workload* find(const char* name) {
  for (const Workload* w = __workloads_start; w < __workloads_end; ++w)
    if (strcmp(w->name, name) == 0) return w;
  return nullptr;
}

namespace {
// "N" = the first N CPUs; "a,b,c-d" = a list of CPUs and ranges.
u64 parse_cpus(const char* v) {
  if (!v || !*v) return 0;
  if (!strchr(v, ',') && !strchr(v, '-')) {
    u64 n = 0;
    for (; *v >= '0' && *v <= '9'; ++v) n = n * 10 + u64(*v - '0');
    return n >= 64 ? ~u64(0) : (u64(1) << n) - 1;
  }
  u64 mask = 0;
  while (*v) {
    u64 a = 0, b;
    for (; *v >= '0' && *v <= '9'; ++v) a = a * 10 + u64(*v - '0');
    b = a;
    if (*v == '-') {
      b = 0;
      for (++v; *v >= '0' && *v <= '9'; ++v) b = b * 10 + u64(*v - '0');
    }
    for (u64 c = a; c <= b && c < 64; ++c) mask |= u64(1) << c;
    if (*v == ',') ++v;
    else if (*v) break;
  }
  return mask;
}
}  // namespace

const char* param(const WorkloadParams& p, const char* key) {
  char name[64];
  if (p.index >= 0) ksnprintf(name, sizeof name, "w%d.%s", p.index, key);
  else ksnprintf(name, sizeof name, "wl_%s", key);
  return bootargs::get(name);
}

u64 param_u64(const WorkloadParams& p, const char* key, u64 def) { return bootargs::parse_u64(param(p, key), def); }

namespace {
// The common parameters, from wl_* (index -1) or w<index>.*.
WorkloadParams params_of(int index) {
  WorkloadParams p;
  p.index = index;
  const char* cpus = param(p, "cpus");
  p.cpu_mask = cpus && strcmp(cpus, "all") == 0 ? 0 : parse_cpus(cpus);
  // A scenario's workload runs until the machine stops unless it is given
  // a call count or a duration.
  u64 def_calls = index >= 0 && !param(p, "duration_us") ? ~u64(0) : 1000;
  p.calls = param_u64(p, "calls", def_calls);
  p.duration_cycles = param_u64(p, "duration_us", 0) * (sched::clock_hz() / 1000000);
  p.think_cycles = param_u64(p, "think", 0);
  p.start_jitter_cycles = param_u64(p, "start_jitter", 2000);
  u64 rate = param_u64(p, "rate", 0);
  p.interval_cycles = rate ? sched::clock_hz() / 1000 / rate : 0;
  p.sample = param_u64(p, "sample", 1);
  const char* mode = param(p, "mode");
  p.request_mode = mode && strcmp(mode, "request") == 0;
  return p;
}
}  // namespace

WorkloadParams params_from_bootargs() { return params_of(-1); }

WorkloadParams params_for(unsigned index) { return params_of(int(index)); }

Result run(const Workload& w, const WorkloadParams& p) {
  if (w.setup) w.setup(p);
  const u64 mask = p.mask();
  const unsigned n = p.driver_count();
  Latch done(n);
  Driver* drivers = static_cast<Driver*>(kzalloc(sizeof(Driver) * n));
  KASSERT(drivers);
  u64 start = mach::cycles();
  unsigned k = 0;
  for (unsigned c = 0; c < ncpus(); ++c) {
    if (!(mask & (u64(1) << c))) continue;
    Driver* d = new (&drivers[k++]) Driver{&w, p, c, start, &done, {}, rnd::stream(w.id, c)};
    ThreadOptions o;
    o.cpu = int(c);
    o.name = "workload driver";
    if (!Thread::create(driver_main, d, o)) panic("workload %s: out of memory for driver threads", w.name);
  }
  Thread::quiescent_begin();  // waiting for the drivers holds no reference: no advance waits for it
  done.wait();
  Thread::quiescent_end();
  Result total{};
  for (unsigned i = 0; i < n; ++i) {
    total.calls += drivers[i].r.calls;
    total.sum_latency_cycles += drivers[i].r.sum_latency_cycles;
    if (drivers[i].r.max_latency_cycles > total.max_latency_cycles)
      total.max_latency_cycles = drivers[i].r.max_latency_cycles;
  }
  total.total_cycles = mach::cycles() - start;
  kfree(drivers);
  if (w.teardown) w.teardown();
  return total;
}

namespace {
void report_start(const Workload& w, const WorkloadParams& p) {
  if (p.duration_cycles)
    kprintf("workload %s: %u CPUs, for %lu cycles, think %lu cycles, interval %lu cycles, %s mode\n", w.name,
            p.driver_count(), p.duration_cycles, p.think_cycles, p.interval_cycles,
            p.request_mode ? "request" : "inline");
  else if (p.calls == ~u64(0))
    kprintf("workload %s: %u CPUs, until the machine stops, think %lu cycles, interval %lu cycles, %s mode\n",
            w.name, p.driver_count(), p.think_cycles, p.interval_cycles, p.request_mode ? "request" : "inline");
  else
    kprintf("workload %s: %u CPUs, %lu calls each, think %lu cycles, interval %lu cycles, %s mode\n", w.name,
            p.driver_count(), p.calls, p.think_cycles, p.interval_cycles, p.request_mode ? "request" : "inline");
}

void report_end(const Workload& w, const Result& r) {
  kprintf("workload %s: %lu calls in %lu cycles, mean latency %lu cycles, max %lu cycles\n", w.name, r.calls,
          r.total_cycles, r.calls ? r.sum_latency_cycles / r.calls : 0, r.max_latency_cycles);
}

[[noreturn]] void unknown_workload(const char* name) {
  kprintf("workload: no workload named '%s'; known:", name);
  for (const Workload* x = __workloads_start; x < __workloads_end; ++x) kprintf(" %s", x->name);
  kprintf("\n");
  power_off(1);
}

// One of the workloads=N set, run by its own thread.
struct Member {
  const Workload* w;
  WorkloadParams p;
  Latch* done;
};

void member_main(void* a) {
  Member* m = static_cast<Member*>(a);
  report_start(*m->w, m->p);
  Result r = run(*m->w, m->p);
  report_end(*m->w, r);
  m->done->count_down();
}

// workloads=N: every w<i> at once, each from its own thread.
void run_set(u64 n) {
  Member* members = static_cast<Member*>(kzalloc(sizeof(Member) * n));
  KASSERT(members);
  Latch done(n);
  for (u64 i = 0; i < n; ++i) {
    char key[32];
    ksnprintf(key, sizeof key, "w%lu.kind", i);
    const char* kind = bootargs::get(key);
    if (!kind) {
      kprintf("workload: workloads=%lu but no %s\n", n, key);
      power_off(1);
    }
    const Workload* w = find(kind);
    if (!w) unknown_workload(kind);
    new (&members[i]) Member{w, params_for(unsigned(i)), &done};
  }
  for (u64 i = 0; i < n; ++i) {
    ThreadOptions o;
    o.name = "workload";
    if (!Thread::create(member_main, &members[i], o)) panic("workloads: out of memory for a workload thread");
  }
  Thread::quiescent_begin();  // holds no reference: no advance waits for it
  done.wait();
  Thread::quiescent_end();
  kfree(members);
}
}  // namespace

bool run_selected() {
  if (u64 n = bootargs::get_u64("workloads", 0)) {
    run_set(n);
    if (bootargs::get_bool("stay", true)) {
      // The scenario's duration ends the run: stay up for the updates.
      kprintf("kernel: workloads finished; staying up\n");
      Thread::quiescent_begin();
      for (;;) Thread::sleep_cycles(sched::clock_hz());
    }
    return true;
  }
  const char* name = bootargs::get("workload");
  if (!name) return false;
  const Workload* w = find(name);
  if (!w) unknown_workload(name);
  WorkloadParams p = params_from_bootargs();
  report_start(*w, p);
  Result r = run(*w, p);
  report_end(*w, r);
  return true;
}

}  // namespace workload

// ---- the kernel's own workloads ----------------------------------------------
namespace {

u64 g_wl_pages = 1, g_wl_size = 64;

void read_sizes(const WorkloadParams&) {
  g_wl_pages = bootargs::get_u64("wl_pages", 1);
  g_wl_size = bootargs::get_u64("wl_size", 64);
}

u64 null_call(unsigned, u64 i) { return i; }

u64 pages_call(unsigned, u64) {
  void* p = alloc_pages(g_wl_pages);
  if (!p) return 0;
  *static_cast<volatile u64*>(p) = 1;
  free_pages(p, g_wl_pages);
  return 1;
}

u64 heap_call(unsigned, u64) {
  void* p = kmalloc(g_wl_size);
  if (!p) return 0;
  *static_cast<volatile u64*>(p) = 1;
  kfree(p);
  return 1;
}

void xcall_target(void* a) { ++*static_cast<u64*>(a); }
u64 xcall_call(unsigned cpu, u64) {
  u64 v = 0;
  xcall((cpu + 1) % ncpus(), xcall_target, &v);
  return v;
}

u64 yield_call(unsigned, u64) {
  Thread::yield();
  return 0;
}

}  // namespace

WORKLOAD(wl_null) = {"null", 1, nullptr, null_call, nullptr};
WORKLOAD(wl_pages) = {"pages", 2, read_sizes, pages_call, nullptr};
WORKLOAD(wl_heap) = {"heap", 3, read_sizes, heap_call, nullptr};
WORKLOAD(wl_xcall) = {"xcall", 4, nullptr, xcall_call, nullptr};
WORKLOAD(wl_yield) = {"yield", 5, nullptr, yield_call, nullptr};
