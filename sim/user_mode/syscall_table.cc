#include "user_mode/syscall_table.h"

#include <array>

#include "user_mode/linux_abi.h"

namespace dusim {

const char* to_string(SyscallStatus s) {
  switch (s) {
    case SyscallStatus::Implemented: return "implemented";
    case SyscallStatus::Partial: return "partial";
    case SyscallStatus::NoSys: return "ENOSYS";
    case SyscallStatus::Missing: return "missing";
  }
  return "?";
}

// Entries without a handler never reach it: dispatch answers -ENOSYS first.
int64_t sys_none(SysCall&) { return -linux_abi::kENOSYS; }

const std::vector<SyscallInfo>& syscall_table() {
  static const std::vector<SyscallInfo> table = {
#define SYSCALL(nr, name, status, handler, note) {nr, #name, SyscallStatus::status, &sys_##handler, note},
#include "user_mode/syscalls.def"
#undef SYSCALL
  };
  return table;
}

const SyscallInfo* find_syscall(uint64_t nr) {
  static const std::array<const SyscallInfo*, 512> by_number = [] {
    std::array<const SyscallInfo*, 512> a{};
    for (const SyscallInfo& s : syscall_table()) a[s.number] = &s;
    return a;
  }();
  return nr < by_number.size() ? by_number[nr] : nullptr;
}

}  // namespace dusim
