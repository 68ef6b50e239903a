// A program's signal actions (kernel/user.cc's rt_sigaction and every
// delivery go through it): what each of signals 1-64 does, as
// rt_sigaction's struct kernel_sigaction (user::SigAction) — its default
// action (handler 0), ignored (1) or a handler with its flags and mask.
// The masks and pending signals are each thread's own (like its registers,
// user.cc's UThread), read on every return to problem state; what the
// process shares is this table.
//
//   SignalTableShared  one representative: the 64 actions under one lock.
//
// Made and tracked by SignalTableFactory (DREF_FACTORY_DEFAULT(SignalTable)),
// so a class update reaches every running program's table. State
// transfer: kXferCopyV0, the 64 actions (SignalTableState).
//
// Locking: the table's spinlock (interrupts off) around every call. A
// caller holds no lock of its own and never sleeps in a call.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/user.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

class SignalTable {
 public:
  // rt_sigaction for sig (1-64; the caller has checked it): *old gets the
  // action it had (if old), then it takes *nw's (if nw). 0.
  virtual s64 exchange(unsigned sig, const user::SigAction* nw, user::SigAction* old) = 0;
  // A delivery of sig: its action into *out, and an action with
  // SA_RESETHAND and a handler goes back to the default, in the same step
  // (two threads delivering it at once: one runs the handler).
  virtual void deliver(unsigned sig, user::SigAction* out) = 0;

 protected:
  ~SignalTable() = default;
};

struct SignalTableState {
  user::SigAction action[64];
};

class SignalTableShared final : public obj::SingleRep<SignalTable> {
 public:
  s64 exchange(unsigned sig, const user::SigAction* nw, user::SigAction* old) override;
  void deliver(unsigned sig, user::SigAction* out) override;
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "SignalTableShared"; }

 private:
  SpinLock lock_;
  user::SigAction action_[64] = {};
};

// Not final: its reference is ObjRef<SignalTableFactory> (objref_calls.sh).
class SignalTableFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<SignalTable>& out);
  virtual void destroyTable(obj::ObjRef<SignalTable> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new SignalTableShared(); }
  const char* class_name() const override { return "SignalTableFactory"; }
  static obj::ObjRef<SignalTableFactory> factoryRef;

 protected:
  explicit SignalTableFactory(u64 version) : Factory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
