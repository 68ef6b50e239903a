#include "gdb/linux_process_target.h"

#include "gdb/guest_faults.h"
#include "gdb/power_registers.h"

namespace dusim::gdb {

namespace {
// Run control granularity. A slice of 2^20 cycles takes a few milliseconds
// of host time, so Ctrl-C is noticed quickly; the slicing itself does not
// change what the guest computes or how many cycles it takes.
constexpr uint64_t kSliceCycles = 1ull << 20;
constexpr unsigned kStepsPerPoll = 1u << 14;
constexpr unsigned kDcbzBytes = 128;  // LinuxProcess's cache-block size
}  // namespace

LinuxProcessTarget::LinuxProcessTarget(LinuxProcess& proc, bool trace)
    : proc_(proc), trace_(trace), watched_(proc, points_, kDcbzBytes) {
  watched_.set_grant_shift(LinuxProcess::kPageShift);
  proc_.interpose_memory(&watched_);
}

LinuxProcessTarget::~LinuxProcessTarget() { proc_.interpose_memory(nullptr); }

CoreRegisters LinuxProcessTarget::registers(unsigned) { return core_registers(proc_.cpu()); }

void LinuxProcessTarget::set_registers(unsigned, const CoreRegisters& regs) { set_core_registers(proc_.cpu(), regs); }

size_t LinuxProcessTarget::read_memory(uint64_t addr, uint8_t* out, size_t len) {
  if (proc_.memory().read(addr, out, len)) return len;
  size_t done = 0;  // straddles the end of a region: the readable prefix
  while (done < len && proc_.memory().read(addr + done, out + done, 1)) ++done;
  return done;
}

size_t LinuxProcessTarget::write_memory(uint64_t addr, const uint8_t* in, size_t len) {
  size_t done = 0;
  if (proc_.memory().write(addr, in, len)) done = len;
  else
    while (done < len && proc_.memory().write(addr + done, in + done, 1)) ++done;
  // The predecoded slots of patched code must be decoded again.
  if (done) proc_.cpu().code().invalidate(addr, done);
  return done;
}

StopEvent LinuxProcessTarget::finished(const LinuxProcess::Result& r) const {
  StopEvent ev;
  if (r.outcome == LinuxProcess::Outcome::Exited) {
    ev.kind = StopEvent::Kind::Exited;
    ev.exit_code = r.exit_code;
  } else {
    ev.kind = StopEvent::Kind::Fault;
    ev.signal = gdb_signal(r.fault_kind);
    ev.fault_report = r.fault;
  }
  return ev;
}

StopEvent LinuxProcessTarget::watch_hit(const WatchpointHit& h) {
  make_restartable(proc_.cpu());
  StopEvent ev = StopEvent::of(StopEvent::Kind::Watchpoint, 0);
  ev.data_addr = h.addr;
  ev.watch = h.kind;
  return ev;
}

StopEvent LinuxProcessTarget::resume(const std::function<bool()>& interrupted) {
  ppc::Cpu& c = proc_.cpu();
  try {
    for (;;) {
      if (interrupted && interrupted()) return StopEvent::of(StopEvent::Kind::Interrupted);
      if (!points_.has_breakpoints()) {
        if (auto r = proc_.run_slice(c.cycles + kSliceCycles, trace_)) return finished(*r);
        continue;
      }
      // Every instruction takes at least one cycle: this runs exactly one.
      for (unsigned n = 0; n < kStepsPerPoll; ++n) {
        if (points_.breakpoint_at(c.pc)) return StopEvent::of(StopEvent::Kind::Breakpoint);
        if (auto r = proc_.run_slice(c.cycles + 1, trace_)) return finished(*r);
      }
    }
  } catch (const WatchpointHit& h) {
    return watch_hit(h);
  }
}

StopEvent LinuxProcessTarget::step(unsigned) {
  try {
    if (auto r = proc_.run_slice(proc_.cpu().cycles + 1, trace_)) return finished(*r);
  } catch (const WatchpointHit& h) {
    return watch_hit(h);
  }
  return StopEvent::of(StopEvent::Kind::Stepped);
}

StubResult run_under_gdb(LinuxProcess& proc, const GdbOptions& options, bool trace) {
  LinuxProcessTarget target(proc, trace);
  GdbStub stub(target, options);
  return stub.serve();
}

}  // namespace dusim::gdb
