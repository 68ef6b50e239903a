// Futex words in buckets: a new class of futex table (objects/futex_table.h)
// and a factory behind the FutexTable reference that makes it.
// FutexTableShared keeps every waiter of a program on one list under one
// lock, so a wake on one word waits for a wait on another, and both walk
// every waiter. Here the words hash to 64 buckets, each with its own lock
// and list on a cache line of its own: a call takes the lock of its
// word's bucket (two for REQUEUE and WAKE_OP, in bucket order; all of them,
// one at a time, for a nudge).
//
// The class update swaps the factory (new programs get this class at
// once), then every program's table while its threads sleep in it: the
// one list arrives by kXferCopyV0 (FutexTableState) and is dealt out to
// the buckets in its order, so each word's waiters keep theirs (FIFO); the
// records themselves stay on their waiters' stacks.
#include "kernel/heap.h"
#include "objects/futex_table.h"
#include "update/dynamic_update.h"

namespace {
enum : s64 { kEAGAIN = 11, kENOSYS = 38 };
constexpr unsigned kBuckets = 64;

void wake_record(user::FutexWaiter* x) {
  x->wq.lock.acquire();
  x->wq.wake_all_locked();
  x->wq.lock.release();
}
}  // namespace

class FutexTableHashed final : public obj::SingleRep<FutexTable> {
 public:
  // Its buckets in a block of their own (whole pages: each bucket starts a line).
  FutexTableHashed() : b_(static_cast<Bucket*>(kzalloc(sizeof(Bucket) * kBuckets))) {}
  bool made() const { return b_ != nullptr; }

  s64 enqueue(user::FutexWaiter* w, const volatile u32* word, u32 want) override {
    Bucket& b = of(w->addr);
    const u64 f = b.lock.lock_irqsave();
    if (*word != want) {
      b.lock.unlock_irqrestore(f);
      return -kEAGAIN;
    }
    w->next = nullptr;
    w->woken = false;
    append(b, w);
    w->irqs = f;
    w->wq.lock.acquire();
    b.lock.release();  // (interrupts stay off: the record's queue lock is held)
    return 0;
  }

  bool leave(user::FutexWaiter* w) override {
    // (a requeue may have moved it to another word's bucket meanwhile:
    // look where its address says, under that bucket's lock)
    for (;;) {
      const uval addr = w->addr;
      Bucket& b = of(addr);
      SpinGuard g(b.lock);
      if (w->woken) return true;
      if (w->addr != addr) continue;
      for (user::FutexWaiter** x = &b.head; *x; x = &(*x)->next)
        if (*x == w) {
          *x = w->next;
          break;
        }
      return false;
    }
  }

  u64 wake(uval addr, bool shared, u32 bitset, u64 n) override {
    Bucket& b = of(addr);
    SpinGuard g(b.lock);
    return take(b, addr, shared, bitset, n);
  }

  s64 requeue(uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp) override {
    Bucket &from = of(addr), &into = of(to);
    Pair g(from, into);
    if (word && *word != cmp) return -kEAGAIN;
    u64 k = take(from, addr, shared, ~0u, n);
    // Moved: off this word's bucket, onto the tail of the other's.
    u64 moved = 0;
    for (user::FutexWaiter** w = &from.head; *w && moved < m;) {
      user::FutexWaiter* x = *w;
      if (x->addr != addr || x->shared != shared) {
        w = &x->next;
        continue;
      }
      ++moved;
      x->addr = to;
      if (&from == &into) {
        w = &x->next;
        continue;
      }
      *w = x->next;
      x->next = nullptr;
      append(into, x);
    }
    return s64(k + moved);
  }

  s64 wakeOp(uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code) override {
    const unsigned kind = (code >> 28) & 7, cmp = (code >> 24) & 15;
    u32 oparg = (code >> 12) & 0xfff, cmparg = code & 0xfff;
    if ((code >> 28) & 8) oparg = 1u << (oparg & 31);
    if (kind > 4 || cmp > 5) return -kENOSYS;
    Bucket &b1 = of(addr), &b2 = of(addr2);
    Pair g(b1, b2);
    const u32 old = *word2;
    *word2 = kind == 0 ? oparg : kind == 1 ? old + oparg : kind == 2 ? old | oparg : kind == 3 ? old & ~oparg : old ^ oparg;
    u64 k = take(b1, addr, shared, ~0u, n);
    const s32 o = s32(old), a = s32(cmparg);
    const bool hit = cmp == 0 ? o == a : cmp == 1 ? o != a : cmp == 2 ? o < a : cmp == 3 ? o <= a : cmp == 4 ? o > a : o >= a;
    if (hit) k += take(b2, addr2, shared, ~0u, m);
    return s64(k);
  }

