// Cross-CPU calls over IPIs.
//
// xcall(cpu, fn, arg) runs fn(arg) on `cpu` in its external-interrupt handler
// (interrupts off, not in any thread: fn must not block) and returns when it
// has finished there. While it waits, the caller keeps serving cross-CPU
// calls aimed at its own CPU, so two CPUs calling each other cannot deadlock.
//
// Locking and synchronization: each CPU has a queue of pending calls under
// its xcall_lock (PerCpu::remote). The caller's record lives on its stack;
// the target sets `done` after fn returns, with an lwsync before it (partner:
// the caller's isync after it sees done), and never touches the record again.
#pragma once

#include "kernel/types.h"

struct XCall {
  void (*fn)(void*);
  void* arg;
  volatile u64 done;
  XCall* next;
};

void xcall(unsigned cpu, void (*fn)(void*), void* arg);
// Runs fn(arg) on every CPU (the caller's too, directly), then returns.
void xcall_all(void (*fn)(void*), void* arg);

// Low level: sets work bits on `cpu` and interrupts it.
void ipi_send(unsigned cpu, u64 work_bits);
void ipi_broadcast(u64 work_bits);  // every other CPU, one write to the controller
// The external-interrupt handler's side.
void ipi_handle();
void xcall_serve();  // run this CPU's pending cross-CPU calls
