// Signal deliveries without the table's lock: a new class of signal table
// (objects/signal_table.h) and a factory behind the SignalTable reference
// that makes it. SignalTableShared takes its one spinlock for every
// delivery, so a program whose threads take signals on every CPU passes
// the lock's cache line round on each. Here:
//
//   - an action changes (rt_sigaction, SA_RESETHAND's reset) under the
//     table's lock, inside a sequence count made odd while it changes;
//   - a delivery reads its action with no store at all and retries if the
//     count moved, so the CPUs share the lines they read; only an action
//     with SA_RESETHAND takes the lock, to reset it once (two threads
//     delivering it at once: one runs the handler, the other the default).
//
// The class update swaps the factory (new programs get this class at
// once), then every program's table, whose 64 actions arrive by
// kXferCopyV0 (SignalTableState, which both classes export and import).
#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "objects/signal_table.h"
#include "update/dynamic_update.h"

namespace {
constexpr u64 kSaResethand = 0x80000000;
}

class SignalTableSeq final : public obj::SingleRep<SignalTable> {
 public:
  s64 exchange(unsigned sig, const user::SigAction* nw, user::SigAction* old) override {
    SpinGuard g(lock_);
    if (old) *old = a_[sig - 1];
    if (nw) set_locked(sig, *nw);
    return 0;
  }

  void deliver(unsigned sig, user::SigAction* out) override {
    read(sig, out);
    if (out->handler <= 1 || !(out->flags & kSaResethand)) return;
    SpinGuard g(lock_);  // (a reset: look again under the lock, reset it once)
    *out = a_[sig - 1];
    if (out->handler > 1 && (out->flags & kSaResethand)) set_locked(sig, user::SigAction{});
  }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  // (the swap has quiesced every call: no lock)
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<SignalTableState*>(out.alloc(sizeof(SignalTableState)));
    if (!s) return kErrNoMemory;
    for (unsigned i = 0; i < 64; ++i) s->action[i] = a_[i];
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    const auto* s = static_cast<const SignalTableState*>(in.data);
    for (unsigned i = 0; i < 64; ++i) a_[i] = s->action[i];
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "SignalTableSeq"; }

 private:
  // (under lock_) The count odd while the action changes.
  void set_locked(unsigned sig, const user::SigAction& a) {
    store_once(seq_, seq_ + 1);
    mach::lwsync();
    user::SigAction& d = a_[sig - 1];
    store_once(d.handler, a.handler);
    store_once(d.flags, a.flags);
    store_once(d.restorer, a.restorer);
    store_once(d.mask, a.mask);
    mach::lwsync();
    store_once(seq_, seq_ + 1);
  }
  // An action as one whole: read between two equal, even counts.
  void read(unsigned sig, user::SigAction* out) {
    const user::SigAction& a = a_[sig - 1];
    for (;;) {
      const u64 s = load_once(seq_);
      if (s & 1) {
        mach::cpu_relax();
        continue;
      }
      mach::lwsync();
      *out = user::SigAction{load_once(a.handler), load_once(a.flags), load_once(a.restorer), load_once(a.mask)};
      mach::lwsync();
      if (load_once(seq_) == s) return;
    }
  }

  SpinLock lock_;
  volatile u64 seq_ = 0;
  user::SigAction a_[64] = {};
};

class SignalTableFactory_Seq final : public SignalTableFactory {
 public:
  SignalTableFactory_Seq() : SignalTableFactory(1) {}
  SysStatus create(obj::ObjRef<SignalTable>& out) override { return adopt(new SignalTableSeq(), out.idx); }
  // Takes an old table's place; its actions arrive by transfer.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new SignalTableSeq(); }
  const char* class_name() const override { return "SignalTableFactory_Seq"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new SignalTableFactory_Seq();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(SignalTable).idx, f) == kOk ? 0 : 1;
}
