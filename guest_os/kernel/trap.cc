// Exception dispatch: every vector in entry.S saves a TrapFrame and calls
// trap_dispatch with interrupts off. External interrupts (IPIs, the module
// mailbox) and the decrementer are handled; everything else is a fault.
// A thread may be preempted here: the scheduler switches away on the
// thread's own stack, above its trap frame, and the thread resumes here when
// it is scheduled again, then returns through rfid.
#include "kernel/trap.h"

#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/thread.h"
#include "kernel/user.h"
#include "kernel/xcall.h"

namespace {

MailboxHandler g_mailbox_handler = nullptr;

void unclaimed_mailbox() {  // every waiting blob: they queue in the mailbox
  while (u64 size = mach::reg(mach::kMailbox, mach::mailbox::kSize)) {
    ev::emit(ev::MAILBOX_UNCLAIMED, size);
    mach::reg(mach::kMailbox, mach::mailbox::kAck) = 1;
  }
}

const char* vector_name(u64 v) {
  switch (v) {
    case vec::kReset: return "system reset";
    case vec::kMachineCheck: return "machine check";
    case vec::kDataStorage: return "data storage";
    case 0x380: return "data segment";
    case vec::kInstStorage: return "instruction storage";
    case 0x480: return "instruction segment";
    case vec::kAlignment: return "alignment";
    case vec::kProgram: return "program";
    case vec::kFpUnavailable: return "floating-point unavailable";
    case vec::kSystemCall: return "system call";
    case vec::kTrace: return "trace";
    default: return "reserved";
  }
}

void external(PerCpu* c) {
  using namespace mach;
  u64 pending = reg(kIntc, intc::kPending);
  reg(kIntc, intc::kAck) = pending;  // ack first: work queued after this raises a new interrupt
  if (pending & intc::kSrcIpi) ipi_handle();
  if (pending & intc::kSrcMailbox) (g_mailbox_handler ? g_mailbox_handler : unclaimed_mailbox)();
  (void)c;
}

// An unhandled storage or segment fault: the kernel's report (what the MMU
// found) in the panic message; the host adds its own.
[[noreturn]] void storage_fault(TrapFrame* f) {
  char what[160];
  mmu::describe_fault(f, what, sizeof what);
  ev::emit(ev::EXCEPTION, f->vector, f->pc, f->dar);
  panic_frame(f, "unhandled %s fault on cpu %u at pc 0x%lx: %s", vector_name(f->vector), cpu_id(), f->pc,
              what[0] ? what : "translation is off");
}

}  // namespace

MailboxHandler set_mailbox_handler(MailboxHandler h) {
  MailboxHandler old = g_mailbox_handler;
  g_mailbox_handler = h;
  return old;
}

// An external or decrementer interrupt, from the kernel or from a program.
void serve_interrupt(TrapFrame* f) {
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  TrapFrame* saved = nullptr;
  ++c->n_interrupts;
  if (t) saved = t->interrupted, t->interrupted = f;  // (a fault handler may have been interrupted)
  if (f->vector == vec::kExternal) external(c);
  else sched::tick();
  gen::check_switch();
  sched::preempt_if_needed();
  if (t) t->interrupted = saved;
}

extern "C" void trap_dispatch(TrapFrame* f) {
  if (f->msr & mach::msr::kPR) return user::trap(f);  // from a program (kernel/user.cc)
  Thread* t = this_cpu()->current;
  switch (f->vector) {
    case vec::kExternal:
    case vec::kDecrementer:
      serve_interrupt(f);
      return;
    case vec::kDataStorage:
    case vec::kInstStorage:
    case 0x380:
    case 0x480:
      if (t) t->interrupted = f;
      if (mmu::handle_fault(f)) {
        if (t) t->interrupted = nullptr;
        return;
      }
      storage_fault(f);
    default:
      if (f->vector == vec::kProgram && (f->msr & (1ull << 17)))  // SRR1 bit 46: trap instruction
        panic_frame(f, "trap instruction (failed check) at pc 0x%lx", f->pc);
      ev::emit(ev::EXCEPTION, f->vector, f->pc, f->dar);
      panic_frame(f, "unhandled exception 0x%lx (%s) at pc 0x%lx, dar 0x%lx, srr1 0x%lx", f->vector,
                  vector_name(f->vector), f->pc, f->dar, f->msr);
  }
}
