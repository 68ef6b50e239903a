// Hot swap by mediator (hot_swap.h): the phases in order, then the abort path.
#include "update/hot_swap.h"

#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/ksym.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "update/phases.h"
#include "update/state_transfer.h"

namespace obj {

namespace {

using upd::PhaseScope;

// Retired mediators: freed once the generation after their retirement ended.
struct Retired {
  Mediator* m;
  u64 mark;
  Retired* next;
};
SpinLock g_retired_lock;
Retired* g_retired;

}  // namespace

// ---- the call path ------------------------------------------------------------

Mediator* Mediator::Create(u32 idx, ObjectRoot* old_root, u64 seq) {
  Mediator* m = static_cast<Mediator*>(kzalloc(sizeof(Mediator)));
  if (!m) return nullptr;
  m->cpus_ = static_cast<CpuCalls*>(kzalloc(sizeof(CpuCalls) * ncpus()));
  if (!m->cpus_) {
    kfree(m);
    return nullptr;
  }
  new (&m->held_) WaitQueue();
  for (unsigned c = 0; c < ncpus(); ++c) new (&m->cpus_[c]) CpuCalls();
  m->idx_ = idx;
  m->seq_ = seq;
  m->old_ = old_root;
  m->phase_ = kForward;
  return m;
}

bool Mediator::inside(CpuCalls& c, Thread* t) const {
  for (CallRecord* r = c.head; r; r = r->next)
    if (r->thread == t) return true;
  return false;
}

void* Mediator::enter(u32 idx, CallRecord* rec) {
  unsigned cpu = cpu_id();
  CpuCalls& c = cpus_[cpu];
  Thread* t = Thread::current();
  u64 f = c.lock.lock_irqsave();
  u64 ph = phase_;
  if (ph == kForward || (ph == kBlock && inside(c, t))) {
    rec->med = this;
    rec->thread = t;
    rec->cpu = cpu;
    rec->prev = nullptr;
    rec->next = c.head;
    if (c.head) c.head->prev = rec;
    c.head = rec;
    ++c.inflight;
    c.lock.unlock_irqrestore(f);
    return old_->rep_for(cpu);
  }
  c.lock.unlock_irqrestore(f);
  if (ph == kBlock) hold(t);
  return nullptr;  // switched or restored (or released just now): look again
}

void Mediator::exit(CallRecord* rec) {
  CpuCalls& c = cpus_[rec->cpu];
  u64 f = c.lock.lock_irqsave();
  if (rec->prev) rec->prev->next = rec->next;
  else c.head = rec->next;
  if (rec->next) rec->next->prev = rec->prev;
  --c.inflight;
  c.lock.unlock_irqrestore(f);
}

volatile u64 g_blocked_calls;
volatile u64 g_blocked_max_cycles;

void Mediator::hold(Thread* t) {
  atomic_inc(&blocked_);
  atomic_inc(&g_blocked_calls);
  ev::emit(ev::CALL_BLOCKED, seq_, idx_, t->id);
  u64 t0 = mach::cycles();
  u64 f = held_.lock.lock_irqsave();
  while (phase_ == kBlock) {
    held_.sleep_locked(f);
    f = held_.lock.lock_irqsave();
  }
  held_.lock.unlock_irqrestore(f);
  u64 waited = mach::cycles() - t0;
  for (u64 m = g_blocked_max_cycles; waited > m; m = g_blocked_max_cycles)
    if (atomic_cas(&g_blocked_max_cycles, m, waited) == m) break;
  ev::emit(ev::CALL_RELEASED, seq_, idx_, t->id, waited);
}

// ---- the swapping thread's side -------------------------------------------------

void Mediator::start_blocking() {
  phase_ = kBlock;
  mach::sync();
  // After each CPU's lock round trip, every call that saw kForward on that
  // CPU has linked its record (partner: the lock in enter()).
  for (unsigned c = 0; c < ncpus(); ++c) {
    u64 f = cpus_[c].lock.lock_irqsave();
    cpus_[c].lock.unlock_irqrestore(f);
  }
}

u64 Mediator::tracked_calls() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += load_once(cpus_[c].inflight);
  return n;
}

void Mediator::finish(Phase p) {
  u64 f = held_.lock.lock_irqsave();
  phase_ = p;
  held_.wake_all_locked();
  held_.lock.unlock_irqrestore(f);
}

void Mediator::retire() {
  Retired* r = static_cast<Retired*>(kmalloc(sizeof(Retired)));
  KASSERT(r);
  r->m = this;
  r->mark = gen::mark();
  SpinGuard g(g_retired_lock);
  r->next = g_retired;
  g_retired = r;
}

