// dusim_syscall_table: prints the system-call table of syscalls.def as the
// Markdown that sim/user_mode/README.md holds between its syscall-table
// markers (test user_mode.syscall_docs compares the two;
// tests/user_mode/syscall_docs.sh --write rewrites the README's copy).
#include <cstdio>
#include <string>

#include "user_mode/syscall_table.h"

int main() {
  using dusim::SyscallStatus;
  unsigned counts[4] = {};
  for (const auto& s : dusim::syscall_table()) ++counts[unsigned(s.status)];
  std::printf("%u implemented, %u partial, %u answering -ENOSYS on purpose, %u missing (of %zu ppc64 system calls).\n\n",
              counts[0], counts[1], counts[2], counts[3], dusim::syscall_table().size());
  std::printf("| nr | call | status | what run-elf does |\n|---:|---|---|---|\n");
  for (const auto& s : dusim::syscall_table()) {
    if (s.status == SyscallStatus::Missing) continue;
    std::printf("| %u | %s | %s | %s |\n", s.number, s.name, dusim::to_string(s.status), s.note);
  }
  std::string missing;
  for (const auto& s : dusim::syscall_table())
    if (s.status == SyscallStatus::Missing) missing += std::string(missing.empty() ? "" : ", ") + s.name;
  std::printf("\nMissing (-ENOSYS, with a note under `-v`; a fault report under `--strict-syscalls`): %s.\n",
              missing.c_str());
  return 0;
}
