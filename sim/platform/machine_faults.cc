// Fault and panic reports: how a run ends when the guest faults (an illegal
// instruction, an access outside memory, ...) or panics through sim-control.
// The report (cpu_ppc64/fault_report.h) names the CPU, PC, symbol,
// instruction, backtrace and registers; here the CPU's last events are added,
// and a panic's registers are read from the trap frame the guest saved.
#include <fmt/format.h>

#include "cpu_ppc64/fault_report.h"
#include "platform/event_catalog.h"
#include "platform/machine.h"

namespace dusim {

namespace {
// Byte offsets in the guest's trap frame (shared with the guest's kernel/trap.h).
namespace frame {
#define TRAP_FRAME_ARRAY(member, offset, count, description) constexpr uint64_t member = offset;
#define TRAP_FRAME_FIELD(member, offset, description) constexpr uint64_t member = offset;
#include "dusim/trap_frame.def"
}  // namespace frame
}  // namespace

bool Machine::read_guest(uint64_t a, unsigned size, uint64_t& value) const {
  const uint8_t* p = mem_.host(a, size);
  if (!p) return false;
  value = size == 4 ? ppc::from_be<uint32_t>(p) : ppc::from_be<uint64_t>(p);
  return true;
}

void Machine::finish_with_fault(unsigned cpu, std::string report) {
  auto last = log_.last_of_cpu(cpu, 16);
  if (!last.empty()) {
    report += fmt::format("  last events of cpu {}:\n", cpu);
    for (const Event& e : last) {
      const report::EventInfo* info = report::event_by_id(e.id);
      report += fmt::format("    {:>12} ns  {}", cfg_.cycles_to_ns(e.cycles), info ? info->name : fmt::format("event {:#x}", e.id));
      for (int k = 0; k < 6; ++k) {
        if (info && !info->args[k]) break;
        if (!info && k >= 3) break;
        report += fmt::format(" {}={:#x}", info ? info->args[k] : "arg", e.args[k]);
      }
      report += "\n";
    }
  }
  result_ = Result{Outcome::Faulted, 0, std::move(report), 0, cpu};
  sc_core::sc_stop();
}

void Machine::guest_fault(unsigned cpu, const std::string& reason) {
  if (halted_) return;
  halted_ = true;
  ppc::MemoryReader read = [this](uint64_t a, unsigned size, uint64_t& v) { return read_guest(a, size, v); };
  finish_with_fault(cpu, ppc::fault_report(ppc::registers_of(cpus_[cpu]->cpu), reason, &image_.symbols(), read));
}

void Machine::guest_panic(unsigned cpu, const std::string& message, uint64_t frame_addr) {
  if (halted_) return;
  halted_ = true;
  cpus_[cpu]->cpu.stop();
  ppc::MemoryReader read = [this](uint64_t a, unsigned size, uint64_t& v) { return read_guest(a, size, v); };
  ppc::Registers r = ppc::registers_of(cpus_[cpu]->cpu);
  std::string reason = "guest panic: " + message;
  if (frame_addr) {
    uint64_t v = 0;
    auto at = [&](uint64_t off) { return read_guest(frame_addr + off, 8, v) ? v : 0; };
    for (unsigned k = 0; k < 32; ++k) r.gpr[k] = at(frame::gpr + 8 * k);
    r.pc = at(frame::pc);
    r.msr = at(frame::msr);
    r.lr = at(frame::lr);
    r.ctr = at(frame::ctr);
    r.cr = uint32_t(at(frame::cr));
    r.xer = at(frame::xer);
    r.srr0 = r.pc;
    r.srr1 = r.msr;
    reason += fmt::format(" (registers from the frame at {:#x}: vector {:#x}, dar {:#x}, dsisr {:#x})", frame_addr,
                          at(frame::vector), at(frame::dar), at(frame::dsisr));
  }
  finish_with_fault(cpu, ppc::fault_report(r, reason, &image_.symbols(), read));
}

}  // namespace dusim
