// Reports of the threads that held a hot swap's quiescence up (seed: "daemon
// threads ... must not cross a safe point"; hot_swap.h, the abort path).
//
// When a quiescence wait times out, every thread that kept it from coming is
// reported on the console and as a QUIESCE_HOLDER event: thread, CPU, the PC
// it resumes at and a symbolized backtrace. A ring of the most recent reports
// (unsymbolized) serves tests and post-mortems.
//
// Locking and synchronization: reports are made on the holder's own CPU, in
// its interrupt handler (gen::for_each_holder and sched::for_each_thread run
// their callbacks there), so the holder is not running and its stack can be
// walked; the ring is guarded by its own spinlock.
#pragma once

#include "kernel/types.h"

struct Thread;

namespace obj {

class Mediator;

enum class HolderKind : u8 {
  kOldGeneration,  // a thread of a generation older than the swap's mark (forward)
  kInsideObject,   // a thread with a call tracked by the mediator (quiesce)
};

// Reports every thread that holds a generation older than `mark` open, as
// holding up object idx's swap; returns how many. The swapping thread.
u64 report_generation_holders(u64 mark, u64 update_seq, u32 idx);
// Reports every thread with a call tracked by m; returns how many. The
// swapping thread.
u64 report_inside(Mediator* m);
// Prints and emits one report. On t's CPU with interrupts off (the two
// functions above call it so).
void report_holder(Thread* t, u64 update_seq, u32 idx, HolderKind kind);

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
// Copies up to `max` of the most recent reports, newest first; returns how
// many. Any thread.
unsigned recent_holder_reports(HolderReport* out, unsigned max);

}  // namespace obj
