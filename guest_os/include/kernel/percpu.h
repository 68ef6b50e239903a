// The per-CPU area, reached through r13 (as Linux ppc64 does with its paca).
// r13 is reserved by the ELFv1 ABI, so compiled code never changes it; the
// kernel also keeps the area's address in SPRG0 and reloads r13 from it on
// every exception entry, so even code that clobbered r13 cannot confuse the
// kernel.
//
// Locking and synchronization: everything in the `local` part is touched
// only by its own CPU with interrupts disabled (MSR[EE]=0), so it needs no
// lock. The `remote` part is written by other CPUs: incoming threads under
// incoming_lock, cross-CPU calls under xcall_lock, IPI work bits with atomic
// OR. The two parts sit on separate cache lines so remote writers do not
// steal the line the owner uses on every scheduling decision.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/thread_queue.h"
#include "kernel/types.h"

constexpr unsigned kMaxCpus = 64;

struct Thread;
struct XCall;
struct TrapFrame;

// IPI work bits (PerCpu::ipi_work): why a CPU was interrupted.
enum : u64 {
  kIpiXcall = 1,     // run the cross-CPU calls queued for this CPU
  kIpiResched = 2,   // threads arrived on the incoming list; reschedule
  kIpiGeneration = 4,  // the generation token arrived (token protocol; the broadcast needs no bit)
};

struct PerCpu {
  // ---- read by the exception vectors (offsets fixed: see entry.S) ----
  PerCpu* self;      // 0x00
  u64 cpu;           // 0x08
  u64 kernel_toc;    // 0x10
  u64 user_r1;       // 0x18: a trap from problem state puts the program's r1 here
  u64 user_kstack;   // 0x20: ... and takes the kernel stack of the thread it runs (kernel/user.cc)
  u64 scratch;       // 0x28

  // ---- local: only this CPU, interrupts off ----
  Thread* current;
  Thread* idle;
  Thread* zombie;            // a thread that exited; freed by the next thread to run
  ThreadQueue runq;          // ready threads, FIFO
  Thread* timers;            // threads with a deadline, sorted by deadline
  Thread* thread_list;       // every live thread of this CPU (all_next/all_prev)
  u64 live_threads;
  Thread* free_threads;      // recycled thread descriptors with their stacks
  u64 free_count;
  u64 need_resched;
  u64 preempt_disable;       // >0: no preemption at interrupt exit
  u64 tick_ticks;            // decrementer period, time-base ticks
  u64 slice_ticks;           // time slice in decrementer periods
  u64 slice_left;
  u64 urgent_ticks;          // ticks an urgent current thread has kept past its slices (sched.cc)
  u64 ticks;
  // generations (generation.cc)
  u64 gen_cur;               // generation new threads on this CPU join
  u64 gen_live[2];           // live counted threads per generation parity
  u64 gen_draining;          // advance whose old generation still drains here, or 0
  u64 gen_token_held;        // token protocol: the advance whose token waits here for the drain, or 0
  // statistics
  u64 n_switches, n_interrupts, n_ipis, n_xcalls_served, n_threads_created, n_threads_exited;
  // kernel heap per-CPU caches (heap.cc)
  void* heap_cache[12];
  u32 heap_cache_count[12];
  // reserved for the clustered-object runtime (issue 5): the per-CPU local
  // translation table and a few slots the update machinery may use.
  void* local_translation_table;
  void* object_slots[7];
  char panic_buf[256];

  // ---- remote: written by other CPUs ----
  struct alignas(KERNEL_CACHE_LINE) Remote {
    volatile u64 ipi_work;
    volatile u64 idle_polling;   // this CPU sits in its idle loop, polling `incoming`
    volatile u64 gen_token;      // token protocol: the advance whose token was passed to this CPU
    SpinLock incoming_lock;
    ThreadQueue incoming;        // threads made runnable on this CPU by others
    SpinLock xcall_lock;
    XCall* xcall_head;
    XCall* xcall_tail;
  } remote;
} cacheline_aligned;

extern PerCpu g_percpu[kMaxCpus];
extern u64 g_ncpus;

inline PerCpu* this_cpu() {
  PerCpu* p;
  asm("mr %0,13" : "=r"(p));
  return p;
}
inline unsigned cpu_id() { return unsigned(this_cpu()->cpu); }
inline PerCpu* cpu_area(unsigned n) { return &g_percpu[n]; }
inline unsigned ncpus() { return unsigned(g_ncpus); }
