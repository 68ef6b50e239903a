#include "update/factory.h"

#include "kernel/atomic.h"
#include "kernel/dlist.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "update/state_transfer.h"

namespace obj {

static_assert((1ull << 16) == kXferSharedBackEnd, "Factory::kXferShared");

InstanceRegistry* InstanceRegistry::Create() {
  List* lists = kzalloc_array<List>(ncpus());
  InstanceRegistry* r = lists ? static_cast<InstanceRegistry*>(kzalloc(sizeof(InstanceRegistry))) : nullptr;
  if (r) r->lists = lists;
  else kfree(lists);
  return r;
}

void InstanceRegistry::destroy() {
  kfree(lists);
  kfree(this);
}

void InstanceRegistry::add(ObjectRoot* r, unsigned cpu) {
  List& l = lists[cpu];
  SpinGuard g(l.lock);
  r->inst_cpu = cpu;
  dlist_push_front(l.head, r, &ObjectRoot::inst_next, &ObjectRoot::inst_prev);
  ++l.count;
}

void InstanceRegistry::remove(ObjectRoot* r) {
  List& l = lists[r->inst_cpu];
  SpinGuard g(l.lock);
  dlist_remove(l.head, r, &ObjectRoot::inst_next, &ObjectRoot::inst_prev);
  --l.count;
}

void InstanceRegistry::replace(ObjectRoot* o, ObjectRoot* n) {
  List& l = lists[o->inst_cpu];
  SpinGuard g(l.lock);
  n->inst_cpu = o->inst_cpu;
  n->inst_prev = o->inst_prev;
  n->inst_next = o->inst_next;
  if (o->inst_prev) o->inst_prev->inst_next = n;
  else l.head = n;
  if (o->inst_next) o->inst_next->inst_prev = n;
  n->updating = o->updating;
  n->destroy_pending |= o->destroy_pending;
}

u64 InstanceRegistry::count() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += lists[c].count;
  return n;
}

Factory::Factory(u64 version) : version_(version) { class_version = version; }

SysStatus Factory::install_default(u32& ref_idx, Factory* (*make)()) {
  static SpinLock lock;
  init();
  SpinGuard g(lock);
  if (ref_idx) return kOk;
  Factory* f = make();
  if (!f) return kErrNoMemory;
  if (f->make_registry() != kOk) {
    f->destroy(false);
    return kErrNoMemory;
  }
  ref_idx = install(f);
  return ref_idx ? kOk : kErrNoMemory;
}

SysStatus Factory::make_registry() {
  registry_ = InstanceRegistry::Create();
  return registry_ ? kOk : kErrNoMemory;
}

SysStatus Factory::track(ObjectRoot* inst) {
  inst->class_version = version_;
  registry_->add(inst, cpu_id());
  return kOk;
}

SysStatus Factory::adopt(ObjectRoot* inst, u32& idx) {
  if (!inst) return kErrNoMemory;
  u32 i = install(inst);
  if (!i) {
    inst->destroy(false);
    return kErrNoMemory;
  }
  track(inst);
  idx = i;
  return kOk;
}

volatile u64 g_deferred_destroys;

bool Factory::destroy_instance(u32 ref) {
  ObjectRoot* r;
  for (;;) {
    r = root_of(ref);
    InstanceRegistry::List& l = registry_->lists[r->inst_cpu];
    SpinGuard g(l.lock);
    // The entry moved to a replacement meanwhile: look again.
    if (root_of(ref) != r) continue;
    if (r->updating == kUpdSwapping) {
      // A class update is swapping it, and its quiescence may be waiting
      // for this very caller's generation: do not wait; the swapper
      // destroys it after the swap (dynamic_update.cc).
      r->destroy_pending = 1;
      atomic_inc(&g_deferred_destroys);
      return false;
    }
    r->updating = kUpdDestroying;  // the class update skips it
    break;
  }
  registry_->remove(r);
  uninstall(ref);
  r->destroy(false);
  return true;
}

void Factory::finish_pending_destroy(InstanceRegistry* reg, ObjectRoot* r) {
  u32 ref = r->ref;
  reg->remove(r);
  uninstall(ref);
  r->destroy(false);
}

SysStatus Factory::export_state(u64 format, StateBuffer& out) {
  if (format != kXferShared) return kErrInvalid;
  out.data = registry_;
  out.bytes = 0;
  return kOk;
}

SysStatus Factory::import_state(u64 format, StateBuffer& in) {
  if (format != kXferShared) return kErrInvalid;
  // A factory kept for a revert still names the registry it handed on: it
  // takes it back, and must not free it.
  if (registry_ && registry_ != in.data) registry_->destroy();
  registry_ = static_cast<InstanceRegistry*>(in.data);
  return kOk;
}

void Factory::destroy(bool keep_back_end) {
  if (!keep_back_end && registry_) registry_->destroy();
  delete this;
}

}  // namespace obj
