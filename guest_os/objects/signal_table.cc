#include "objects/signal_table.h"

#include "kernel/heap.h"

obj::ObjRef<SignalTableFactory> SignalTableFactory::factoryRef;

namespace {
constexpr u64 kSaResethand = 0x80000000;
}

s64 SignalTableShared::exchange(unsigned sig, const user::SigAction* nw, user::SigAction* old) {
  SpinGuard g(lock_);
  if (old) *old = action_[sig - 1];
  if (nw) action_[sig - 1] = *nw;
  return 0;
}

void SignalTableShared::deliver(unsigned sig, user::SigAction* out) {
  SpinGuard g(lock_);
  user::SigAction& a = action_[sig - 1];
  *out = a;
  if (a.handler > 1 && (a.flags & kSaResethand)) a = user::SigAction{};
}

SysStatus SignalTableShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<SignalTableState*>(out.alloc(sizeof(SignalTableState)));
  if (!s) return kErrNoMemory;
  SpinGuard g(lock_);
  for (unsigned i = 0; i < 64; ++i) s->action[i] = action_[i];
  return kOk;
}

SysStatus SignalTableShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  const auto* s = static_cast<const SignalTableState*>(in.data);
  SpinGuard g(lock_);
  for (unsigned i = 0; i < 64; ++i) action_[i] = s->action[i];
  return kOk;
}

SysStatus SignalTableFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new SignalTableFactory(0); });
}

SysStatus SignalTableFactory::create(obj::ObjRef<SignalTable>& out) { return adopt(new SignalTableShared(), out.idx); }
