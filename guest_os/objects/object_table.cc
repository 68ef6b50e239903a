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

// object_call.S: the vtable every slow object holds (its slot n: trampoline n).
extern "C" const u64 obj_slow_vtable[];

namespace obj {

GlobalEntry* g_global;
u64* g_slow_objects;

namespace {
SpinLock g_table_lock;     // entry allocation and init
u32 g_free_head;           // free list through next_free; 0 = empty
u32 g_next_unused = 1;     // entries above it were never used
u32 g_ready;               // entries below it are "miss" in every local table and have their slow objects
volatile u64 g_initialized;

// Entries are made ready a chunk at a time, when allocation first reaches
// one: all 8192 on every CPU at init are 4 MiB of stores at 64 CPUs (as
// plain stores, 2.4 M cycles before the first object call; one chunk with
// dcbz first, 0.22 M).
constexpr u32 kReadyChunk = 512;
static_assert(kMaxObjects % kReadyChunk == 0, "whole chunks");

void* pages(uval bytes) {
  uval n = round_up<uval>(bytes, kPageSize) / kPageSize;
  void* p = alloc_pages(n);
  KASSERT_MSG(p, "object table: out of memory");
  return p;
}
void* zeroed_pages(uval bytes) {
  void* p = pages(bytes);
  memset(p, 0, round_up<uval>(bytes, kPageSize));
  return p;
}

// Under g_table_lock: entries [g_ready, g_ready + kReadyChunk) become ready.
// Nobody can call them yet (they were never handed out), so plain stores;
// the caller publishes an index only after install returns.
// Each chunk is whole lines: memset claims them with dcbz, without reading
// memory, so the stores after it hit (a store that misses waits for memory).
void make_ready_chunk() {
  u32 from = g_ready, to = from + kReadyChunk;
  memset(&g_slow_objects[2 * from], 0, 2 * kReadyChunk * sizeof(u64));
  for (u32 i = 2 * from; i < 2 * to; ++i) g_slow_objects[i] = reinterpret_cast<u64>(obj_slow_vtable);
  for (unsigned c = 0; c < ncpus(); ++c) {
    volatile u64* lt = local_table_of(c);
    memset(const_cast<u64*>(&lt[from]), 0, kReadyChunk * sizeof(u64));
    for (u32 i = from; i < to; ++i) lt[i] = miss_entry(i);
  }
  g_ready = to;
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
  g_slow_objects = static_cast<u64*>(pages(2 * kMaxObjects * sizeof(u64)));
  for (unsigned c = 0; c < ncpus(); ++c) cpu_area(c)->local_translation_table = pages(kMaxObjects * sizeof(u64));
  make_ready_chunk();  // entry 0, the null reference, among them: a call through it misses and is refused
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
      if (idx >= g_ready) make_ready_chunk();
    } else {
      return 0;
    }
    g_global[idx].root = root;
    g_global[idx].mediator = 0;
    g_global[idx].in_use = 1;
  }
  root->ref = idx;
  // Local entries of a freed index were reset to "miss" by uninstall.
  return idx;
}

void flush_local_entries(u32 idx) {
  u64 miss = miss_entry(idx);
  for (unsigned c = 0; c < ncpus(); ++c) local_table_of(c)[idx] = miss;
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

namespace {
// Stores `v` in *entry if it still holds `expected` and no hot swap owns the
// object (*mediator == 0), read inside the reservation: an interposer sets
// the mediator, syncs, then stores "mediated" in the entry, so either its
// store comes after our ldarx (and kills the reservation) or our load of
// the mediator, ordered after the ldarx by the branch and isync, sees it.
// The caller looks the entry up again either way.
void install_unless_mediated(volatile u64* entry, u64 expected, u64 v, volatile u64* mediator) {
  u64 seen, med;
  asm volatile("1: ldarx %0,0,%3\n"
               "   cmpd %0,%4\n"
               "   bne- 2f\n"
               "   isync\n"
               "   ld %1,0(%5)\n"
               "   cmpdi %1,0\n"
               "   bne- 2f\n"
               "   stdcx. %6,0,%3\n"
               "   bne- 1b\n"
               "2:"
               : "=&r"(seen), "=&r"(med), "+m"(*entry)
               : "r"(entry), "r"(expected), "r"(mediator), "r"(v)
               : "cr0", "memory");
}
}  // namespace

void* slow_enter(u32 idx, CallRecord* rec) {
  volatile u64* lt = local_table();
  const u64 miss = miss_entry(idx), mediated = mediated_entry(idx);
  GlobalEntry& g = g_global[idx];
  for (;;) {
    u64 e = lt[idx];
    if (e != miss && e != mediated) return reinterpret_cast<void*>(e);
    mach::lwsync();  // the entry before the mediator and the root; partner: interpose's and switch's syncs
    Mediator* m = reinterpret_cast<Mediator*>(g.mediator);
    if (m) {
      if (e == miss) {  // a swap owns the object: this CPU's entry names its mediator too
        atomic_cas(&lt[idx], miss, mediated);
        continue;
      }
      void* o = m->enter(idx, rec);
      if (o) return o;
      continue;  // the mediator finished (switched or restored) meanwhile: look again
    }
    // No swap owns it: "miss", or "mediated" left by a swap that has ended
    // (its switch and restore do not clear the entries; each CPU's next call
    // repairs its own, here). Install this CPU's representative of the root.
    ObjectRoot* r = g.root;
    KASSERT_MSG(r, "call through a dangling object reference %u", idx);
    if (unlikely(r->updating == kLazyState) && g_lazy_call_hook) g_lazy_call_hook(r);
    u64 v = reinterpret_cast<u64>(r->rep_for(cpu_id()));
    install_unless_mediated(&lt[idx], e, v, &g.mediator);  // lost to an interposer or a racing install: look again
  }
}

void slow_exit(CallRecord* rec) { rec->med->exit(rec); }

// object_call.S: the trampolines' way in. `self` is the slow object the
// caller's entry named; rec lives in the trampoline's frame.
extern "C" void* obj_slow_call_enter(u64* self, CallRecord* rec) {
  u64 i = u64(self - g_slow_objects);
  KASSERT_MSG(i < 2 * kMaxObjects, "object call trampoline reached with %p, not a slow object", self);
  rec->med = nullptr;
  return slow_enter(u32(i >> 1), rec);
}
extern "C" void obj_slow_call_exit(CallRecord* rec) { slow_exit(rec); }

}  // namespace obj