  void nudge(const void* thread) override {
    for (unsigned i = 0; i < kBuckets; ++i) {
      SpinGuard g(b_[i].lock);
      for (user::FutexWaiter* x = b_[i].head; x; x = x->next)
        if (!thread || x->thread == thread) wake_record(x);
    }
  }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  // The buckets' lists one after the other as the one list (each word's
  // waiters in their order). The swap has quiesced every call: no lock.
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<FutexTableState*>(out.alloc(sizeof(FutexTableState)));
    if (!s) return kErrNoMemory;
    user::FutexWaiter** tail = &s->head;
    for (unsigned i = 0; i < kBuckets; ++i)
      for (user::FutexWaiter* x = b_[i].head; x; x = x->next) {
        *tail = x;
        tail = &x->next;
      }
    *tail = nullptr;
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    if (!made()) return kErrNoMemory;
    for (user::FutexWaiter* x = static_cast<FutexTableState*>(in.data)->head; x;) {
      user::FutexWaiter* next = x->next;
      x->next = nullptr;
      append(of(x->addr), x);
      x = next;
    }
    return kOk;
  }
  void destroy(bool) override {
    kfree(b_);
    delete this;
  }
  const char* class_name() const override { return "FutexTableHashed"; }

 private:
  struct Bucket {
    SpinLock lock;
    user::FutexWaiter* head;
    char pad[KERNEL_CACHE_LINE - 16];  // (the lock and the head: 16 bytes)
  };
  static_assert(sizeof(Bucket) == KERNEL_CACHE_LINE, "one line per bucket");
  // Two buckets' locks, lower index first (one when they are the same).
  struct Pair {
    Bucket *a, *b;
    u64 irqs;
    Pair(Bucket& x, Bucket& y) : a(&x < &y ? &x : &y), b(&x < &y ? &y : &x), irqs(a->lock.lock_irqsave()) {
      if (b != a) b->lock.acquire();
    }
    ~Pair() {
      if (b != a) b->lock.release();
      a->lock.unlock_irqrestore(irqs);
    }
  };

  Bucket& of(uval addr) { return b_[((addr >> 2) * 0x9e3779b97f4a7c15ull) >> 58]; }
  static void append(Bucket& b, user::FutexWaiter* w) {
    user::FutexWaiter** tail = &b.head;
    while (*tail) tail = &(*tail)->next;
    *tail = w;
  }
  // (under b's lock) Wakes up to n waiters of (addr, shared, bitset) in b.
  static u64 take(Bucket& b, uval addr, bool shared, u32 bitset, u64 n) {
    u64 k = 0;
    for (user::FutexWaiter** w = &b.head; *w && k < n;) {
      user::FutexWaiter* x = *w;
      if (x->addr != addr || x->shared != shared || !(x->bitset & bitset)) {
        w = &x->next;
        continue;
      }
      ++k;
      *w = x->next;
      x->woken = true;
      wake_record(x);
    }
    return k;
  }

  Bucket* b_;
};

class FutexTableFactory_Hashed final : public FutexTableFactory {
 public:
  FutexTableFactory_Hashed() : FutexTableFactory(1) {}
  SysStatus create(obj::ObjRef<FutexTable>& out) override {
    auto* t = new FutexTableHashed();
    if (t && !t->made()) {
      t->destroy(false);
      return kErrNoMemory;
    }
    return adopt(t, out.idx);
  }
  // Takes an old table's place; its waiters arrive by transfer.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new FutexTableHashed(); }
  const char* class_name() const override { return "FutexTableFactory_Hashed"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new FutexTableFactory_Hashed();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(FutexTable).idx, f) == kOk ? 0 : 1;
}
