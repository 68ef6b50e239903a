// `dusim run-elf --gdb`: the user-mode process as a DebugTarget with one
// CPU, and one GDB thread, per guest thread (thread n+1 is the n-th thread
// created, tid 1000+n; threads that have exited are no longer listed).
//
// Run control: without breakpoints the threads run in their deterministic
// rounds (LinuxProcess::run_threads), in chunks between which Ctrl-C is
// polled, so results and timing are those of a run without the debugger.
// With breakpoints they run one instruction at a time and the PC is checked
// before each; guest memory is never patched. `stepi` moves only the
// selected thread (if it is blocked in a system call, the others run until
// it can move). Signals with handlers are delivered without stopping.
// Watchpoints: every thread's memory port is routed through one WatchedMemory.
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

  unsigned cpu_count() const override { return unsigned(proc_.threads().size()); }
  bool thread_alive(unsigned n) const override { return n < cpu_count() && proc_.threads()[n]->alive(); }
  std::string thread_name(unsigned n) const override;
  CoreRegisters registers(unsigned cpu) override;
  void set_registers(unsigned cpu, const CoreRegisters& regs) override;
  size_t read_memory(unsigned cpu, uint64_t addr, uint8_t* out, size_t len) override;
  size_t write_memory(unsigned cpu, uint64_t addr, const uint8_t* in, size_t len) override;
  StopEvent resume(const std::function<bool()>& interrupted) override;
  StopEvent step(unsigned cpu) override;

 private:
  void drop_fast_paths() override { proc_.flush_fast_paths(); }
  StopEvent finished(const LinuxProcess::Result& r) const;
  StopEvent watch_hit(const WatchpointHit& h);

  LinuxProcess& proc_;
  bool trace_;
  WatchedMemory watched_;
};

// Runs `proc` under the stub: waits for GDB, serves it until the run ends.
StubResult run_under_gdb(LinuxProcess& proc, const GdbOptions& options, bool trace);

}  // namespace dusim::gdb
