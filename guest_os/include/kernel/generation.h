// Generations (quiescence epochs), as in the seed and K42.
//
// Every counted thread belongs to the generation that was current on its CPU
// when it started. Each CPU keeps the number of its live threads per
// generation in two slots (PerCpu::gen_live[generation & 1]): at any moment
// at most two generations are alive on a CPU, the current one and the one
// before it that is draining.
//
// The protocol (generation.cc). Global state: `started` (the newest
// generation number, G), `completed` (the newest advance that finished) and
// `requested` (the newest advance someone asked for). At most one advance is
// in flight: completed == started means none.
//
//  1. Begin advance n = G+1 (any CPU, any context, under the generation lock):
//     G := n; pending := number of CPUs; one broadcast IPI (a single write to
//     the interrupt controller) to every other CPU; the starting CPU switches
//     itself at once.
//  2. Switch (each CPU, on its own, interrupts off: on the IPI, on every
//     decrementer tick and every scheduling decision, whichever comes
//     first): gen_cur := n, so threads that start from now on join n. Slot
//     n & 1 is empty at that moment: it held generation n-2, which drained
//     during advance n-1. If slot (n-1) & 1 (generation n-1) is already zero
//     the CPU is drained at once, otherwise it remembers gen_draining := n.
//  3. Drain (each CPU): when the last thread of generation n-1 on the CPU
//     ends (exits, reaches a quiescent point, or starts waiting for a
//     generation), the CPU decrements `pending` (a two-level combining
//     tree: its group of 8 CPUs, then, for the group's last CPU, the global
//     count of groups).
//  4. Complete: the CPU that brings `pending` to zero sets completed := n,
//     emits GEN_ADVANCE_END and wakes every waiter. If someone requested a
//     later advance meanwhile, it begins advance n+1 at once.
//
// Why it is right: a thread that exists at moment T has a generation g <=
// G(T) (a CPU's gen_cur never exceeds G). Advance G(T)+1 begins after T (or
// is the one begun at T) and completes only when every CPU has switched
// (so no new thread joins G(T) or older) and every CPU's count for
// generation G(T) is zero; generations older than G(T) were zero already,
// because each earlier advance completed before the next began. So
// mark() = G+1 and "completed >= mark" means every thread that existed at T,
// on every CPU, has finished. Thread counts are only changed by their own
// CPU with interrupts off, and a CPU switches only itself, so a thread can
// never join a generation whose count another CPU has already found zero.
//
// Threads that are not counted: idle threads (kUncounted), and a thread
// while it waits in Generations::wait() (it would otherwise wait for
// itself). A long-running kernel thread (a daemon, a workload driver) calls
// Thread::quiescent_point() between units of work: it leaves its old
// generation and joins the current one, asserting it holds no reference
// into any object; a thread that never does holds every advance open, as the
// seed requires ("daemon threads ... must not cross a safe point"). A
// blocked thread holds its generation open too (it may be blocked inside an
// object); a thread that only waits for others — a workload's coordinator,
// a driver between calls — waits between Thread::quiescent_begin() and
// quiescent_end() and so holds nothing open.
//
// A second protocol, selected with boot argument gen_protocol=token, is
// K42's circulating token: instead of the broadcast, the starting CPU
// switches and, once drained, passes a token by IPI to the next CPU in ring
// order, which switches, waits for its own drain, and passes it on; the
// advance completes when the token has visited every CPU (counted by the
// same `pending`). Same per-CPU work, N-1 single IPIs instead of one
// broadcast, and a latency that adds up the hops one after the other; it
// exists to measure that difference (tests/guest/measure.sh).
//
// Cost of one advance: one lock round trip and one broadcast IPI on the
// requesting CPU; on every CPU one interrupt (~100 instructions), one read
// of G and one or two atomic decrements in the combining tree (each group
// line moves through its 8 CPUs, the top line through the N/8 groups:
// O(N) cache-to-cache transfers in total, at most 8-way contended instead
// of N-way); no thread is ever blocked or interrupted beyond that. Thread
// creation and exit pay one local increment/decrement, no atomics.
//
// Latency of an advance on an otherwise idle machine: the IPI is taken when
// it arrives (machine.ipi_latency_cycles after its send), then the
// drain reports combine (~8 + N/8 serialized transfers on the critical path). Under load it is that or
// the lifetime of the longest-living thread of generation n-1, whichever is
// longer. Measured numbers: guest_os/README.md, "Generations".
#pragma once

#include "kernel/types.h"

struct Thread;

namespace gen {

// A moment: every thread that exists now has finished once
// completed() >= the returned value. Starts an advance if none is in flight.
u64 mark();
u64 completed();
u64 current();   // G: the newest generation begun
bool is_over(u64 mark_value);
// Blocks the calling thread (which leaves its generation meanwhile) until
// every thread that existed at `mark_value` has finished, or `timeout_cycles`
// (0 = forever) have passed. Returns false on timeout.
bool wait(u64 mark_value, u64 timeout_cycles = 0);
// mark() then wait().
bool wait_for_quiescence(u64 timeout_cycles = 0);

// Calls fn for every live thread that holds generation older than mark_value
// open (for reports of what blocks quiescence). Runs fn on each thread's CPU.
void for_each_holder(u64 mark_value, void (*fn)(Thread*, void*), void* arg);

// ---- the scheduler's side (interrupts off, own CPU only) ----
void join(Thread* t);     // t starts: it joins this CPU's current generation
void leave(Thread* t);    // t ends or stops being counted
void check_switch();             // switch this CPU if an advance began
void init_cpu(unsigned cpu);
void token_arrived();            // token protocol: the IPI handler's side

struct Stats {
  u64 advances;
  u64 last_latency_cycles;
  u64 total_latency_cycles;
  u64 max_latency_cycles;
};
Stats stats();

}  // namespace gen