void reclaim_retired() {
  Retired* done = nullptr;
  {
    SpinGuard g(g_retired_lock);
    Retired** pp = &g_retired;
    while (*pp) {
      Retired* r = *pp;
      if (gen::is_over(r->mark)) {
        *pp = r->next;
        r->next = done;
        done = r;
      } else {
        pp = &r->next;
      }
    }
  }
  while (done) {
    Retired* r = done;
    done = r->next;
    kfree(r->m->cpus_);
    kfree(r->m);
    kfree(r);
  }
}

// ---- reports of what held quiescence up --------------------------------------

namespace {
SpinLock g_reports_lock;
HolderReport g_reports[kHolderReports];
u64 g_reports_total;
}  // namespace

unsigned recent_holder_reports(HolderReport* out, unsigned max) {
  SpinGuard g(g_reports_lock);
  unsigned n = 0;
  for (u64 i = g_reports_total; i > 0 && n < max && g_reports_total - i < kHolderReports; --i)
    out[n++] = g_reports[(i - 1) % kHolderReports];
  return n;
}

void report_holder(Thread* t, u64 seq, u32 idx, const char* why) {
  // A blocked or preempted thread: Thread::backtrace walks the ELFv1 back
  // chain from its saved r1 (the context-switch frame; the LR it saved in
  // its caller's frame is the first return address) or from the trap
  // frame it was interrupted in (pcs[0] is then the interrupted PC).
  // for_each_thread runs this on the thread's own CPU, so a thread that is
  // running there now has been interrupted by the very IPI that runs us.
  HolderReport rep{};
  rep.update_seq = seq;
  rep.idx = idx;
  rep.cpu = t->cpu;
  rep.thread = t->id;
  rep.inside = why[0] == 'i';
  rep.frames = t->backtrace(rep.pcs, kHolderFrames);
  rep.pc = rep.frames ? rep.pcs[0] : 0;
  {
    SpinGuard g(g_reports_lock);
    g_reports[g_reports_total++ % kHolderReports] = rep;
  }
  ev::emit(ev::QUIESCE_HOLDER, seq, idx, t->id, t->cpu, rep.pc, rep.inside ? 1 : 0);
  kprintf("quiescence of object %u held up by thread %lu '%s' on cpu %u at pc 0x%lx (%s, generation %lu)\n", idx,
          t->id, t->name ? t->name : "?", t->cpu, rep.pc, why, t->generation);
  if (!rep.frames) kprintf("  (no backtrace: the thread's stack could not be walked)\n");
  for (unsigned i = 0; i < rep.frames; ++i) {
    ksym::Symbol s;
    uval off = 0;
    if (ksym::find(rep.pcs[i], &s, &off)) kprintf("  #%u pc 0x%lx <%s+0x%lx>\n", i, rep.pcs[i], s.name, off);
    else kprintf("  #%u pc 0x%lx\n", i, rep.pcs[i]);
  }
}

namespace {
struct HolderCtx {
  u64 seq;
  u32 idx;
  Mediator* m;
  volatile u64 count;
};
void generation_holder(Thread* t, void* a) {
  HolderCtx* h = static_cast<HolderCtx*>(a);
  ++h->count;
  report_holder(t, h->seq, h->idx, "in an old generation");
}
}  // namespace

namespace {
struct InsideCtx {
  Mediator* m;
  volatile u64 count;
};
}  // namespace
void Mediator::inside_thread(Thread* t, void* a) {
  InsideCtx* h = static_cast<InsideCtx*>(a);
  Mediator::CpuCalls& c = h->m->cpus_[t->cpu];
  for (CallRecord* r = c.head; r; r = r->next)
    if (r->thread == t) {
      ++h->count;
      report_holder(t, h->m->seq_, h->m->idx_, "inside the object");
      return;
    }
}

u64 Mediator::report_inside(const char*) {
  InsideCtx h{this, 0};
  // Runs on each CPU in its interrupt handler: that CPU's threads cannot
  // change its call list meanwhile.
  for (unsigned c = 0; c < ncpus(); ++c) sched::for_each_thread(c, inside_thread, &h);
  return h.count;
}

// ---- the swap ----------------------------------------------------------------------

