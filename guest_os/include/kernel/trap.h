// The trap frame: the full register state saved by every exception vector
// (entry.S). Its layout is dusim/trap_frame.def, shared with the host, so a
// frame can be handed to sim-control's PANIC register as it is.
// The vector stores it 288 bytes (the ELFv1 protected area) plus one
// 112-byte ABI frame below the interrupted stack pointer.
#pragma once

#include "kernel/types.h"

struct TrapFrame {
#define TRAP_FRAME_ARRAY(member, offset, count, description) u64 member[count];
#define TRAP_FRAME_FIELD(member, offset, description) u64 member;
#include "dusim/trap_frame.def"
};
static_assert(sizeof(TrapFrame) == 0x150, "entry.S knows this size");
#define TRAP_FRAME_ARRAY(member, offset, count, description) \
  static_assert(__builtin_offsetof(TrapFrame, member) == offset, "dusim/trap_frame.def");
#define TRAP_FRAME_FIELD(member, offset, description) \
  static_assert(__builtin_offsetof(TrapFrame, member) == offset, "dusim/trap_frame.def");
#include "dusim/trap_frame.def"

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
