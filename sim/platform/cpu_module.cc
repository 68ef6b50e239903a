#include "platform/cpu_module.h"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <algorithm>

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
// are taken between runs. Under the quantum policy that bounds their
// latency by the quantum. Under the ordered policy a CPU with MSR[EE] set
// also ends its run when a pending source arrives, and does not run past
// its interrupt horizon (CpuHost::interrupt_horizon): no CPU that is behind
// it can make an IPI arrive sooner than that, so none arrives in a stretch
// it has already run. At the horizon it waits for the others, as before an
// interacting access (sync_to_local ends a run early when a source is
// pending). So an interrupt is taken when it arrives, to within the last
// instruction's cycles, whatever the quantum.
void CpuModule::thread() {
  const uint64_t q = cfg_.quantum_cycles;
  const bool ordered = cfg_.sync_policy == SyncPolicy::Ordered;
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
    const bool ee = cpu.msr & ppc::msr::EE;
    if (ee && !ee_seen_) ee_since_ = cpu.cycles;
    ee_seen_ = ee;
    take_interrupts();
    uint64_t boundary = (cpu.cycles / q + 1) * q;
    uint64_t until = boundary;
    if (dec_armed_ && dec_expiry_ > cpu.cycles && dec_expiry_ < until) until = dec_expiry_;
    if (ordered && (cpu.msr & ppc::msr::EE)) {
      until = std::min(until, host_.next_interrupt(cpu.id, cpu.cycles));
      const uint64_t horizon = host_.interrupt_horizon(cpu.id);
      if (horizon <= cpu.cycles && ahead()) {
        ++horizon_syncs;
        wait_for_others();
        continue;
      }
      // (Not ahead of SystemC time: a CPU whose time lags it has stopped,
      // parked by a debugger; the horizon cannot move, so it is not kept.)
      if (horizon > cpu.cycles) until = std::min(until, horizon);
    }
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
  if (host_.external_interrupt(cpu.id, cpu.cycles)) {
    vector = ppc::vec::kExternal;
    // Lag: from the arrival (or from when MSR[EE] was last set, if later:
    // until then the guest had masked it) to now.
    const uint64_t from = std::max(host_.interrupt_arrived_at(cpu.id, cpu.cycles), ee_since_);
    const uint64_t lag = cpu.cycles > from ? cpu.cycles - from : 0;
    ++external_interrupts;
    external_lag_sum += lag;
    external_lag_max = std::max(external_lag_max, lag);
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

bool CpuModule::ahead() const {
  return sc_core::sc_time::from_value(cfg_.cycles_to_ps(cpu.cycles)) > sc_core::sc_time_stamp();
}

void CpuModule::wait_for_others() {
  const sc_core::sc_time local = sc_core::sc_time::from_value(cfg_.cycles_to_ps(cpu.cycles));
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  host_.suspending(cpu.id, cpu.cycles);
  sc_core::wait(local - now);
  ++resumes_;
}

void CpuModule::sync_to_local() {
  if (!ahead()) return;
  // Only on this CPU's own thread: a debugger's access (between runs, or
  // from another process) must not wait.
  sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
  if (!self.valid() || self.get_parent_object() != this) return;
  ++ordered_syncs;
  // A source raised meanwhile ends this run at its arrival (interrupt_raised).
  wait_for_others();
}

void CpuModule::interrupt_raised(uint64_t at) {
  if (cfg_.sync_policy == SyncPolicy::Ordered && (cpu.msr & ppc::msr::EE)) cpu.limit_run(at);
}

bool CpuModule::has_vectors() const { return host_.vectors_installed(); }

}  // namespace dusim
