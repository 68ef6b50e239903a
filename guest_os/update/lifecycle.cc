// Revert, commit and unloading (lifecycle.h): the records first, then one
// function per step, then the calls a module's init makes.
#include "update/lifecycle.h"

#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "loader/cache_flush.h"
#include "update/factory.h"
#include "update/lazy_update.h"
#include "update/module_service.h"
#include "update/phases.h"

namespace upd {

namespace {

// One applied update.
struct Record {
  u64 seq;
  bool is_class;
  u32 ref;                    // the object, or the factory reference
  obj::ObjectRoot* kept;      // the replaced object or old factory (until commit or revert)
  obj::ObjectRoot* installed; // what the update put in the entry
  bool shared;                // kept's state went by shared back end
  bool interface;             // an interface change (update_interface): never reverted
  LoadedModule* module;       // whose code `installed` runs (null: the kernel's)
  bool module_released;
  Record* prev;               // the update `ref` had before this one (its module runs kept's code)
  UpdateState state;
  Record* next;               // every record, newest first
};

SpinLock g_lock;  // guards g_records, g_modules and the fields the records and modules link by
Record* g_records;
LoadedModule* g_modules;

Record* find(u64 seq) {
  SpinGuard g(g_lock);
  for (Record* r = g_records; r; r = r->next)
    if (r->seq == seq) return r;
  return nullptr;
}

// The newest update on `ref` that was not reverted.
Record* latest_locked(u32 ref) {
  for (Record* r = g_records; r; r = r->next)
    if (r->ref == ref && r->state != UpdateState::kReverted) return r;
  return nullptr;
}

// ---- the steps ------------------------------------------------------------------------

// unload: a generation after the last switch away from its code, nothing
// runs in the module and nothing holds a pointer into it that a call could
// follow; its memory is filled with traps and freed.
void unload(UpdateContext& ctx, LoadedModule* m) {
  PhaseScope ph(ctx.seq, kPhase_UNLOAD, 0);
  gen::wait(gen::mark());
  u8* base = m->m.base;
  uval bytes = m->m.size;
  u32* w = reinterpret_cast<u32*>(base);
  for (uval i = 0; i < bytes / 4; ++i) w[i] = kUnloadPattern;
  dusim::loader::flush_icache(base, bytes, 0);
  ev::emit(ev::MODULE_UNLOADED, ctx.seq, m->seq, reinterpret_cast<u64>(base), bytes);
  dusim::loader::unload_module(m->m, module_env());
  SpinGuard g(g_lock);
  m->m.base = base;  // kept for inspection only: the memory is the heap's now
  m->m.size = bytes;
  m->unloaded = true;
}

// One user fewer; the last one unloads it.
void release(UpdateContext& ctx, LoadedModule* m) {
  if (!m) return;
  bool last;
  {
    SpinGuard g(g_lock);
    last = --m->users == 0 && !m->unloaded;
  }
  if (last) unload(ctx, m);
}

// A record's module is no longer used by that record.
void release_record_module(UpdateContext& ctx, Record* r) {
  if (r->module_released) return;
  r->module_released = true;
  release(ctx, r->module);
}

// The objects a commit frees: the kept old object or factory of `r`.
void destroy_kept(UpdateContext& ctx, Record* r) {
  PhaseScope ph(ctx.seq, kPhase_DESTROY, r->ref);
  r->kept->destroy(r->shared);
  r->kept = nullptr;
}

// revert of an object: the kept old object is swapped back in and takes the
// state back; the reverted object is destroyed by the swap.
SysStatus revert_object(UpdateContext& ctx, Record* r) {
  obj::SwapOptions o;
  o.update_seq = ctx.seq;
  o.timeout_cycles = ctx.timeout_cycles;
  o.own_replacement = false;  // a failed revert keeps it for another try
  obj::SwapResult sr = obj::hot_swap(r->ref, r->kept, o);
  if (sr.status != kOk) {
    finish(ctx, sr.status, obj::is_timeout(sr.failure) ? kReasonQuiescence : kReasonTransfer, sr.reason);
    return sr.status;
  }
  ++ctx.objects_swapped;
  return kOk;
}

// revert of a class: the factory reference back to the kept factory, every
// instance of the reverted class (those made since too) swapped for one the
// old factory makes, the reverted factory destroyed.
SysStatus revert_class(UpdateContext& ctx, Record* r) {
  obj::Factory* nf = static_cast<obj::Factory*>(r->installed);
  obj::Factory* of = static_cast<obj::Factory*>(r->kept);
  u64 instances = nf->instances();
  obj::SwapResult sr = swap_factory(ctx, r->ref, of, false);
  if (sr.status != kOk) {
    finish(ctx, sr.status, obj::is_timeout(sr.failure) ? kReasonQuiescence : kReasonTransfer, sr.reason);
    return sr.status;
  }
  ++ctx.factories_swapped;
  ev::emit(ev::FACTORY_SWAP, ctx.seq, nf->version(), of->version(), instances);
  u64 failed = ctx.swap_failures;
  swap_instances(ctx, r->ref, of);
  // An instance that could not go back still runs the reverted class: its
  // module stays loaded for good.
  if (ctx.swap_failures != failed && r->module) {
    SpinGuard g(g_lock);
    ++r->module->users;
  }
  PhaseScope ph(ctx.seq, kPhase_DESTROY, r->ref);
  nf->destroy(true);  // its registry is the old factory's again
  return kOk;
}

// Why update `r` cannot be reverted or committed now, or nullptr.
const char* refusal(Record* r, bool for_revert) {
  if (!r) return "no update with that number has applied";
  if (r->interface && for_revert)
    return "an interface change cannot be reverted: clients of the new interface hold its reference";
  if (r->state == UpdateState::kReverted) return "the update was reverted already";
  if (r->state == UpdateState::kCommitted)
    return for_revert ? "the update was committed: the code it replaced is unloaded" : "the update was committed already";
  if (!for_revert) return nullptr;
  if (lazy_converting(r->seq)) return "its lazy conversions are still running";
  SpinGuard g(g_lock);
  if (latest_locked(r->ref) != r || obj::root_of(r->ref) != r->installed)
    return "not the latest update on its object: a later update replaced it";
  return nullptr;
}

}  // namespace

// ---- the module service ------------------------------------------------------------------

LoadedModule* adopt_module(const dusim::loader::Module& m, u64 seq) {
  LoadedModule* l = static_cast<LoadedModule*>(kzalloc(sizeof(LoadedModule)));
  if (!l) return nullptr;
  l->m = m;
  l->seq = seq;
  SpinGuard g(g_lock);
  l->next = g_modules;
  g_modules = l;
  return l;
}

void module_done(UpdateContext& ctx) {
  LoadedModule* m = ctx.module;
  if (!m || !ctx.discard_module) return;  // its classes are in use (or its update aborted: kept, as before)
  bool unused;
  {
    SpinGuard g(g_lock);
    unused = m->users == 0 && !m->unloaded;
  }
  if (unused) unload(ctx, m);
}

// ---- records -------------------------------------------------------------------------------

void record_update(UpdateContext& ctx, bool is_class, u32 ref, obj::ObjectRoot* kept, bool shared) {
  Record* r = static_cast<Record*>(kzalloc(sizeof(Record)));
  KASSERT(r);
  r->seq = ctx.seq;
  r->is_class = is_class;
  r->ref = ref;
  r->kept = kept;
  r->installed = obj::root_of(ref);
  r->shared = shared;
  r->module = ctx.module;
  r->state = UpdateState::kApplied;
  SpinGuard g(g_lock);
  r->prev = latest_locked(ref);
  if (r->module) ++r->module->users;
  // Instances a class update could not swap still run the previous class.
  if (is_class && ctx.swap_failures && r->prev && r->prev->module) ++r->prev->module->users;
  r->next = g_records;
  g_records = r;
}

void record_interface_update(UpdateContext& ctx, u32 ref) {
  Record* r = static_cast<Record*>(kzalloc(sizeof(Record)));
  KASSERT(r);
  r->seq = ctx.seq;
  r->ref = ref;
  r->installed = obj::root_of(ref);
  r->interface = true;
  r->module_released = true;  // pinned by update_interface: the adapter runs its code for good
  r->state = UpdateState::kApplied;
  SpinGuard g(g_lock);
  r->prev = latest_locked(ref);
  r->next = g_records;
  g_records = r;
}

LoadedModule* pin_code_of(u32 ref) {
  SpinGuard g(g_lock);
  Record* r = latest_locked(ref);
  if (!r || !r->module) return nullptr;
  ++r->module->users;
  return r->module;
}

void release_module(UpdateContext& ctx, LoadedModule* m) { release(ctx, m); }

void pin_module(UpdateContext& ctx) {
  if (!ctx.module) return;
  SpinGuard g(g_lock);
  ++ctx.module->users;
}

// ---- revert and commit -----------------------------------------------------------------------

SysStatus revert(UpdateContext& ctx, u64 seq) {
  ctx.discard_module = true;
  Record* r = find(seq);
  ev::emit(ev::UPDATE_REVERT, ctx.seq, seq, r ? r->ref : 0);
  if (const char* why = refusal(r, true)) {
    finish(ctx, kErrInvalid, kReasonRevert, why);
    return kErrInvalid;
  }
  SysStatus st;
  {
    PhaseScope ph(ctx.seq, kPhase_REVERT, r->ref);
    st = r->is_class ? revert_class(ctx, r) : revert_object(ctx, r);
  }
  if (st != kOk) return st;
  {
    SpinGuard g(g_lock);
    r->state = UpdateState::kReverted;
    r->kept = nullptr;
  }
  release_record_module(ctx, r);  // nothing runs its code any more
  finish(ctx, kOk, 0, "");
  return kOk;
}

SysStatus commit(UpdateContext& ctx, u64 seq) {
  ctx.discard_module = true;
  Record* r = find(seq);
  ev::emit(ev::UPDATE_COMMITTED, ctx.seq, seq, r ? r->ref : 0);
  if (const char* why = refusal(r, false)) {
    finish(ctx, kErrInvalid, kReasonCommit, why);
    return kErrInvalid;
  }
  {
    PhaseScope ph(ctx.seq, kPhase_COMMIT, r->ref);
    // This update and every earlier one on its object become permanent...
    for (Record* q = r; q; q = q->prev)
      if (q->state == UpdateState::kApplied) {
        if (q->kept) destroy_kept(ctx, q);
        q->state = UpdateState::kCommitted;
      }
    // ...so the code the earlier ones installed is used by nothing.
    for (Record* q = r->prev; q; q = q->prev) release_record_module(ctx, q);
  }
  finish(ctx, kOk, 0, "");
  return kOk;
}

// ---- inspection -------------------------------------------------------------------------------

UpdateState update_state(u64 seq) {
  Record* r = find(seq);
  return r ? r->state : UpdateState::kUnknown;
}

bool module_of(u64 seq, uval* base, uval* bytes, bool* unloaded) {
  SpinGuard g(g_lock);
  for (LoadedModule* m = g_modules; m; m = m->next)
    if (m->seq == seq) {
      *base = uval(m->m.base);
      *bytes = m->m.size;
      *unloaded = m->unloaded;
      return true;
    }
  return false;
}

}  // namespace upd
