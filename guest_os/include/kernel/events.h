// Emitting instrumentation events (guest_os/include/dusim/events.def).
// An event is up to six argument writes and one id write to sim-control; the
// host stamps it with the CPU and its local time. Free in simulated cycles
// beyond the store instructions themselves.
//
// Locking: the ARG registers are per CPU, so an event must not be split by
// an interrupt on the same CPU whose handler also emits one: emit() disables
// interrupts around the writes.
#pragma once

#include "kernel/irq.h"
#include "kernel/machine.h"

namespace ev {
enum Id : u64 {
#define EVENT(name, id, ...) name = id,
#include "dusim/events.def"
#if __has_include("dusim/update_events.def")
#include "dusim/update_events.def"  // the update machinery's events (0x2000 range)
#endif
#undef EVENT
};

inline void emit(Id id, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0, u64 a5 = 0) {
  using namespace mach;
  u64 f = irq_save();
  reg(kSimControl, simctl::kArg0 + 0x00) = a0;
  reg(kSimControl, simctl::kArg0 + 0x08) = a1;
  reg(kSimControl, simctl::kArg0 + 0x10) = a2;
  reg(kSimControl, simctl::kArg0 + 0x18) = a3;
  reg(kSimControl, simctl::kArg0 + 0x20) = a4;
  reg(kSimControl, simctl::kArg0 + 0x28) = a5;
  reg(kSimControl, simctl::kEvent) = id;
  irq_restore(f);
}

// Boot-argument switches for the optional events (bootargs.cc sets them).
extern bool trace_threads, trace_switches, trace_ipis, trace_locks;

// Registers [base, base+size) as a named range for the host's statistics.
void name_range(const char* name, uval base, uval size);
}  // namespace ev
