// The swap (hot_swap.h): one function per phase, in the order they run, then
// the restore path and the refusal, then hot_swap() itself, which calls them,
// and hot_swap_batch(), which runs several swaps with one forward.
// Every function here runs in the swapping thread (the caller of hot_swap),
// which owns the object's entries from interpose until switch or restore.
#include "update/hot_swap.h"

#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "update/phases.h"
#include "update/state_transfer.h"

namespace obj {

namespace {

using upd::PhaseScope;

// Indexed by SwapFailure, in its order.
constexpr struct {
  SysStatus status;
  const char* reason;
} kFailures[] = {
    {kOk, ""},
    {kErrInvalid, "no such object"},
    {kErrInvalid, "no common state-transfer format"},
    {kErrNoMemory, "no memory for the mediator"},
    {kErrBusy, "the object is already being swapped"},
    {kErrTimedOut, "quiescence timeout: threads in an old generation"},
    {kErrTimedOut, "quiescence timeout: threads inside the object"},
    {kErrInvalid, "state export failed"},
    {kErrInvalid, "state import failed"},
};
static_assert(sizeof kFailures / sizeof kFailures[0] == u8(SwapFailure::kImportFailed) + 1, "one entry per SwapFailure");

// One swap, as its phases hand it on.
struct Swap {
  u32 idx;
  u64 seq;
  u64 timeout;
  u64 t_start;
  GlobalEntry& entry;
  ObjectRoot* old_root;
  ObjectRoot* new_root;
  Mediator* med = nullptr;
  u64 format = 0;         // negotiated before interpose
  bool imported = false;  // the new object holds the transferred state
  bool own_new = true;    // a failure destroys the new object (SwapOptions::own_replacement)
  SwapResult r{};

  bool shared_back_end() const { return format == kXferSharedBackEnd; }
  SwapResult& end(SwapFailure f) {
    r.failure = f;
    r.status = status_of(f);
    r.reason = describe(f);
    r.cycles = mach::cycles() - t_start;
    return r;
  }
};

// ---- a refusal: before interpose, nothing to undo ----------------------------------

// Nothing changed; the new object is destroyed (unless the caller keeps it).
SwapResult& refuse(Swap& s, SwapFailure f) {
  if (s.own_new) s.new_root->destroy(false);
  ev::emit(ev::SWAP_ABORTED, s.seq, s.idx, u64(-status_of(f)));
  return s.end(f);
}

// ---- the phases ----------------------------------------------------------------

// interpose: the global entry names the mediator (claimed by compare-and-swap:
// one swap per object), then every CPU's local entry does. False when another
// swap owns the entry: refused, and nothing changed.
bool interpose(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_INTERPOSE, s.idx);
  if (atomic_cas(&s.entry.mediator, 0, reinterpret_cast<u64>(s.med)) != 0) {
    s.med->destroy();  // never visible to a caller
    refuse(s, SwapFailure::kBusy);
    return false;
  }
  mach::sync();  // the global mediator before the local entries; partner: slow_enter reads global after local
  u64 mediated = mediated_entry(s.idx);
  {
    // A store to every CPU's table (remote lines: tens of microseconds at
    // 64 CPUs under load) must not lose the CPU halfway for a scheduler
    // slice while the object's calls are half routed through the mediator.
    sched::NoPreemptScope no_preempt;
    for (unsigned c = 0; c < ncpus(); ++c) local_table_of(c)[s.idx] = mediated;
  }
  mach::sync();  // every local entry names the mediator before forward's mark; partner: the advance
                 // that forward's gen::mark starts (its lock and IPI)
  return true;
}

// forward: waits until the generation current now has ended, so every call
// that reached the old object without the mediator has left it.
// The generation at `mark` did not end in time: who held it (also for each
// swap of a batch, hot_swap_batch).
SwapFailure forward_timed_out(Swap& s, u64 mark) {
  ev::emit(ev::QUIESCE_TIMEOUT, s.seq, s.idx, mach::cycles() - s.t_start);
  s.r.holders = report_generation_holders(mark, s.seq, s.idx);
  return SwapFailure::kOldGenerationTimeout;
}

SwapFailure forward(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_FORWARD, s.idx);
  u64 mark = gen::mark();
  if (gen::wait(mark, s.timeout)) return SwapFailure::kNone;
  return forward_timed_out(s, mark);
}

