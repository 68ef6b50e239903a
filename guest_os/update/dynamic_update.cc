#include "update/dynamic_update.h"

#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "update/lazy_update.h"
#include "update/lifecycle.h"
#include "update/phases.h"
#include "update/state_transfer.h"

namespace upd {

namespace {

// ---- the parallel instance swaps ----
struct ClassSwap {
  UpdateContext* ctx;
  obj::Factory* factory;
  Latch* done;
  volatile u64 swapped;
  volatile u64 failed;
  volatile u64 destroyed;  // destroys queued during a swap, completed after it
};

// A swap of this update's.
obj::SwapOptions swap_options(const UpdateContext& ctx) {
  obj::SwapOptions o;
  o.update_seq = ctx.seq;
  o.timeout_cycles = ctx.timeout_cycles;
  return o;
}

void on_instance_switched(obj::ObjectRoot* o, obj::ObjectRoot* n, void* arg) {
  static_cast<obj::InstanceRegistry*>(arg)->replace(o, n);
}

// Takes the next instance of CPU `cpu`'s list that is still of an old class
// and marks it as being updated; nullptr when none is left.
obj::ObjectRoot* next_old_instance(obj::InstanceRegistry* reg, unsigned cpu, u64 version) {
  obj::InstanceRegistry::List& l = reg->lists[cpu];
  SpinGuard g(l.lock);
  for (obj::ObjectRoot* r = l.head; r; r = r->inst_next)
    if (r->class_version != version && !r->updating) {
      r->updating = 1;
      return r;
    }
  return nullptr;
}

void swap_cpu_instances(void* a) {
  ClassSwap* cs = static_cast<ClassSwap*>(a);
  unsigned cpu = cpu_id();
  obj::Factory* f = cs->factory;
  obj::InstanceRegistry* reg = f->registry();
  u64 v = f->version();
  InstanceSwapCounts n{};
  // A batch at a time (obj::hot_swap_batch): one generation wait for up to
  // kMaxBatch instances instead of one each.
  for (;;) {
    obj::ObjectRoot* olds[obj::kMaxBatch];
    unsigned k = 0;
    while (k < obj::kMaxBatch && (olds[k] = next_old_instance(reg, cpu, v))) ++k;
    if (!k) break;
    swap_instance_batch(*cs->ctx, f, olds, k, n);
  }
  atomic_fetch_add(&cs->swapped, n.swapped);
  atomic_fetch_add(&cs->failed, n.failed);
  atomic_fetch_add(&cs->destroyed, n.destroyed);
  cs->done->count_down();
}

}  // namespace

namespace {
// Before the swap: old's replacement, marked as being swapped from the
// moment it can be found through the entry (the switch), before it
// replaces old on the list, so that a destroy that finds it then is queued
// too.
obj::ObjectRoot* make_replacement(obj::Factory* f, obj::ObjectRoot* old) {
  obj::ObjectRoot* neu = f->create_replacement(old);
  if (neu) neu->updating = obj::kUpdSwapping;
  return neu;
}

obj::SwapOptions instance_swap_options(const UpdateContext& ctx, obj::InstanceRegistry* reg) {
  obj::SwapOptions o = swap_options(ctx);
  o.on_switched = on_instance_switched;
  o.arg = reg;
  return o;
}

// After the swap of the instance at `ref`: its class version, its state
// for later updates, and a destroy queued while it was being swapped.
void after_instance_swap(obj::Factory* f, u32 ref, const obj::SwapResult& r, InstanceSwapCounts& n) {
  obj::InstanceRegistry* reg = f->registry();
  obj::ObjectRoot* now = obj::root_of(ref);
  if (r.status == kOk) {
    now->class_version = f->version();
    ++n.swapped;
  } else {
    ++n.failed;  // it stays old; marked so this update skips it
  }
  bool destroy;
  {
    SpinGuard g(reg->lists[now->inst_cpu].lock);
    destroy = now->destroy_pending != 0;
    now->updating = destroy ? obj::kUpdDestroying : r.status == kOk ? obj::kUpdIdle : obj::kUpdSkip;
  }
  // Destroyed while it was being swapped: the destroy is ours to finish.
  if (destroy) {
    obj::Factory::finish_pending_destroy(reg, now);
    ++n.destroyed;
  }
}
}  // namespace

void swap_instance(UpdateContext& ctx, obj::Factory* f, obj::ObjectRoot* old, InstanceSwapCounts& n) {
  u32 ref = old->ref;
  obj::ObjectRoot* neu = make_replacement(f, old);
  obj::SwapResult r =
      neu ? obj::hot_swap(ref, neu, instance_swap_options(ctx, f->registry())) : obj::SwapResult{kErrNoMemory};
  after_instance_swap(f, ref, r, n);
}

void swap_instance_batch(UpdateContext& ctx, obj::Factory* f, obj::ObjectRoot* const* olds, unsigned k,
                         InstanceSwapCounts& n) {
  u32 refs[obj::kMaxBatch], swap_refs[obj::kMaxBatch];
  obj::ObjectRoot* neus[obj::kMaxBatch];
  obj::SwapResult rs[obj::kMaxBatch];
  unsigned m = 0;
  for (unsigned i = 0; i < k; ++i) {
    refs[i] = olds[i]->ref;
    obj::ObjectRoot* neu = make_replacement(f, olds[i]);
    rs[i] = obj::SwapResult{kErrNoMemory};
    if (neu) {
      swap_refs[m] = refs[i];
      neus[m++] = neu;
    }
  }
  obj::SwapResult out[obj::kMaxBatch];
  if (m) obj::hot_swap_batch(m, swap_refs, neus, instance_swap_options(ctx, f->registry()), out);
  for (unsigned i = 0, j = 0; i < k; ++i) {
    if (j < m && swap_refs[j] == refs[i]) rs[i] = out[j++];
    after_instance_swap(f, refs[i], rs[i], n);
  }
}

void finish(UpdateContext& ctx, SysStatus st, u64 reason_code, const char* reason) {
  if (ctx.finished) return;
  ctx.finished = true;
  if (st == kOk) {
    ev::emit(ev::UPDATE_APPLIED, ctx.seq, ctx.objects_swapped, ctx.factories_swapped);
  } else {
    ctx.reason = reason;
    ev::emit(ev::UPDATE_ABORTED, ctx.seq, reason_code, reinterpret_cast<u64>(reason));
    kprintf("update %lu aborted: %s\n", ctx.seq, reason);
  }
}

bool wait_uncounted_for(Latch& l, u64 timeout_cycles) {
  u64 f = irq_save();
  Thread* t = Thread::current();
  bool counted = !(t->flags & (Thread::kUncounted | Thread::kOutOfGeneration));
  if (counted) {
    gen::leave(t);
    t->flags |= Thread::kOutOfGeneration;
  }
  irq_restore(f);
  bool ended = true;
  if (timeout_cycles) ended = l.wait_for(timeout_cycles);
  else l.wait();
  if (counted) {
    f = irq_save();
    t->flags &= ~Thread::kOutOfGeneration;
    gen::check_switch();
    gen::join(t);
    irq_restore(f);
  }
  return ended;
}

void wait_uncounted(Latch& l) { wait_uncounted_for(l, 0); }

// ---- the class update, one step of FIG. 3 per function (the update's thread) ----
namespace {

// 314: the new factory's version against the running one's.
bool check_version(UpdateContext& ctx, u32 fref, obj::Factory* of, obj::Factory* nf) {
  PhaseScope ph(ctx.seq, kPhase_VERSION, fref);
  bool accepted = of && nf->accepts_predecessor(of->version());
  ev::emit(ev::VERSION_CHECK, ctx.seq, of ? of->version() : 0, nf->version(), accepted);
  return accepted;
}

// A failed swap ends the update: UPDATE_ABORTED with its reason.
SysStatus abort_on(UpdateContext& ctx, const obj::SwapResult& r) {
  finish(ctx, r.status, obj::is_timeout(r.failure) ? kReasonQuiescence : kReasonTransfer, r.reason);
  return r.status;
}

}  // namespace

// 316, 318: the factory reference names the new factory (a hot swap of the
// factory object, which hands its registry on); the old one is kept.
obj::SwapResult swap_factory(UpdateContext& ctx, u32 fref, obj::Factory* nf, bool own_nf) {
  PhaseScope ph(ctx.seq, kPhase_FACTORY_SWAP, fref);
  obj::SwapOptions o = swap_options(ctx);
  o.destroy_old = false;
  o.own_replacement = own_nf;
  return obj::hot_swap(fref, nf, o);
}

// 320, 322, 324: every old instance swapped for one the new factory makes,
// in parallel, one uncounted thread per CPU walking that CPU's list.
void swap_instances(UpdateContext& ctx, u32 fref, obj::Factory* nf) {
  PhaseScope ph(ctx.seq, kPhase_INSTANCE_SWAPS, fref);
  Latch done(ncpus());
  ClassSwap cs{&ctx, nf, &done, 0, 0, 0};
  for (unsigned c = 0; c < ncpus(); ++c) {
    ThreadOptions t;
    t.cpu = int(c);
    t.name = "class update";
    t.flags = Thread::kUncounted | Thread::kUrgent;  // runs now, beside the CPU's load (thread.h)
    if (!Thread::create(swap_cpu_instances, &cs, t)) done.count_down();
  }
  wait_uncounted(done);
  ctx.objects_swapped += cs.swapped;
  ctx.swap_failures += cs.failed;
  ctx.deferred_destroys += cs.destroyed;
  if (cs.failed) kprintf("update %lu: %lu instances could not be swapped and stay old\n", ctx.seq, u64(cs.failed));
}

SysStatus update_class(UpdateContext& ctx, u32 fref, obj::Factory* nf, ClassUpdate mode) {
  obj::Factory* of = static_cast<obj::Factory*>(obj::root_of(fref));
  // A lazy update still converting would convert to a factory no longer
  // current: it is finished first (lazy_update.h).
  if (lazy_busy() && finish_lazy(ctx) != kOk) {
    nf->destroy(false);
    finish(ctx, kErrBusy, kReasonLazy, "a lazy class update could not finish converting in time");
    return kErrBusy;
  }
  if (!check_version(ctx, fref, of, nf)) {
    nf->destroy(false);
    finish(ctx, kErrInvalid, kReasonVersion, "version check failed: not a compatible successor");
    return kErrInvalid;
  }
  u64 instances = of->instances();
  obj::SwapResult r = swap_factory(ctx, fref, nf);
  if (r.status != kOk) return abort_on(ctx, r);
  ++ctx.factories_swapped;
  ev::emit(ev::FACTORY_SWAP, ctx.seq, of->version(), nf->version(), instances);
  if (mode == ClassUpdate::kLazy) {
    u64 armed = 0;
    // Nothing else converts meanwhile (checked above; one update at a time);
    // without memory for the converter, the instances are swapped now.
    if (arm_lazy(ctx, fref, nf, &armed) != kOk) swap_instances(ctx, fref, nf);
  } else {
    swap_instances(ctx, fref, nf);
  }
  // 326 (the old factory destroyed; its registry is the new one's) waits for
  // the commit: until then the update can be reverted (lifecycle.h).
  record_update(ctx, true, fref, of, true);
  finish(ctx, kOk, 0, "");
  return kOk;
}

SysStatus update_object(UpdateContext& ctx, u32 ref, obj::ObjectRoot* neu) {
  obj::ObjectRoot* old = obj::root_of(ref);
  obj::SwapOptions o = swap_options(ctx);
  o.destroy_old = false;  // kept for a revert until the commit
  obj::SwapResult r = obj::hot_swap(ref, neu, o);
  if (r.status != kOk) return abort_on(ctx, r);
  ++ctx.objects_swapped;
  record_update(ctx, false, ref, old, r.format == obj::kXferSharedBackEnd);
  finish(ctx, kOk, 0, "");
  return kOk;
}

SysStatus update_interface(UpdateContext& ctx, u32 ref, u32 nref, obj::ObjectRoot* adapter, const char* name) {
  ev::emit(ev::INTERFACE_ADAPTED, ctx.seq, ref, nref);
  obj::SwapResult r = obj::hot_swap(ref, adapter, swap_options(ctx));
  if (r.status != kOk) {
    obj::ObjectRoot* neu = obj::root_of(nref);
    obj::uninstall(nref);
    if (neu) neu->destroy(false);
    return abort_on(ctx, r);
  }
  ++ctx.objects_swapped;
  register_class(name, nref);
  pin_module(ctx);  // the adapter and the new class live in it for good
  record_interface_update(ctx, ref);
  finish(ctx, kOk, 0, "");
  return kOk;
}

SysStatus add_class(UpdateContext& ctx, const char* name, obj::Factory* f, u32* out) {
  u32 ref = obj::install(f);
  if (!ref) {
    f->destroy(false);
    finish(ctx, kErrNoMemory, kReasonNoMemory, "translation table full");
    return kErrNoMemory;
  }
  register_class(name, ref);
  pin_module(ctx);  // a class added from it: the module stays
  ev::emit(ev::OBJ_CLASS_ADDED, ref, f->version());
  if (out) *out = ref;
  return kOk;
}

}  // namespace upd
