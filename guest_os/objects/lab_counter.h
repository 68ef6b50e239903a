// The counter of the teaching labs (labs/): a small OS object whose whole
// state is one count per CPU, so that a lab can say exactly what a hot swap
// must preserve. The `counter` workload (lab_counter.cc) adds to the calling
// CPU's count through the object's reference and, every `audit_every`-th
// call, compares the object's count for that CPU with the adds it made
// (COUNTER_AUDIT): a count lost, or doubled, in a state transfer shows at
// the next audit on that CPU. With `watch: 1` a watcher thread on the last
// CPU waits for the total to grow by `watch_adds` (COUNTER_WATCH each
// time): with `watch_mode: inside` (the default) it waits in
// waitForTotal, inside the object; with `watch_mode: poll` it reads the
// total every `watch_poll_us` and sleeps in between, outside the object
// and outside any generation (Thread::quiescent_begin/end).
//
//   CounterShared  version 0: one representative; the counts are a packed
//                  array, sixteen CPUs to a 128-byte cache line, so every add moves a
//                  line another CPU wrote (the "cost of sharing" of lab 6).
//
// State transfer: kXferCopyV0, CounterStateV0 below (the CPU count and one
// count per CPU). The single instance is g_lab_counter (an update replaces
// it with upd::update_object(ctx, g_lab_counter.idx, replacement)).
//
// Locking and synchronization: a CPU's count is written only by calls on
// that CPU (the workload has one driver per CPU); readers of another CPU's
// count get a snapshot. A hot swap's quiescence guarantees no call is
// inside the old object when its state is exported.
#pragma once

#include "kernel/machine.h"
#include "kernel/percpu.h"
#include "objects/object_table.h"
#include "update/state_transfer.h"

class Counter {
 public:
  // Adds n to the calling CPU's count.
  virtual void add(u64 n) = 0;
  // CPU `cpu`'s count.
  virtual u64 countOf(unsigned cpu) = 0;
  // The sum over every CPU (a snapshot).
  virtual u64 total() = 0;
  // The class's version: COUNTER_AUDIT's class_version.
  virtual u64 classVersion() = 0;
  // Waits, inside the object, until total() reaches `target`; returns the
  // total it saw. The caller stays inside the object the whole time (what
  // lab 4's watcher does wrong).
  virtual u64 waitForTotal(u64 target) {
    u64 t;
    while ((t = total()) < target) mach::cpu_relax();
    return t;
  }

 protected:
  ~Counter() = default;
};

// kXferCopyV0: what version 0 exports and imports.
struct CounterStateV0 {
  u64 ncpus;
  u64 counts[kMaxCpus];
};

class CounterShared final : public obj::SingleRep<Counter> {
 public:
  void add(u64 n) override;
  u64 countOf(unsigned cpu) override;
  u64 total() override;
  u64 waitForTotal(u64 target) override;
  u64 classVersion() override { return 0; }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "CounterShared"; }

 private:
  volatile u64 counts_[kMaxCpus] = {};
};

// The labs' single counter (0 until the counter workload's setup made it).
extern obj::ObjRef<Counter> g_lab_counter;
