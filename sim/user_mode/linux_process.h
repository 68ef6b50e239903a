// User-mode emulation of one static ppc64 Linux program, for `dusim run-elf`:
// the ELF image in a sparse address space, the initial stack as Linux builds
// it (argc, argv, envp, auxv), and the system calls write, exit, exit_group
// and brk. Memory is plain: the fast path is granted per 4 KiB page, except
// for pages holding decoded code, whose stores go through the slow path and
// invalidate the predecoded slots.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cpu_ppc64/code_cache.h"
#include "cpu_ppc64/cpu.h"
#include "loader/elf_image.h"
#include "memory/phys_memory.h"

namespace dusim {

class LinuxProcess final : public ppc::CpuEnv, public ppc::MemTarget {
 public:
  // Loads the image and builds the initial stack; throws BadElf.
  LinuxProcess(const std::string& elf_path, const std::vector<std::string>& argv,
               const std::vector<std::string>& envp);

  enum class Outcome { Exited, Faulted, LimitReached };
  struct Result {
    Outcome outcome;
    int exit_code = 0;       // Exited
    std::string fault;       // Faulted: the full report
    ppc::FaultKind fault_kind = ppc::FaultKind::GuestPanic;  // Faulted: what kind
  };
  // Runs until exit, a fault or `max_insns` instructions (0: no limit).
  // `trace` prints each instruction before it executes.
  Result run(uint64_t max_insns, bool trace);
  // One slice of run(), for drivers that stop and resume the program (the
  // debugger): runs until the CPU's cycle count reaches `until_cycles`, the
  // program exits or it faults. Returns the outcome once the program has
  // exited or faulted, nothing while it can run on. Exceptions other than
  // guest faults (a debugger's watchpoint trap) pass through.
  std::optional<Result> run_slice(uint64_t until_cycles, bool trace);

  // Sends the CPU's slow-path accesses to `filter` instead, which forwards
  // them to this process (a debugger's watchpoints); null: directly here again.
  void interpose_memory(ppc::MemTarget* filter);

  ppc::Cpu& cpu() { return cpu_; }
  PhysMemory& memory() { return mem_; }
  const ElfImage& image() const { return image_; }
  const ppc::CodeCache& code() const { return code_; }

  // CpuEnv
  void system_call(ppc::Cpu& c) override;
  uint64_t timebase(const ppc::Cpu& c) override { return c.cycles / 8; }
  // MemTarget
  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;

  static constexpr uint64_t kStackTop = 0x00007fff'f0000000ull;
  static constexpr uint64_t kStackSize = 64ull << 20;
  static constexpr uint64_t kHeapReserve = 1ull << 30;
  static constexpr unsigned kPageShift = 12;

 private:
  void build_stack(const std::vector<std::string>& argv, const std::vector<std::string>& envp);

  ElfImage image_;
  PhysMemory mem_;
  ppc::CodeCache code_;
  ppc::Cpu cpu_;
  uint64_t brk_start_ = 0, brk_ = 0, brk_limit_ = 0;
  std::optional<int> exit_code_;
};

}  // namespace dusim
