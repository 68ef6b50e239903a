// IPIs and cross-CPU calls (xcall.h).
#include "kernel/xcall.h"

#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/thread.h"

void ipi_send(unsigned cpu, u64 bits) {
  PerCpu* t = cpu_area(cpu);
  if (bits) atomic_fetch_or(&t->remote.ipi_work, bits);
  mach::sync();  // the work bits before the interrupt; partner: the atomic swap in ipi_handle
  mach::reg(mach::kIntc, mach::intc::kIpiSend) = cpu;
  if (ev::trace_ipis) ev::emit(ev::IPI_SEND, cpu, bits);
}

void ipi_broadcast(u64 bits) {
  unsigned self = cpu_id();
  if (bits)
    for (unsigned n = 0; n < g_ncpus; ++n)
      if (n != self) atomic_fetch_or(&cpu_area(n)->remote.ipi_work, bits);
  mach::sync();
  mach::reg(mach::kIntc, mach::intc::kIpiSend) = mach::intc::kAllOthers;
  if (ev::trace_ipis) ev::emit(ev::IPI_SEND, mach::intc::kAllOthers, bits);
}

void ipi_handle() {
  PerCpu* c = this_cpu();
  ++c->n_ipis;
  u64 work = atomic_swap(&c->remote.ipi_work, 0);
  if (work & kIpiXcall) xcall_serve();
  if (work & kIpiResched) sched::ipi_resched();
  if (work & kIpiGeneration) gen::token_arrived();
}

void xcall_serve() {
  PerCpu* c = this_cpu();
  if (!load_once(c->remote.xcall_head)) return;
  c->remote.xcall_lock.acquire();
  XCall* x = c->remote.xcall_head;
  c->remote.xcall_head = c->remote.xcall_tail = nullptr;
  c->remote.xcall_lock.release();
  while (x) {
    XCall* next = x->next;  // read before done: the record dies then
    x->fn(x->arg);
    ++c->n_xcalls_served;
    mach::lwsync();  // fn's effects before done; partner: the isync in wait_done
    x->done = 1;
    x = next;
  }
}

namespace {

void enqueue(unsigned cpu, XCall* x) {
  PerCpu* t = cpu_area(cpu);
  u64 f = t->remote.xcall_lock.lock_irqsave();
  x->next = nullptr;
  if (t->remote.xcall_tail) t->remote.xcall_tail->next = x;
  else t->remote.xcall_head = x;
  t->remote.xcall_tail = x;
  t->remote.xcall_lock.unlock_irqrestore(f);
}

void wait_done(XCall* x) {
  while (!load_once(x->done)) {
    if (!irq_enabled()) xcall_serve();  // interrupts off: serve calls aimed at us ourselves
    mach::cpu_relax();
  }
  mach::isync();
}

}  // namespace

void xcall(unsigned cpu, void (*fn)(void*), void* arg) {
  KASSERT(cpu < g_ncpus);
  if (cpu == cpu_id()) {
    u64 f = irq_save();
    fn(arg);
    irq_restore(f);
    return;
  }
  u64 t0 = mach::cycles();
  XCall x{fn, arg, 0, nullptr};
  enqueue(cpu, &x);
  ipi_send(cpu, kIpiXcall);
  wait_done(&x);
  if (ev::trace_ipis) ev::emit(ev::XCALL, cpu, mach::cycles() - t0);
}

void xcall_all(void (*fn)(void*), void* arg) {
  XCall recs[kMaxCpus];
  unsigned self = cpu_id();
  for (unsigned n = 0; n < g_ncpus; ++n) {
    if (n == self) continue;
    recs[n] = XCall{fn, arg, 0, nullptr};
    enqueue(n, &recs[n]);
  }
  if (g_ncpus > 1) ipi_broadcast(kIpiXcall);
  {
    u64 f = irq_save();
    fn(arg);
    irq_restore(f);
  }
  for (unsigned n = 0; n < g_ncpus; ++n)
    if (n != self) wait_done(&recs[n]);
}
