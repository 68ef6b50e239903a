// A CPU of the machine as a SystemC module: one thread runs the
// instruction-set simulator ahead of SystemC time by up to one quantum
// (TLM-2.0 temporal decoupling with tlm_quantumkeeper), takes external and
// decrementer interrupts at its synchronization points, and keeps the
// decrementer and time base in its own local time.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <string>

#include "cache_coherence/memory_system.h"
#include "cpu_ppc64/cpu.h"
#include "platform/machine_config.h"

namespace dusim {

class CpuModule;

// A debugger's hold on the CPU threads (sim/gdb/machine_target.h). Installed
// with Machine::set_debug_hook before the run; without one the threads run
// exactly as they always do.
class CpuDebugHook {
 public:
  virtual ~CpuDebugHook() = default;
  // At the start of every slice, at an instruction boundary: returns when
  // the CPU may run on (a halted machine parks its CPUs here).
  virtual void slice_start(CpuModule& m) = 0;
  // Replaces cpu.run(until): runs to `until` cycles, the machine halting or
  // a breakpoint or watchpoint, and throws what cpu.run throws.
  virtual void run(CpuModule& m, uint64_t until) = 0;
};

// What a CPU module needs from the machine around it (the Machine implements it).
class CpuHost {
 public:
  virtual ~CpuHost() = default;
  // The run has ended (power-off or fault): the CPU thread returns.
  virtual bool halted() const = 0;
  // An enabled interrupt source has arrived at `cpu` by its local time
  // `cycles` (external interrupt).
  virtual bool external_interrupt(unsigned cpu, uint64_t cycles) const = 0;
  // When the earliest enabled source pending for `cpu` arrives, if after
  // `cycles`; otherwise ~0.
  virtual uint64_t next_interrupt(unsigned cpu, uint64_t cycles) const = 0;
  // When the earliest enabled source that has arrived by `cycles` arrived
  // (~0 if none): the delivery-lag statistics.
  virtual uint64_t interrupt_arrived_at(unsigned cpu, uint64_t cycles) const = 0;
  // Under the ordered policy, the local time up to which `cpu` may run with
  // MSR[EE] set and still take every interrupt when it arrives: the least
  // local time of the other CPUs plus the IPI latency (no IPI can arrive
  // sooner). ~0 under the quantum policy.
  virtual uint64_t interrupt_horizon(unsigned cpu) = 0;
  // The guest has installed a program-interrupt handler.
  virtual bool vectors_installed() const = 0;
  // The CPU thread synchronized with SystemC time at a quantum boundary.
  virtual void quantum_boundary(uint64_t cycles) = 0;
  // The CPU faulted: ends the run with a fault report.
  virtual void guest_fault(unsigned cpu, const std::string& reason) = 0;
  // A debugger's hold on the CPU threads, or null.
  virtual CpuDebugHook* debug_hook() const = 0;
  // The CPU's thread is about to wait for SystemC time at local time
  // `cycles` (its others may read it: MemoryMap::others_min).
  virtual void suspending(unsigned cpu, uint64_t cycles) {}
};

// Stack of each CPU's SystemC thread.
constexpr size_t kThreadStackBytes = 1u << 20;

class CpuModule final : public sc_core::sc_module, public ppc::CpuEnv {
 public:
  CpuModule(sc_core::sc_module_name name, unsigned id, const MachineConfig& cfg, CpuHost& host, ppc::CodeCache& code);

  ppc::Cpu cpu;
  // Statistics beside the Cpu's own counters (cpu_stats.def describes them all).
  std::array<uint64_t, coherence::kStallCauses> stall_by_cause{};  // index: coherence::StallCause
  std::array<uint64_t, 64> stall_by_range{};  // per address range registered through sim-control
  uint64_t interrupts_taken = 0;
  uint64_t horizon_syncs = 0;                // waits at the interrupt horizon (ordered policy)
  uint64_t external_interrupts = 0;          // external interrupts taken
  uint64_t external_lag_sum = 0, external_lag_max = 0;  // cycles from arrival to being taken

  // CpuEnv
  void system_call(ppc::Cpu& c) override;
  uint64_t timebase(const ppc::Cpu& c) override;
  void decrementer_written(ppc::Cpu& c, uint64_t value) override;
  uint64_t decrementer(const ppc::Cpu& c) override;
  bool has_vectors() const override;

  // Ordered sync policy: called from this CPU's own thread, inside an
  // instruction, before an access through which CPUs interact. Lets SystemC
  // time (and so every other CPU) catch up with this CPU's local time, so
  // that accesses of CPUs that are behind it take effect first. An
  // interrupt raised meanwhile ends the run at its arrival (interrupt_raised).
  void sync_to_local();
  // A source was raised at this CPU, arriving at local time `at`: if this
  // CPU is inside a run with MSR[EE] set (waiting in sync_to_local while
  // another CPU sends, or sending an IPI to itself), the run ends there, or
  // after this instruction if `at` has passed. (A CPU between runs reads
  // the arrival when it starts its next: thread().)
  void interrupt_raised(uint64_t at);
  uint64_t ordered_syncs = 0;  // syncs that had to wait (statistics)
  // How many times this CPU's thread has resumed after a SystemC wait.
  // While it has not changed, no other CPU has run, so their local times are
  // as they were (MemoryMap caches their minimum). Not under a debugger,
  // which parks threads inside runs: then it is never the same twice.
  uint64_t resumes() const { return debugged_ ? ++resumes_ : resumes_; }

 private:
  void thread();
  void take_interrupts();
  // Lets SystemC time catch up with this CPU's local time (a wait, when it
  // is ahead), from this CPU's own thread.
  void wait_for_others();
  bool ahead() const;  // local time ahead of SystemC time

  const MachineConfig& cfg_;
  CpuHost& host_;
  bool dec_armed_ = false, dec_pending_ = false;
  uint64_t dec_expiry_ = 0;  // local cycle at which DEC turns negative
  bool ee_seen_ = false;     // MSR[EE] at the last slice start
  uint64_t ee_since_ = 0;    // local time MSR[EE] was last seen to turn on
  mutable uint64_t resumes_ = 0;
  bool debugged_ = false;
};

}  // namespace dusim
