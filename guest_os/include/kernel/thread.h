// Kernel threads: creation, exit, yield, sleep, and the per-CPU scheduler.
//
// Threads never migrate: a thread runs on the CPU it was created for from
// admission to exit, so its generation count, its run-queue links and its
// place in the per-CPU thread list are only ever touched by that CPU with
// interrupts off. Another CPU that creates or wakes a thread for CPU n puts it
// on n's incoming list and sends n an IPI (no IPI when n polls in its idle
// loop); n admits it at its next scheduling decision.
//
// The seed's event-driven model: a request is served by a short-lived thread
// that ends when the request is served (Thread::create with the default
// options); long-running kernel threads (daemons) call
// Thread::quiescent_point() between units of work so that they never hold a
// generation open (generation.h).
//
// Life cycle: New (created, not yet admitted) -> Ready (on a run queue) <->
// Running -> Blocked (on a wait queue or sleeping) -> Ready ... -> Dead (its
// descriptor and stack are recycled by the next thread to run on its CPU).
#pragma once

#include "kernel/percpu.h"
#include "kernel/types.h"

struct WaitQueue;
struct AddressSpace;

enum class ThreadState : u32 { New, Ready, Running, Blocked, Dead };

struct ThreadOptions {
  int cpu = -1;               // -1: the calling CPU
  const char* name = nullptr; // for fault reports and quiescence reports; static storage
  u32 flags = 0;              // Thread::kUncounted ...
  u32 stack_pages = 4;        // 16 KiB
  AddressSpace* aspace = nullptr;  // the process address space it runs in (kernel/mmu.h), or none
};

struct Thread {
  enum : u32 {
    kUncounted = 1,      // not part of any generation (idle threads)
    kIdle = 2,
    kOutOfGeneration = 4,  // temporarily uncounted (waiting for a generation to end)
    kUrgent = 8,         // runs as soon as it is ready: the update machinery's threads (sched::UrgentScope)
  };
  static constexpr u64 kMagic = 0x5448524541440000ull;  // "THREAD\0\0"

  // ---- scheduler links (owner CPU, interrupts off; or the wait queue's lock) ----
  Thread* qnext;
  Thread* qprev;
  Thread* all_next;
  Thread* all_prev;
  Thread* timer_next;
  Thread* free_next;
  ThreadState state;
  u32 cpu;
  u64 id;
  u64 magic;
  u64 saved_sp;           // stack pointer while switched out
  void (*fn)(void*);
  void* arg;
  const char* name;
  u32 flags;
  u32 stack_pages;
  uval stack_base;
  u64 generation;         // the generation this thread belongs to
  u64 created_cycles;
  // ---- blocking ----
  WaitQueue* waiting_on;  // set while on a wait queue (protected by its lock)
  u64 deadline;           // time-base deadline while on the timer list, else 0
  u64 wake_reason;        // 0 woken, 1 timed out
  TrapFrame* interrupted; // the trap frame while preempted by an interrupt, else nullptr
  // Slots for the clustered-object runtime and update machinery (issue 5),
  // e.g. the mediators a thread is inside, for re-entry while calls are blocked.
  void* object_slots[4];
  AddressSpace* aspace;   // its process address space (loaded into the SLB when it runs), or nullptr
  void* user;             // a program's thread: its state in kernel/user.cc, else nullptr

  // Creates a thread that runs fn(arg) and ends when fn returns.
  // Returns nullptr when memory is exhausted. May be called from interrupts.
  static Thread* create(void (*fn)(void*), void* arg, const ThreadOptions& opts = {});
  static Thread* current() { return this_cpu()->current; }
  [[noreturn]] static void exit();
  static void yield();
  static void sleep_cycles(u64 cycles);
  // A long-running thread declares it holds no references into objects:
  // it leaves its generation and joins the current one (generation.h).
  static void quiescent_point();
  // Between begin and end the calling thread holds no references into
  // objects (it thinks, sleeps, waits for a request): it counts in no
  // generation, so it holds no advance open however long it waits. end()
  // joins the current generation.
  static void quiescent_begin();
  static void quiescent_end();

  // Walks the saved stack of a thread that is not running (or the
  // interrupted frame of one that is preempted): pcs[0] is where it resumes.
  unsigned backtrace(uval* pcs, unsigned max) const;
};

// The scheduler (sched.cc). Called with interrupts disabled.
//
// Urgent threads (Thread::kUrgent): a thread the update machinery runs
// (the module thread, a class update's per-CPU swappers, any thread inside
// obj::hot_swap) must not wait for the next scheduler tick each time it
// wakes, or quiescence takes slices instead of microseconds. When an urgent
// thread becomes ready it goes to the front of its CPU's run queue and that
// CPU reschedules now: another CPU gets an IPI (as for any wake-up); its own
// CPU reschedules at the end of the interrupt it is in, or, woken from
// thread context, takes a self-IPI as soon as interrupts are enabled again.
// Its slices do not end while it runs, for up to 20 ticks (2 ms at the
// default tick); then the normal slice rules apply, so it cannot starve its
// CPU.
namespace sched {
void init_cpu(unsigned cpu);          // the boot context becomes the idle thread
[[noreturn]] void idle_loop();
void schedule();                      // pick the next thread; the caller's state says what happens to it
void make_ready(Thread* t);           // t belongs to any CPU; t is New or Blocked
void tick();                          // decrementer
void ipi_resched();                   // IPI asked this CPU to look at its incoming list
void preempt_if_needed();             // at interrupt exit
// A hint, any context: another thread is ready to run on this CPU (its run
// queue or its incoming list is not empty). A thread that would rather spin
// than sleep (update/mediator.cc, hold) spins only while this is false.
bool others_ready();
// Runs fn(t, arg) on cpu for each of its live threads (through a cross-CPU call).
void for_each_thread(unsigned cpu, void (*fn)(Thread*, void*), void* arg);
u64 timebase_hz();
u64 clock_hz();                        // core cycles per second
u64 cycles_per_tick();                 // the decrementer period in core cycles
// The CPU's timer list (current CPU, interrupts off): deadline in time-base ticks.
void timer_arm(PerCpu* c, Thread* t, u64 deadline);
void timer_cancel(PerCpu* c, Thread* t);
void set_clock(u64 clock_hz, u64 timebase_divider);  // boot, before init_cpu
u64 cycles_to_ticks(u64 cycles);

// No preemption of the calling thread for the scope's duration (nests):
// interrupts are served, but a reschedule they ask for waits for the end of
// the scope. For short work that must not lose its CPU halfway (a hot swap
// storing every CPU's translation-table entry); it must not sleep.
class NoPreemptScope {
 public:
  NoPreemptScope();
  ~NoPreemptScope();
  NoPreemptScope(const NoPreemptScope&) = delete;
  NoPreemptScope& operator=(const NoPreemptScope&) = delete;
};

// Marks the calling thread urgent for the scope's duration (nests).
class UrgentScope {
 public:
  UrgentScope();
  ~UrgentScope();
  UrgentScope(const UrgentScope&) = delete;
  UrgentScope& operator=(const UrgentScope&) = delete;

 private:
  bool was_;
};
}  // namespace sched
