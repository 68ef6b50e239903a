// Enabling and disabling external and decrementer interrupts on the calling
// CPU (MSR[EE]). mtmsrd with L=1 changes only EE and RI, so these never touch
// the rest of the machine state.
#pragma once

#include "kernel/machine.h"

// Disables interrupts; returns whether they were enabled.
inline u64 irq_save() {
  u64 m = mach::mfmsr();
  asm volatile("mtmsrd %0,1" ::"r"(mach::msr::kRI) : "memory");
  return m & mach::msr::kEE;
}
inline void irq_restore(u64 was_enabled) {
  if (was_enabled) asm volatile("mtmsrd %0,1" ::"r"(mach::msr::kRI | mach::msr::kEE) : "memory");
}
inline void irq_enable() { asm volatile("mtmsrd %0,1" ::"r"(mach::msr::kRI | mach::msr::kEE) : "memory"); }
inline void irq_disable() { asm volatile("mtmsrd %0,1" ::"r"(mach::msr::kRI) : "memory"); }
inline bool irq_enabled() { return mach::mfmsr() & mach::msr::kEE; }