// block: new calls are held from now on (threads already inside re-enter).
void block(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_BLOCK, s.idx);
  s.med->start_blocking();
}

// quiesce: waits until no tracked call is left in the old object (the last
// one to leave wakes the swapping thread).
SwapFailure quiesce(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_QUIESCE, s.idx);
  u64 t0 = mach::cycles();
  if (s.med->wait_drained(t0, s.timeout)) return SwapFailure::kNone;
  ev::emit(ev::QUIESCE_TIMEOUT, s.seq, s.idx, mach::cycles() - t0);
  s.r.holders = report_inside(s.med);
  return SwapFailure::kInsideTimeout;
}

// transfer: the old object exports its state, the new one imports it.
SwapFailure transfer(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_TRANSFER, s.idx);
  StateBuffer buf;
  SwapFailure f = SwapFailure::kNone;
  if (s.old_root->export_state(s.format, buf) != kOk) {
    f = SwapFailure::kExportFailed;
  } else if (s.new_root->import_state(s.format, buf) != kOk) {
    f = SwapFailure::kImportFailed;
  } else {
    s.imported = true;
    s.r.format = s.format;
    s.r.bytes = buf.bytes;
    ev::emit(ev::STATE_TRANSFER, s.seq, s.idx, s.format, buf.bytes);
  }
  if (buf.owned) kfree(buf.data);
  return f;
}

// release: held calls wake and retry through the table, reaching whichever
// object the entries name now. It ends switch (and the restore path), so it
// has no event phase of its own.
void release(Swap& s, Mediator::Phase end) {
  s.med->finish(end);
  s.r.blocked_calls = s.med->blocked_calls();
}

// switch: the global entry names the new object and no mediator, and the
// held calls are released. The local entries still say "mediated": each
// CPU's next call finds no mediator and installs the new object's
// representative itself (slow_enter), so nothing here costs a store to
// every CPU's table while calls are held.
void switch_to_new(Swap& s) {
  PhaseScope ph(s.seq, upd::kPhase_SWITCH, s.idx);
  s.new_root->ref = s.idx;
  s.new_root->inst_cpu = s.old_root->inst_cpu;
  s.entry.root = s.new_root;
  mach::sync();  // the root before the mediator goes; partner: slow_enter reads the mediator, then the root
  s.entry.mediator = 0;
  mach::sync();  // root and mediator before the release; partner: the lwsync in slow_enter
  release(s, Mediator::kSwitched);
}

// destroy: frees the old object (unless the caller keeps it) and retires
// the mediator.
void destroy(Swap& s, bool destroy_old) {
  PhaseScope ph(s.seq, upd::kPhase_DESTROY, s.idx);
  if (destroy_old) s.old_root->destroy(s.shared_back_end());
  s.med->retire();
}

// ---- the restore path, instead of switch -------------------------------------------

// After forward, quiesce or transfer failed: the entries name the old object
// again, held calls are released to it, the new object is destroyed (without
// the back end it took over, if the transfer re-pointed a shared one)
// unless the caller keeps it.
SwapResult& restore(Swap& s, SwapFailure f) {
  s.entry.mediator = 0;
  mach::sync();  // the mediator gone before the release; partner: the lwsync in slow_enter (the entries repair themselves, as after switch)
  release(s, Mediator::kRestored);
  s.med->retire();
  if (s.own_new) s.new_root->destroy(s.imported && s.shared_back_end());
  kprintf("hot swap of object %u (%s) aborted: %s; the old object stays\n", s.idx, s.old_root->class_name(), describe(f));
  ev::emit(ev::SWAP_ABORTED, s.seq, s.idx, u64(-status_of(f)));
  return s.end(f);
}

}  // namespace

SysStatus status_of(SwapFailure f) { return kFailures[u8(f)].status; }
const char* describe(SwapFailure f) { return kFailures[u8(f)].reason; }

