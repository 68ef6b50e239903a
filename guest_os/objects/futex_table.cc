#include "objects/futex_table.h"

#include "kernel/heap.h"

obj::ObjRef<FutexTableFactory> FutexTableFactory::factoryRef;

namespace {
enum : s64 { kEAGAIN = 11, kENOSYS = 38 };

void wake_record(user::FutexWaiter* x) {
  x->wq.lock.acquire();
  x->wq.wake_all_locked();
  x->wq.lock.release();
}
}  // namespace

u64 FutexTableShared::take_locked(uval addr, bool shared, u32 bitset, u64 n, uval to) {
  u64 k = 0;
  for (user::FutexWaiter** w = &head_; *w && k < n;) {
    user::FutexWaiter* x = *w;
    if (x->addr != addr || x->shared != shared || !(x->bitset & bitset)) {
      w = &x->next;
      continue;
    }
    ++k;
    if (to) {
      x->addr = to;
      w = &x->next;
      continue;
    }
    *w = x->next;
    x->woken = true;
    wake_record(x);
  }
  return k;
}

s64 FutexTableShared::enqueue(user::FutexWaiter* w, const volatile u32* word, u32 want) {
  const u64 f = lock_.lock_irqsave();
  if (*word != want) {
    lock_.unlock_irqrestore(f);
    return -kEAGAIN;
  }
  user::FutexWaiter** tail = &head_;
  while (*tail) tail = &(*tail)->next;
  w->next = nullptr;
  w->woken = false;
  *tail = w;
  w->irqs = f;
  w->wq.lock.acquire();
  lock_.release();  // (interrupts stay off: the record's queue lock is held)
  return 0;
}

bool FutexTableShared::leave(user::FutexWaiter* w) {
  SpinGuard g(lock_);
  if (w->woken) return true;
  for (user::FutexWaiter** x = &head_; *x; x = &(*x)->next)
    if (*x == w) {
      *x = w->next;
      break;
    }
  return false;
}

u64 FutexTableShared::wake(uval addr, bool shared, u32 bitset, u64 n) {
  SpinGuard g(lock_);
  return take_locked(addr, shared, bitset, n);
}

s64 FutexTableShared::requeue(uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp) {
  SpinGuard g(lock_);
  if (word && *word != cmp) return -kEAGAIN;
  u64 k = take_locked(addr, shared, ~0u, n);
  return s64(k + take_locked(addr, shared, ~0u, m, to));
}

s64 FutexTableShared::wakeOp(uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code) {
  const unsigned kind = (code >> 28) & 7, cmp = (code >> 24) & 15;
  u32 oparg = (code >> 12) & 0xfff, cmparg = code & 0xfff;
  if ((code >> 28) & 8) oparg = 1u << (oparg & 31);
  if (kind > 4 || cmp > 5) return -kENOSYS;
  SpinGuard g(lock_);
  // (under the table's lock, not one atomic operation on the word: a
  // program's own concurrent store to it may be lost)
  const u32 old = *word2;
  *word2 = kind == 0 ? oparg : kind == 1 ? old + oparg : kind == 2 ? old | oparg : kind == 3 ? old & ~oparg : old ^ oparg;
  u64 k = take_locked(addr, shared, ~0u, n);
  const s32 o = s32(old), a = s32(cmparg);
  const bool hit = cmp == 0 ? o == a : cmp == 1 ? o != a : cmp == 2 ? o < a : cmp == 3 ? o <= a : cmp == 4 ? o > a : o >= a;
  if (hit) k += take_locked(addr2, shared, ~0u, m);
  return s64(k);
}

void FutexTableShared::nudge(const void* thread) {
  SpinGuard g(lock_);
  for (user::FutexWaiter* x = head_; x; x = x->next)
    if (!thread || x->thread == thread) wake_record(x);
}

SysStatus FutexTableShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<FutexTableState*>(out.alloc(sizeof(FutexTableState)));
  if (!s) return kErrNoMemory;
  SpinGuard g(lock_);
  s->head = head_;
  return kOk;
}

SysStatus FutexTableShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  SpinGuard g(lock_);
  head_ = static_cast<FutexTableState*>(in.data)->head;
  return kOk;
}

SysStatus FutexTableFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new FutexTableFactory(0); });
}

SysStatus FutexTableFactory::create(obj::ObjRef<FutexTable>& out) { return adopt(new FutexTableShared(), out.idx); }
