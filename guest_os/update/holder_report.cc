// Holder reports (holder_report.h).
#include "update/holder_report.h"

#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/ksym.h"
#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "update/mediator.h"

namespace obj {

namespace {

SpinLock g_reports_lock;  // guards the ring
HolderReport g_reports[kHolderReports];
u64 g_reports_total;

const char* describe(HolderKind k) {
  return k == HolderKind::kInsideObject ? "inside the object" : "in an old generation";
}

void record(const HolderReport& rep) {
  SpinGuard g(g_reports_lock);
  g_reports[g_reports_total++ % kHolderReports] = rep;
}

void print(Thread* t, const HolderReport& rep, HolderKind kind) {
  kprintf("quiescence of object %u held up by thread %lu '%s' on cpu %u at pc 0x%lx (%s, generation %lu)\n", rep.idx,
          t->id, t->name ? t->name : "?", t->cpu, rep.pc, describe(kind), t->generation);
  if (!rep.frames) kprintf("  (no backtrace: the thread's stack could not be walked)\n");
  for (unsigned i = 0; i < rep.frames; ++i) {
    ksym::Symbol s;
    uval off = 0;
    if (ksym::find(rep.pcs[i], &s, &off)) kprintf("  #%u pc 0x%lx <%s+0x%lx>\n", i, rep.pcs[i], s.name, off);
    else kprintf("  #%u pc 0x%lx\n", i, rep.pcs[i]);
  }
}

// Shared by the two walks; count is bumped on each holder's CPU.
struct Walk {
  u64 seq;
  u32 idx;
  Mediator* med;  // the inside walk only
  volatile u64 count;
};

void generation_holder(Thread* t, void* a) {
  Walk* w = static_cast<Walk*>(a);
  ++w->count;
  report_holder(t, w->seq, w->idx, HolderKind::kOldGeneration);
}

void inside_holder(Thread* t, void* a) {
  Walk* w = static_cast<Walk*>(a);
  if (!w->med->tracks(t)) return;
  ++w->count;
  report_holder(t, w->seq, w->idx, HolderKind::kInsideObject);
}

}  // namespace

void report_holder(Thread* t, u64 seq, u32 idx, HolderKind kind) {
  // A blocked or preempted thread: Thread::backtrace walks the ELFv1 back
  // chain from its saved r1 (the context-switch frame; the LR it saved in
  // its caller's frame is the first return address) or from the trap frame
  // it was interrupted in (pcs[0] is then the interrupted PC). A thread
  // running on this CPU now has been interrupted by the very IPI that runs us.
  HolderReport rep{};
  rep.update_seq = seq;
  rep.idx = idx;
  rep.cpu = t->cpu;
  rep.thread = t->id;
  rep.inside = kind == HolderKind::kInsideObject;
  rep.frames = t->backtrace(rep.pcs, kHolderFrames);
  rep.pc = rep.frames ? rep.pcs[0] : 0;
  record(rep);
  ev::emit(ev::QUIESCE_HOLDER, seq, idx, t->id, t->cpu, rep.pc, rep.inside ? 1 : 0);
  print(t, rep, kind);
}

u64 report_generation_holders(u64 mark, u64 seq, u32 idx) {
  Walk w{seq, idx, nullptr, 0};
  gen::for_each_holder(mark, generation_holder, &w);
  return w.count;
}

u64 report_inside(Mediator* m) {
  Walk w{m->update_seq(), m->object(), m, 0};
  for (unsigned c = 0; c < ncpus(); ++c) sched::for_each_thread(c, inside_holder, &w);
  return w.count;
}

unsigned recent_holder_reports(HolderReport* out, unsigned max) {
  SpinGuard g(g_reports_lock);
  unsigned n = 0;
  for (u64 i = g_reports_total; i > 0 && n < max && g_reports_total - i < kHolderReports; --i)
    out[n++] = g_reports[(i - 1) % kHolderReports];
  return n;
}

}  // namespace obj
