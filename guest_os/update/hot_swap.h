// Hot swap of one object by a mediator (seed: "Hot-swapping operates by
// interposing a mediator object in front of the object"; claims 11, 12, 19).
//
//   interpose  the mediator goes into the object's global entry and every
//              CPU's local entry: from now on every new call meets it
//   forward    calls are forwarded to the old object and tracked (a
//              CallRecord per call, on per-CPU lists) until every call in
//              flight is a tracked one: the generation current at interpose
//              time has ended (gen::mark/wait)
//   block      new calls are held in the mediator; a thread already inside
//              the object (one with a tracked call on its CPU's list) still
//              re-enters, so an object that calls itself cannot deadlock
//   quiesce    wait until no tracked call is left: the object is quiescent
//   transfer   state moves in the format negotiated before interposing
//   switch     the entries name the new object; held calls are released and
//              retry through the table, reaching the new object
//   destroy    the old object is freed; the mediator is retired and freed
//              once the generation after the switch has ended (a caller may
//              still hold its address for an instant)
//
// A quiescence wait (forward or quiesce) that exceeds the timeout aborts:
// the entries name the old object again, held calls go to it, the new object
// is destroyed, and every thread that held things up is reported — console
// and QUIESCE_HOLDER events: thread, CPU, PC and symbolized backtrace.
//
// Who may call: a kernel thread (it sleeps), never an interrupt handler;
// one swap per object at a time (a second one gets kErrBusy). The swapping
// thread should not itself be inside the object.
#pragma once

#include "kernel/sync.h"
#include "objects/object_table.h"

namespace obj {

struct SwapOptions {
  u64 update_seq = 0;         // the update this swap belongs to (events)
  u64 timeout_cycles = 0;     // 0: the default (kDefaultSwapTimeout)
  bool destroy_old = true;    // false: the caller destroys the old root itself
  // Called after the switch, before the old object is destroyed (bookkeeping
  // such as a factory's instance lists).
  void (*on_switched)(ObjectRoot* old_root, ObjectRoot* new_root, void* arg) = nullptr;
  void* arg = nullptr;
};

constexpr u64 kDefaultSwapTimeout = 50'000'000;  // core cycles (~30 ms at 1.65 GHz)

struct SwapResult {
  SysStatus status = kOk;
  u64 format = 0;            // the negotiated transfer format
  u64 bytes = 0;             // bytes copied by the transfer
  u64 blocked_calls = 0;     // calls held by the mediator
  u64 holders = 0;           // threads reported as holding up quiescence
  u64 cycles = 0;            // whole swap
  const char* reason = "";   // why it failed
};

// Replaces the object at `idx` by `replacement` (which the swap owns from
// now on: installed on success, destroyed on failure).
SwapResult hot_swap(u32 idx, ObjectRoot* replacement, const SwapOptions& opts = {});

class Mediator {
 public:
  enum Phase : u64 { kForward = 1, kBlock = 2, kSwitched = 3, kRestored = 4 };
  static Mediator* Create(u32 idx, ObjectRoot* old_root, u64 update_seq);

  // From the call path (object_table.cc). enter returns the object to call,
  // or nullptr when the caller must look the table up again.
  void* enter(u32 idx, CallRecord* rec);
  void exit(CallRecord* rec);

  // The swapping thread's side.
  void start_blocking();
  u64 tracked_calls() const;
  void finish(Phase p);            // kSwitched or kRestored: releases held calls
  u64 blocked_calls() const { return blocked_; }
  // Reports the threads with a tracked call (running on their CPUs).
  u64 report_inside(const char* what);
  void retire();                   // free after the next generation

 private:
  struct alignas(KERNEL_CACHE_LINE) CpuCalls {
    SpinLock lock;
    CallRecord* head;
    u64 inflight;
  };
  bool inside(CpuCalls& c, struct Thread* t) const;
  void hold(struct Thread* t);

  u32 idx_;
  u64 seq_;
  ObjectRoot* old_;
  volatile u64 phase_;
  volatile u64 blocked_;
  WaitQueue held_;
  CpuCalls* cpus_;  // ncpus() of them
  friend SwapResult hot_swap(u32, ObjectRoot*, const SwapOptions&);
  friend void reclaim_retired();
  static void inside_thread(struct Thread* t, void* arg);
};

// Every call any mediator has held since boot (tests).
extern volatile u64 g_blocked_calls;
// The longest any call has been held, in cycles (its CPU's clock), since boot
// or since a test last cleared it.
extern volatile u64 g_blocked_max_cycles;

// Frees retired mediators whose generation has ended. Any thread.
void reclaim_retired();

// Prints and emits a report of one thread holding up quiescence (runs on
// the thread's CPU). Also used for generation holders.
void report_holder(struct Thread* t, u64 update_seq, u32 idx, const char* why);

// The most recent holder reports (a ring of kHolderReports), for tests and
// post-mortems: what report_holder printed, unsymbolized.
constexpr unsigned kHolderFrames = 12, kHolderReports = 16;
struct HolderReport {
  u64 update_seq;
  u32 idx;
  u32 cpu;
  u64 thread;
  uval pc;          // where it resumes (pcs[0]), 0 if unknown
  bool inside;      // inside the object (else: in an old generation)
  unsigned frames;
  uval pcs[kHolderFrames];
};
// Copies up to `max` of the most recent reports, newest first; returns how many.
unsigned recent_holder_reports(HolderReport* out, unsigned max);

}  // namespace obj
