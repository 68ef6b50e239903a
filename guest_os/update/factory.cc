#include "update/factory.h"

#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "update/state_transfer.h"

namespace obj {

static_assert((1ull << 16) == kXferSharedBackEnd, "Factory::kXferShared");

InstanceRegistry* InstanceRegistry::Create() {
  InstanceRegistry* r = static_cast<InstanceRegistry*>(kzalloc(sizeof(InstanceRegistry)));
  if (!r) return nullptr;
  r->lists = static_cast<List*>(kzalloc(sizeof(List) * ncpus()));
  if (!r->lists) {
    kfree(r);
    return nullptr;
  }
  for (unsigned c = 0; c < ncpus(); ++c) new (&r->lists[c]) List();
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
  r->inst_prev = nullptr;
  r->inst_next = l.head;
  if (l.head) l.head->inst_prev = r;
  l.head = r;
  ++l.count;
}

void InstanceRegistry::remove(ObjectRoot* r) {
  List& l = lists[r->inst_cpu];
  SpinGuard g(l.lock);
  if (r->inst_prev) r->inst_prev->inst_next = r->inst_next;
  else l.head = r->inst_next;
  if (r->inst_next) r->inst_next->inst_prev = r->inst_prev;
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
}

u64 InstanceRegistry::count() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += lists[c].count;
  return n;
}

Factory::Factory(u64 version) : version_(version) { class_version = version; }

SysStatus Factory::make_registry() {
  registry_ = InstanceRegistry::Create();
  return registry_ ? kOk : kErrNoMemory;
}

SysStatus Factory::track(ObjectRoot* inst) {
  inst->class_version = version_;
  registry_->add(inst, cpu_id());
  return kOk;
}

void Factory::destroy_instance(u32 ref) {
  ObjectRoot* r = root_of(ref);
  // A class update may be swapping it: wait until the swap is over (the
  // registry then names the replacement, which is what we destroy).
  for (;;) {
    r = root_of(ref);
    InstanceRegistry::List& l = registry_->lists[r->inst_cpu];
    u64 f = l.lock.lock_irqsave();
    if (r->updating != 1 && root_of(ref) == r) {
      r->updating = 2;  // being destroyed: the class update skips it
      l.lock.unlock_irqrestore(f);
      break;
    }
    l.lock.unlock_irqrestore(f);
    Thread::sleep_cycles(1000);
  }
  registry_->remove(r);
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
  if (registry_) registry_->destroy();
  registry_ = static_cast<InstanceRegistry*>(in.data);
  return kOk;
}

void Factory::destroy(bool keep_back_end) {
  if (!keep_back_end && registry_) registry_->destroy();
  delete this;
}

}  // namespace obj
