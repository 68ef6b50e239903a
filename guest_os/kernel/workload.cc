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
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/xcall.h"

extern "C" const Workload __workloads_start[], __workloads_end[];

namespace workload {
namespace {

struct Driver {
  const Workload* w;
  WorkloadParams p;
  unsigned cpu;
  u64 start_cycles;
  Latch* done;
  Result r;
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
  for (u64 i = 0; t_end ? mach::cycles() < t_end : i < p.calls; ++i) {
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
      res = d->w->call(d->cpu, i);
    }
    u64 lat = mach::cycles() - t0;
    ++d->r.calls;
    d->r.sum_latency_cycles += lat;
    if (lat > d->r.max_latency_cycles) d->r.max_latency_cycles = lat;
    if (i % sample == 0) ev::emit(ev::WORKLOAD_CALL, d->w->id, lat, i, res);
    Thread::quiescent_point();
    if (p.think_cycles) {
      u64 t = mach::cycles();
      while (mach::cycles() - t < p.think_cycles) mach::cpu_relax();
    }
  }
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

WorkloadParams params_from_bootargs() {
  WorkloadParams p;
  p.cpus = bootargs::get_u64("wl_cpus", ncpus());
  if (p.cpus == 0 || p.cpus > ncpus()) p.cpus = ncpus();
  p.calls = bootargs::get_u64("wl_calls", 1000);
  u64 us = bootargs::get_u64("wl_duration_us", 0);
  p.duration_cycles = us * (sched::clock_hz() / 1000000);
  p.think_cycles = bootargs::get_u64("wl_think", 0);
  p.sample = bootargs::get_u64("wl_sample", 1);
  const char* mode = bootargs::get("wl_mode");
  p.request_mode = mode && strcmp(mode, "request") == 0;
  return p;
}

Result run(const Workload& w, const WorkloadParams& p) {
  if (w.setup) w.setup(p);
  Latch done(p.cpus);
  Driver* drivers = static_cast<Driver*>(kzalloc(sizeof(Driver) * p.cpus));
  KASSERT(drivers);
  u64 start = mach::cycles();
  for (unsigned c = 0; c < p.cpus; ++c) {
    Driver* d = new (&drivers[c]) Driver{&w, p, c, start, &done, {}};
    ThreadOptions o;
    o.cpu = int(c);
    o.name = "workload driver";
    if (!Thread::create(driver_main, d, o)) panic("workload %s: out of memory for driver threads", w.name);
  }
  done.wait();
  Result total{};
  for (unsigned c = 0; c < p.cpus; ++c) {
    total.calls += drivers[c].r.calls;
    total.sum_latency_cycles += drivers[c].r.sum_latency_cycles;
    if (drivers[c].r.max_latency_cycles > total.max_latency_cycles)
      total.max_latency_cycles = drivers[c].r.max_latency_cycles;
  }
  total.total_cycles = mach::cycles() - start;
  kfree(drivers);
  if (w.teardown) w.teardown();
  return total;
}

bool run_selected() {
  const char* name = bootargs::get("workload");
  if (!name) return false;
  const Workload* w = find(name);
  if (!w) {
    kprintf("workload: no workload named '%s'; known:", name);
    for (const Workload* x = __workloads_start; x < __workloads_end; ++x) kprintf(" %s", x->name);
    kprintf("\n");
    power_off(1);
  }
  WorkloadParams p = params_from_bootargs();
  kprintf("workload %s: %lu CPUs, %lu calls each%s, think %lu cycles, %s mode\n", w->name, p.cpus, p.calls,
          p.duration_cycles ? " (or the duration)" : "", p.think_cycles, p.request_mode ? "request" : "inline");
  Result r = run(*w, p);
  kprintf("workload %s: %lu calls in %lu cycles, mean latency %lu cycles, max %lu cycles\n", w->name, r.calls,
          r.total_cycles, r.calls ? r.sum_latency_cycles / r.calls : 0, r.max_latency_cycles);
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
