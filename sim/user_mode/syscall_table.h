// The system-call table (syscalls.def) as data: what dispatch consults, what
// the documentation table and its test read.
#pragma once

#include <cstdint>
#include <vector>

namespace dusim {

namespace ppc {
class Cpu;
}
class LinuxProcess;
struct Thread;

// One system call being served: its thread and its six arguments (r3-r8).
struct SysCall {
  LinuxProcess& proc;
  Thread& thread;
  ppc::Cpu& cpu;
  uint64_t arg[6];
};

// A handler returns the result (>= 0), -errno, or LinuxProcess::kNoResult.
using SyscallHandler = int64_t (*)(SysCall&);

enum class SyscallStatus : uint8_t { Implemented, Partial, NoSys, Missing };
const char* to_string(SyscallStatus s);

struct SyscallInfo {
  uint16_t number;
  const char* name;
  SyscallStatus status;
  SyscallHandler handler;
  const char* note;
};

// Every ppc64 system call, in number order.
const std::vector<SyscallInfo>& syscall_table();
// The entry for `nr`, or null if ppc64 has no such call.
const SyscallInfo* find_syscall(uint64_t nr);

#define SYSCALL(nr, name, status, handler, note) int64_t sys_##handler(SysCall&);
#include "user_mode/syscalls.def"
#undef SYSCALL

}  // namespace dusim
