// The trap frame: the full register state saved by every exception vector
// (entry.S). Its layout is the one sim-control's PANIC register documents, so
// a frame can be handed to the host as it is:
//   gpr[0..31] 0x000..0x0f8, pc (SRR0) 0x100, msr (SRR1) 0x108, lr 0x110,
//   ctr 0x118, cr 0x120, xer 0x128, dar 0x130, dsisr 0x138, vector 0x140.
// The vector stores it 288 bytes (the ELFv1 protected area) plus one
// 112-byte ABI frame below the interrupted stack pointer.
#pragma once

#include "kernel/types.h"

struct TrapFrame {
  u64 gpr[32];
  u64 pc;
  u64 msr;
  u64 lr;
  u64 ctr;
  u64 cr;
  u64 xer;
  u64 dar;
  u64 dsisr;
  u64 vector;
  u64 pad;
};
static_assert(sizeof(TrapFrame) == 0x150, "entry.S knows this size");
static_assert(__builtin_offsetof(TrapFrame, vector) == 0x140, "PANIC frame layout");

namespace vec {
enum : u64 {
  kReset = 0x100, kMachineCheck = 0x200, kDataStorage = 0x300, kInstStorage = 0x400, kExternal = 0x500,
  kAlignment = 0x600, kProgram = 0x700, kFpUnavailable = 0x800, kDecrementer = 0x900, kSystemCall = 0xc00,
  kTrace = 0xd00,
};
}

// Handlers other code may install (issue 5's module loader takes the mailbox).
typedef void (*MailboxHandler)();
MailboxHandler set_mailbox_handler(MailboxHandler h);