SwapResult hot_swap(u32 idx, ObjectRoot* neu, const SwapOptions& o) {
  SwapResult r;
  u64 t_start = mach::cycles();
  u64 seq = o.update_seq;
  u64 timeout = o.timeout_cycles ? o.timeout_cycles : kDefaultSwapTimeout;
  reclaim_retired();
  GlobalEntry& g = g_global[idx];
  ObjectRoot* old = g.root;
  auto fail_early = [&](SysStatus st, const char* why) {
    r.status = st;
    r.reason = why;
    neu->destroy(false);
    ev::emit(ev::SWAP_ABORTED, seq, idx, u64(-st));
    r.cycles = mach::cycles() - t_start;
    return r;
  };
  if (!old) return fail_early(kErrInvalid, "no such object");
  // Negotiate before anything changes (the seed: the lists are obtained
  // prior to the hot swap), so "no common format" leaves no trace.
  u64 fmt = negotiate_format(old->export_formats(), neu->import_formats());
  if (!fmt) return fail_early(kErrInvalid, "no common state-transfer format");

  Mediator* m = Mediator::Create(idx, old, seq);
  if (!m) return fail_early(kErrNoMemory, "no memory for the mediator");
  {
    PhaseScope ph(seq, upd::kPhase_INTERPOSE, idx);
    if (atomic_cas(&g.mediator, 0, reinterpret_cast<u64>(m)) != 0) {
      kfree(m->cpus_);
      kfree(m);
      return fail_early(kErrBusy, "the object is already being swapped");
    }
    mach::sync();  // the global mediator before the local entries; partner: miss handling reads global after local
    u64 tagged = reinterpret_cast<u64>(m) | 1;
    for (unsigned c = 0; c < ncpus(); ++c) local_table_of(c)[idx] = tagged;
    mach::sync();
  }

  bool ok = true;
  const char* why = "";
  {
    PhaseScope ph(seq, upd::kPhase_FORWARD, idx);
    u64 mark = gen::mark();
    if (!gen::wait(mark, timeout)) {
      ok = false;
      why = "quiescence timeout: threads in an old generation";
      ev::emit(ev::QUIESCE_TIMEOUT, seq, idx, mach::cycles() - t_start);
      HolderCtx h{seq, idx, m, 0};
      gen::for_each_holder(mark, generation_holder, &h);
      r.holders = h.count;
    }
  }
  if (ok) {
    {
      PhaseScope ph(seq, upd::kPhase_BLOCK, idx);
      m->start_blocking();
    }
    PhaseScope ph(seq, upd::kPhase_QUIESCE, idx);
    u64 t0 = mach::cycles();
    while (m->tracked_calls() != 0) {
      if (mach::cycles() - t0 > timeout) {
        ok = false;
        why = "quiescence timeout: threads inside the object";
        ev::emit(ev::QUIESCE_TIMEOUT, seq, idx, mach::cycles() - t0);
        r.holders = m->report_inside("inside");
        break;
      }
      Thread::sleep_cycles(2000);
    }
  }
  StateBuffer buf;
  bool imported = false;
  if (ok) {
    PhaseScope ph(seq, upd::kPhase_TRANSFER, idx);
    if (old->export_state(fmt, buf) != kOk) {
      ok = false;
      why = "state export failed";
    } else if (neu->import_state(fmt, buf) != kOk) {
      ok = false;
      why = "state import failed";
    } else {
      imported = true;
      r.format = fmt;
      r.bytes = buf.bytes;
      ev::emit(ev::STATE_TRANSFER, seq, idx, fmt, buf.bytes);
    }
    if (buf.owned) kfree(buf.data);
  }
  bool shared = fmt == kXferSharedBackEnd;
  if (!ok) {
    // Restore: the entries name the old object again; held calls go to it.
    g.mediator = 0;
    mach::sync();
    flush_local_entries(idx);
    m->finish(Mediator::kRestored);
    r.blocked_calls = m->blocked_calls();
    m->retire();
    neu->destroy(imported && shared);
    r.status = kErrTimedOut;
    if (why[0] != 'q') r.status = kErrInvalid;
    r.reason = why;
    kprintf("hot swap of object %u (%s) aborted: %s; the old object stays\n", idx, old->class_name(), why);
    ev::emit(ev::SWAP_ABORTED, seq, idx, u64(-r.status));
    r.cycles = mach::cycles() - t_start;
    return r;
  }
  {
    PhaseScope ph(seq, upd::kPhase_SWITCH, idx);
    neu->ref = idx;
    neu->inst_cpu = old->inst_cpu;
    g.root = neu;
    mach::sync();
    g.mediator = 0;
    mach::sync();  // root and mediator before the local entries are cleared
    flush_local_entries(idx);
    m->finish(Mediator::kSwitched);
  }
  r.blocked_calls = m->blocked_calls();
  if (o.on_switched) o.on_switched(old, neu, o.arg);
  {
    PhaseScope ph(seq, upd::kPhase_DESTROY, idx);
    if (o.destroy_old) old->destroy(shared);
    m->retire();
  }
  r.cycles = mach::cycles() - t_start;
  return r;
}

}  // namespace obj