namespace {

// Before interpose: the refusals, which change nothing. False if refused
// (s.r says why).
bool prepare(Swap& s, ObjectRoot* neu) {
  if (!s.old_root) {
    refuse(s, SwapFailure::kNoSuchObject);
    return false;
  }
  // Negotiated before anything changes (the seed: the lists are obtained
  // prior to the hot swap), so "no common format" leaves no trace.
  s.format = negotiate_format(s.old_root->export_formats(), neu->import_formats());
  if (!s.format) {
    refuse(s, SwapFailure::kNoCommonFormat);
    return false;
  }
  s.med = Mediator::Create(s.idx, s.old_root, s.seq);
  if (!s.med) {
    refuse(s, SwapFailure::kNoMemory);
    return false;
  }
  return true;
}

// After forward (f: its outcome): block, quiesce, transfer, then switch and
// destroy, or the restore path.
SwapResult& complete(Swap& s, SwapFailure f, ObjectRoot* neu, const SwapOptions& o) {
  if (f == SwapFailure::kNone) {
    block(s);
    f = quiesce(s);
  }
  if (f == SwapFailure::kNone) f = transfer(s);
  if (f != SwapFailure::kNone) return restore(s, f);
  switch_to_new(s);
  if (o.on_switched) o.on_switched(s.old_root, neu, o.arg);
  destroy(s, o.destroy_old);
  return s.end(SwapFailure::kNone);
}

}  // namespace

SwapResult hot_swap(u32 idx, ObjectRoot* neu, const SwapOptions& o) {
  sched::UrgentScope urgent;  // every wake-up of the swap runs at once (thread.h)
  Swap s{idx, o.update_seq, o.timeout_cycles ? o.timeout_cycles : kDefaultSwapTimeout, mach::cycles(), g_global[idx],
         g_global[idx].root, neu};
  s.own_new = o.own_replacement;
  reclaim_retired();
  if (!prepare(s, neu)) return s.r;
  if (!interpose(s)) return s.r;
  return complete(s, forward(s), neu, o);
}

void hot_swap_batch(unsigned n, const u32* idx, ObjectRoot* const* neu, const SwapOptions& o, SwapResult* out) {
  KASSERT(n <= kMaxBatch);
  sched::UrgentScope urgent;
  reclaim_retired();
  const u64 timeout = o.timeout_cycles ? o.timeout_cycles : kDefaultSwapTimeout;
  alignas(Swap) unsigned char storage[kMaxBatch][sizeof(Swap)];
  Swap* live[kMaxBatch];
  unsigned slot[kMaxBatch];
  unsigned nlive = 0;
  for (unsigned k = 0; k < n; ++k) {
    Swap* s = new (storage[k]) Swap{idx[k], o.update_seq, timeout, mach::cycles(), g_global[idx[k]],
                                    g_global[idx[k]].root, neu[k]};
    s->own_new = o.own_replacement;
    if (prepare(*s, neu[k]) && interpose(*s)) {
      live[nlive] = s;
      slot[nlive++] = k;
    } else {
      out[k] = s->r;
    }
  }
  if (!nlive) return;
  // One forward for the batch: the mark comes after every interpose (each
  // ended with a sync), so the generation it waits for covers them all.
  for (unsigned j = 0; j < nlive; ++j) ev::emit(ev::PHASE_BEGIN, live[j]->seq, upd::kPhase_FORWARD, live[j]->idx);
  u64 mark = gen::mark();
  bool ended = gen::wait(mark, timeout);
  SwapFailure f[kMaxBatch];
  for (unsigned j = nlive; j-- > 0;) {  // ended in reverse, so the phases nest as the events' readers expect
    f[j] = ended ? SwapFailure::kNone : forward_timed_out(*live[j], mark);
    ev::emit(ev::PHASE_END, live[j]->seq, upd::kPhase_FORWARD, live[j]->idx);
  }
  for (unsigned j = 0; j < nlive; ++j) out[slot[j]] = complete(*live[j], f[j], neu[slot[j]], o);
}

}  // namespace obj
