#include "platform/cpu_module.h"

#include <tlm_utils/tlm_quantumkeeper.h>

namespace dusim {

CpuModule::CpuModule(sc_core::sc_module_name name, unsigned id, const MachineConfig& cfg, CpuHost& host,
                     ppc::CodeCache& code)
    : sc_module(name), cpu(id, code, *this), cfg_(cfg), host_(host) {
  SC_HAS_PROCESS(CpuModule);
  SC_THREAD(thread);
  // The whole simulator runs on this thread's stack (instruction bodies,
  // the memory system, devices, fault reports with fmt and stdio), and
  // SystemC's default coroutine stack is small enough to overflow into the
  // heap unnoticed.
  set_stack_size(kThreadStackBytes);
}

// The CPU runs to the next quantum boundary (or to its decrementer's expiry,
// whichever is first), then lets SystemC time catch up with it. Interrupts
// are taken only between runs, so their latency is bounded by the quantum
// (sync_to_local ends a run early when one is pending).
void CpuModule::thread() {
  const uint64_t q = cfg_.quantum_cycles;
  tlm_utils::tlm_quantumkeeper qk;
  qk.reset();
  CpuDebugHook* debug = host_.debug_hook();
  debugged_ = debug != nullptr;
  while (!host_.halted()) {
    ++resumes_;  // after a quantum's sync, or the first time
    if (debug) {
      debug->slice_start(*this);
      if (host_.halted()) return;
    }
    take_interrupts();
    uint64_t boundary = (cpu.cycles / q + 1) * q;
    uint64_t until = boundary;
    if (dec_armed_ && dec_expiry_ > cpu.cycles && dec_expiry_ < until) until = dec_expiry_;
    try {
      if (debug) debug->run(*this, until);
      else cpu.run(until);
    } catch (const ppc::GuestFault& f) {
      host_.guest_fault(cpu.id, f.what());
      return;
    } catch (const ppc::AccessFault& f) {
      host_.guest_fault(cpu.id, f.what());
      return;
    }
    if (host_.halted()) return;
    qk.set(sc_core::sc_time::from_value(cfg_.cycles_to_ps(cpu.cycles)) - sc_core::sc_time_stamp());
    if (cpu.cycles >= boundary) {
      host_.suspending(cpu.id, cpu.cycles);
      qk.sync();
      host_.quantum_boundary(cpu.cycles);
    }
  }
}

void CpuModule::take_interrupts() {
  if (dec_armed_ && cpu.cycles >= dec_expiry_) {
    dec_armed_ = false;
    dec_pending_ = true;
  }
  if (!(cpu.msr & ppc::msr::EE)) return;
  uint64_t vector = 0;
  if (host_.external_interrupt(cpu.id)) {
    vector = ppc::vec::kExternal;
  } else if (dec_pending_) {
    dec_pending_ = false;
    vector = ppc::vec::kDecrementer;
  }
  if (!vector) return;
  cpu.interrupt(vector, cpu.pc, 0);
  cpu.pc = cpu.npc;
  ++interrupts_taken;
}

void CpuModule::system_call(ppc::Cpu& c) {
  c.interrupt(ppc::vec::kSystemCall, c.npc, 0);
  ++interrupts_taken;
}

uint64_t CpuModule::timebase(const ppc::Cpu& c) { return c.cycles / cfg_.timebase_divider; }

// DEC counts down once per time-base tick; the interrupt is raised when it
// goes negative (its top bit turns 1), and stays pending until taken.
void CpuModule::decrementer_written(ppc::Cpu& c, uint64_t value) {
  const uint64_t div = cfg_.timebase_divider;
  int32_t v = int32_t(uint32_t(value));
  dec_pending_ = false;
  if (v < 0) {
    dec_armed_ = false;
    dec_pending_ = true;
    dec_expiry_ = c.cycles;
    return;
  }
  dec_armed_ = true;
  dec_expiry_ = (c.cycles / div + uint64_t(v) + 1) * div;
}

uint64_t CpuModule::decrementer(const ppc::Cpu& c) {
  const uint64_t div = cfg_.timebase_divider;
  int64_t ticks_left = int64_t(dec_expiry_ / div) - int64_t(c.cycles / div) - 1;
  return uint32_t(int32_t(ticks_left));
}

void CpuModule::sync_to_local() {
  const sc_core::sc_time local = sc_core::sc_time::from_value(cfg_.cycles_to_ps(cpu.cycles));
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (local <= now) return;
  // Only on this CPU's own thread: a debugger's access (between runs, or
  // from another process) must not wait.
  sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
  if (!self.valid() || self.get_parent_object() != this) return;
  ++ordered_syncs;
  host_.suspending(cpu.id, cpu.cycles);
  sc_core::wait(local - now);
  ++resumes_;
  if ((cpu.msr & ppc::msr::EE) && host_.external_interrupt(cpu.id)) cpu.stop();
}

bool CpuModule::has_vectors() const { return host_.vectors_installed(); }

}  // namespace dusim
