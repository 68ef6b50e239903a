// `dusim run-elf --gdb`: the user-mode process as a DebugTarget with one CPU.
//
// Run control: without breakpoints the CPU runs in slices of cycles, as
// LinuxProcess::run does, so results and timing are those of a run without
// the debugger. With breakpoints it runs one instruction at a time and checks
// the PC before each; guest memory is never patched.
// Watchpoints: the CPU's memory port is routed through a WatchedMemory.
#pragma once

#include <cstdint>

#include "gdb/debug_points.h"
#include "gdb/debug_target.h"
#include "gdb/gdb_stub.h"
#include "gdb/watched_memory.h"
#include "user_mode/linux_process.h"

namespace dusim::gdb {

class LinuxProcessTarget final : public PointsDebugTarget {
 public:
  // `trace`: print each instruction as run-elf --trace does.
  LinuxProcessTarget(LinuxProcess& proc, bool trace);
  ~LinuxProcessTarget() override;

  unsigned cpu_count() const override { return 1; }
  CoreRegisters registers(unsigned cpu) override;
  void set_registers(unsigned cpu, const CoreRegisters& regs) override;
  size_t read_memory(uint64_t addr, uint8_t* out, size_t len) override;
  size_t write_memory(uint64_t addr, const uint8_t* in, size_t len) override;
  StopEvent resume(const std::function<bool()>& interrupted) override;
  StopEvent step(unsigned cpu) override;

 private:
  void drop_fast_paths() override { proc_.cpu().mem.flush(); }
  StopEvent finished(const LinuxProcess::Result& r) const;
  StopEvent watch_hit(const WatchpointHit& h);

  LinuxProcess& proc_;
  bool trace_;
  WatchedMemory watched_;
};

// Runs `proc` under the stub: waits for GDB, serves it until the run ends.
StubResult run_under_gdb(LinuxProcess& proc, const GdbOptions& options, bool trace);

}  // namespace dusim::gdb
