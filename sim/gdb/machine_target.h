// `dusim run-bare --gdb`: the SystemC machine as a DebugTarget, one GDB
// thread per CPU (thread n+1 is CPU n). Library dusim_gdb_machine.
//
// Run control (all-stop). SystemC runs one CPU thread at a time; the others
// wait at their synchronization points, which are instruction boundaries.
// The target installs itself as the machine's CpuDebugHook:
//  - a CPU that reaches a breakpoint (checked before each instruction, and
//    only while breakpoints exist) or a watched access records the stop,
//    raises the machine-wide halt flag, calls sc_pause() and parks on an
//    sc_event without finishing its slice;
//  - every CPU thread checks the flag at the start of each slice (where it
//    wakes) and parks at once while it is set, so no CPU moves and, since no
//    thread is left to finish its quantum, simulated time stands still;
//  - resume() clears the flag, releases the parked CPUs and runs sc_start in
//    bounded steps of simulated time, polling `interrupted` between steps
//    (Ctrl-C simply stops calling sc_start: every thread is then waiting at
//    a boundary).
// step(n) runs CPU n alone for one instruction from the stub's thread,
// outside SystemC scheduling; the others stay where they are.
//
// Determinism: the machine starts halted before its first sc_start, so with
// no points set nothing parks, nothing is checked per instruction and the
// CPU threads run exactly as without a debugger.
//
// Watchpoints: each CPU's memory port goes through a WatchedMemory.
// A power-off ends the session (Exited); a fault stops it for inspection
// (Fault, with the report) and every later resume or step reports it again.
#pragma once

#include <systemc>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gdb/debug_points.h"
#include "gdb/debug_target.h"
#include "gdb/gdb_stub.h"
#include "gdb/watched_memory.h"
#include "platform/machine.h"

namespace dusim::gdb {

class MachineTarget final : public PointsDebugTarget, public CpuDebugHook {
 public:
  // Call before the machine's first run.
  explicit MachineTarget(Machine& machine);
  ~MachineTarget() override;

  // DebugTarget
  unsigned cpu_count() const override { return machine_.cpu_count(); }
  CoreRegisters registers(unsigned cpu) override;
  void set_registers(unsigned cpu, const CoreRegisters& regs) override;
  size_t read_memory(unsigned cpu, uint64_t addr, uint8_t* out, size_t len) override;
  size_t write_memory(unsigned cpu, uint64_t addr, const uint8_t* in, size_t len) override;
  StopEvent resume(const std::function<bool()>& interrupted) override;
  StopEvent step(unsigned cpu) override;

  // CpuDebugHook (called from the CPU threads)
  void slice_start(CpuModule& m) override;
  void run(CpuModule& m, uint64_t until) override;

 private:
  void drop_fast_paths() override;
  // Moves `len` bytes at `addr` as CPU `cpu` addresses them, a page (or
  // run) at a time: move(real address, bytes, offset) says whether it could.
  size_t transfer(unsigned cpu, uint64_t addr, size_t len,
                  const std::function<bool(uint64_t ra, size_t n, size_t at)>& move);
  void halt_here(CpuModule& m, StopEvent ev);  // record, pause SystemC, park until released
  void park();
  StopEvent finished();                        // the machine has halted: Exited or Fault
  static StopEvent watch_hit(ppc::Cpu& c, const WatchpointHit& h);

  Machine& machine_;
  std::vector<std::unique_ptr<WatchedMemory>> watched_;
  sc_core::sc_event release_;
  bool halt_ = false;                 // the machine-wide halt flag
  std::optional<StopEvent> stopped_;  // why a CPU thread halted the machine
  unsigned last_cpu_ = 0;             // the CPU of the last stop (Ctrl-C reports it)
  int fault_signal_ = signal::kAbrt;  // of the fault a CPU thread last threw
};

// Runs `machine` under the stub: waits for GDB, serves it until the run ends.
StubResult run_under_gdb(Machine& machine, const GdbOptions& options);

}  // namespace dusim::gdb
