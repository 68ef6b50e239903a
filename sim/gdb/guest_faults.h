// The signal GDB is told about when the guest faults.
#pragma once

#include "cpu_ppc64/cpu.h"
#include "gdb/debug_target.h"

namespace dusim::gdb {

inline int gdb_signal(ppc::FaultKind k) {
  switch (k) {
    case ppc::FaultKind::IllegalInstruction:
    case ppc::FaultKind::PrivilegedInstruction: return signal::kIll;
    case ppc::FaultKind::FloatingPoint: return signal::kFpe;
    case ppc::FaultKind::Trap: return signal::kTrap;
    case ppc::FaultKind::BadAccess:
    case ppc::FaultKind::BadFetch: return signal::kSegv;
    case ppc::FaultKind::UnsupportedSyscall: return signal::kSys;
    case ppc::FaultKind::GuestPanic: return signal::kAbrt;
  }
  return signal::kAbrt;
}

}  // namespace dusim::gdb
