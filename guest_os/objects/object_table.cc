// The translation tables: allocation of entries, miss handling, and the
// slow path of calls that meet a mediator (object_table.h).
#include "objects/object_table.h"

#include "kernel/atomic.h"
#include "kernel/machine.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "update/hot_swap.h"

namespace obj {

GlobalEntry* g_global;

namespace {
SpinLock g_table_lock;     // entry allocation and init
u32 g_free_head;           // free list through next_free; 0 = empty
u32 g_next_unused = 1;     // entries above it were never used
volatile u64 g_initialized;

void* zeroed_pages(uval bytes) {
  uval n = round_up<uval>(bytes, kPageSize) / kPageSize;
  void* p = alloc_pages(n);
  KASSERT_MSG(p, "object table: out of memory");
  memset(p, 0, n * kPageSize);
  return p;
}
}  // namespace

bool initialized() { return g_initialized; }

void init() {
  if (g_initialized) {
    mach::isync();  // partner: the lwsync before g_initialized = 1
    return;
  }
  SpinGuard g(g_table_lock);
  if (g_initialized) return;
  g_global = static_cast<GlobalEntry*>(zeroed_pages(kMaxObjects * sizeof(GlobalEntry)));
  for (unsigned c = 0; c < ncpus(); ++c)
    cpu_area(c)->local_translation_table = zeroed_pages(kMaxObjects * sizeof(u64));
  mach::lwsync();  // tables before the flag; partner: isync above
  g_initialized = 1;
}

volatile u64* local_table_of(unsigned cpu) {
  return static_cast<volatile u64*>(cpu_area(cpu)->local_translation_table);
}

u32 install(ObjectRoot* root) {
  init();
  u32 idx = 0;
  {
    SpinGuard g(g_table_lock);
    if (g_free_head) {
      idx = g_free_head;
      g_free_head = g_global[idx].next_free;
    } else if (g_next_unused < kMaxObjects) {
      idx = g_next_unused++;
    } else {
      return 0;
    }
    g_global[idx].root = root;
    g_global[idx].mediator = 0;
    g_global[idx].in_use = 1;
  }
  root->ref = idx;
  // Local entries of a freed index were cleared by uninstall.
  return idx;
}

void flush_local_entries(u32 idx) {
  for (unsigned c = 0; c < ncpus(); ++c) local_table_of(c)[idx] = 0;
  mach::sync();  // the cleared entries before whatever the caller publishes next
}

void uninstall(u32 idx) {
  flush_local_entries(idx);
  SpinGuard g(g_table_lock);
  g_global[idx].root = nullptr;
  g_global[idx].in_use = 0;
  g_global[idx].next_free = g_free_head;
  g_free_head = idx;
}

namespace {
constexpr u64 kLazyState = 4;  // update/factory.h, kUpdLazy
void (*volatile g_lazy_call_hook)(ObjectRoot*);
}  // namespace

void set_lazy_call_hook(void (*hook)(ObjectRoot*)) { g_lazy_call_hook = hook; }

void* slow_enter(u32 idx, CallRecord* rec) {
  volatile u64* lt = local_table();
  for (;;) {
    u64 e = lt[idx];
    if (e == 0) {  // miss: install this CPU's representative (or the mediator)
      GlobalEntry& g = g_global[idx];
      u64 m = g.mediator;
      u64 v;
      if (m) {
        v = m | 1;
      } else {
        ObjectRoot* r = g.root;
        KASSERT_MSG(r, "call through a dangling object reference %u", idx);
        if (unlikely(r->updating == kLazyState) && g_lazy_call_hook) g_lazy_call_hook(r);
        v = reinterpret_cast<u64>(r->rep_for(cpu_id()));
      }
      atomic_cas(&lt[idx], 0, v);  // a racing interposer's store wins: retry
      continue;
    }
    if (e & 1) {
      void* o = reinterpret_cast<Mediator*>(e & ~u64(1))->enter(idx, rec);
      if (o) return o;
      continue;  // the mediator finished (switched or restored): look again
    }
    return reinterpret_cast<void*>(e);
  }
}

void slow_exit(CallRecord* rec) { rec->med->exit(rec); }

}  // namespace obj
