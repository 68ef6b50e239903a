// The workload framework: kernel threads that generate a configured load on
// each CPU and record the latency of every call as an event.
//
// A workload is a named call registered with WORKLOAD(name, id): the
// framework starts one driver thread per selected CPU; each driver calls
// `call` in a loop, timing each call with the CPU's cycle counter and
// emitting WORKLOAD_CALL (every `sample`-th call) with the latency. A
// driver counts in a generation only during an inline call: between calls
// (thinking, pacing, waiting for a request thread) it is quiescent
// (Thread::quiescent_begin/end), so it never holds an advance open. In `request` mode every call is instead served by a new
// short-lived thread on the driver's CPU (the seed's event-driven model),
// and the latency includes creating and finishing that thread.
//
// Parameters, from boot arguments (so a scenario sets them without
// rebuilding): workload=NAME; wl_cpus=N (the first N CPUs) or a list such
// as 0,2,4-7 (default all); wl_calls=N per CPU (default 1000);
// wl_duration_us=T (instead of a call count: run until T simulated
// microseconds after the start); wl_think=C cycles spun after each call, on
// average (each think time is drawn uniformly from 0..2C); wl_rate=R calls
// per simulated millisecond per CPU (pacing: call i starts at i/R ms, or at
// once when behind); wl_start_jitter=J (default 2000): each driver waits a
// random 0..J-1 cycles before its first call; wl_sample=K;
// wl_mode=inline|request; and any keys the workload itself reads
// (wl_pages=, wl_size=...).
//
// Randomness: the think times and start delays come from a generator per
// driver, and a workload's own random choices from its own stream per CPU
// (rnd::stream(kOwnStream | id, cpu)); both derive from the boot argument
// seed= (kernel/random.h), so the scenario's seed changes the run and the
// same seed repeats it.
//
// Several workloads at once (what `dusim run SCENARIO` passes): workloads=N
// and, for each i < N, w<i>.kind=NAME, w<i>.cpus=all|N|A-B|A,B and
// w<i>.<key>=VALUE for the keys above without their wl_ prefix (w0.calls=,
// w0.think=, w0.rate=...) and the workload's own keys; a workload reads
// its own through workload::param*(p, "key"), which picks w<i>.key or
// wl_key. In this mode a workload without calls= or duration_us= runs
// until the machine stops, and the kernel stays up after all of them
// finished (stay=0 powers off instead). One workload of each kind: a
// workload's state is its own file's globals.
#pragma once

#include "kernel/types.h"

struct WorkloadParams {
  u64 cpu_mask = 0;          // CPUs that get a driver (bit n = CPU n); 0 = every CPU
  u64 calls = 1000;          // per CPU, when duration_cycles is 0
  u64 duration_cycles = 0;   // run until this long after the start instead
  u64 think_cycles = 0;      // spin after each call: the mean (uniform in 0..2*think)
  u64 start_jitter_cycles = 2000;  // each driver starts after a random 0..jitter-1 cycles
  u64 interval_cycles = 0;   // pacing: call i starts i*interval after the start (0: back to back)
  u64 sample = 1;            // emit WORKLOAD_CALL for every sample-th call
  bool request_mode = false; // serve each call in a new short-lived thread
  int index = -1;            // i of w<i>.* when started by workloads=N; -1: the wl_* keys
  u64 mask() const;          // cpu_mask resolved against the CPU count
  unsigned driver_count() const;
};

struct Workload {
  const char* name;
  u64 id;                                                  // appears in events
  void (*setup)(const WorkloadParams& p);                  // once, before the drivers start; may be null
  u64 (*call)(unsigned cpu, u64 iteration);                // one call; its result goes into the event
  void (*teardown)();                                      // once, after every driver finished; may be null
};

// The key of a workload's own random streams: rnd::stream(kOwnStream | id, cpu)
// (the framework's drivers use rnd::stream(id, cpu)).
constexpr u64 kOwnStream = u64(1) << 32;

#define WORKLOAD(var) __attribute__((section(".workloads"), used, aligned(8))) static const Workload var

namespace workload {
const Workload* find(const char* name);
WorkloadParams params_from_bootargs();
struct Result {
  u64 calls, total_cycles, max_latency_cycles, sum_latency_cycles;
};
// Runs `w` to completion on the selected CPUs; returns the totals.
Result run(const Workload& w, const WorkloadParams& p);
// Parameters of workload i of workloads=N (the w<i>.* keys).
WorkloadParams params_for(unsigned index);
// A workload's own parameter `key`: w<i>.key (p.index = i) or wl_key.
const char* param(const WorkloadParams& p, const char* key);
u64 param_u64(const WorkloadParams& p, const char* key, u64 def);
// Runs the workload named by boot argument `workload`, or the workloads=N
// set concurrently; false when there is none.
bool run_selected();
}  // namespace workload
