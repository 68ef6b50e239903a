// A CPU of the machine as a SystemC module: one thread runs the
// instruction-set simulator ahead of SystemC time by up to one quantum
// (TLM-2.0 temporal decoupling with tlm_quantumkeeper), takes external and
// decrementer interrupts at its synchronization points, and keeps the
// decrementer and time base in its own local time.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>

#include "cpu_ppc64/cpu.h"

namespace dusim {

class Machine;
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

// Why a CPU waited: indices of CpuStats::stall_by_cause (coherence::StallCause).
constexpr unsigned kStallCauses = 8;

// Stack of each CPU's SystemC thread.
constexpr size_t kThreadStackBytes = 1u << 20;

class CpuModule final : public sc_core::sc_module, public ppc::CpuEnv {
 public:
  CpuModule(sc_core::sc_module_name name, unsigned id, Machine& machine, ppc::CodeCache& code);

  ppc::Cpu cpu;
  std::array<uint64_t, kStallCauses> stall_by_cause{};
  std::array<uint64_t, 64> stall_by_range{};  // per address range registered through sim-control
  uint64_t interrupts_taken = 0;

  // CpuEnv
  void system_call(ppc::Cpu& c) override;
  uint64_t timebase(const ppc::Cpu& c) override;
  void decrementer_written(ppc::Cpu& c, uint64_t value) override;
  uint64_t decrementer(const ppc::Cpu& c) override;
  bool has_vectors() const override;

 private:
  void thread();
  void take_interrupts();

  Machine& machine_;
  bool dec_armed_ = false, dec_pending_ = false;
  uint64_t dec_expiry_ = 0;  // local cycle at which DEC turns negative
};

}  // namespace dusim
