// A program's futex waiters (kernel/user.cc's futex calls go through it):
// the records of its threads waiting on futex words (user::FutexWaiter,
// each on its waiter's kernel stack), FIFO per word, and what wakes and
// moves them. A waiter sleeps outside the table: enqueue returns with the
// record's queue lock held, the sleep comes after the call has left the
// object (a call asleep inside an object would hold every hot swap of it
// up for as long as it sleeps), and leave takes the record off if no
// waker did.
//
//   FutexTableShared  one representative: the list under one lock.
//
// Made and tracked by FutexTableFactory (DREF_FACTORY_DEFAULT(FutexTable)),
// so a class update reaches every running program's table. State
// transfer: kXferCopyV0, the list's head (the records stay where they are:
// on their waiters' stacks), so a table can be hot-swapped while threads
// wait in it.
//
// Locking: the table's spinlock (interrupts off) around every call; a
// record's queue lock is taken inside it (enqueue, a wake), never the
// other way round.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/user.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

class FutexTable {
 public:
  // Queues w at the tail of its word's waiters unless *word != want:
  // 0, and the caller holds w->wq.lock with interrupts off (their state
  // before in w->irqs) to sleep on; or -EAGAIN (nothing held).
  virtual s64 enqueue(user::FutexWaiter* w, const volatile u32* word, u32 want) = 0;
  // After the sleep: true if a waker took w off the list; else takes it off.
  virtual bool leave(user::FutexWaiter* w) = 0;
  // Wakes up to n waiters of (addr, shared) whose bitset meets `bitset`,
  // first come first: how many.
  virtual u64 wake(uval addr, bool shared, u32 bitset, u64 n) = 0;
  // FUTEX_REQUEUE (word null) and FUTEX_CMP_REQUEUE (only while *word ==
  // cmp, else -EAGAIN): wakes up to n at addr and moves up to m more to
  // `to`; how many it woke and moved.
  virtual s64 requeue(uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp) = 0;
  // FUTEX_WAKE_OP (its encoded `code`): *word2 = op(old), under the
  // table's lock; wakes up to n at addr and, if cmp(old) holds, up to m at
  // addr2; how many, or -ENOSYS for an unknown op or comparison.
  virtual s64 wakeOp(uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code) = 0;
  // Wakes every waiter (thread null) or the given thread's, leaving them
  // on the list: each looks why (its process ends, or a signal came).
  virtual void nudge(const void* thread) = 0;

 protected:
  ~FutexTable() = default;
};

struct FutexTableState {
  user::FutexWaiter* head;
};

class FutexTableShared final : public obj::SingleRep<FutexTable> {
 public:
  s64 enqueue(user::FutexWaiter* w, const volatile u32* word, u32 want) override;
  bool leave(user::FutexWaiter* w) override;
  u64 wake(uval addr, bool shared, u32 bitset, u64 n) override;
  s64 requeue(uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp) override;
  s64 wakeOp(uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code) override;
  void nudge(const void* thread) override;
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "FutexTableShared"; }

 private:
  // (under lock_) Wakes up to n of (addr, shared, bitset), or moves them
  // to `to` (keeping their places: FIFO among the moved); how many.
  u64 take_locked(uval addr, bool shared, u32 bitset, u64 n, uval to = 0);
  SpinLock lock_;
  user::FutexWaiter* head_ = nullptr;
};

// Not final: its reference is ObjRef<FutexTableFactory> (objref_calls.sh).
class FutexTableFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<FutexTable>& out);
  virtual void destroyTable(obj::ObjRef<FutexTable> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FutexTableShared(); }
  const char* class_name() const override { return "FutexTableFactory"; }
  static obj::ObjRef<FutexTableFactory> factoryRef;

 protected:
  explicit FutexTableFactory(u64 version) : Factory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
