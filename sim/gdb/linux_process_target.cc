#include "gdb/linux_process_target.h"

#include <fmt/format.h>

#include "gdb/guest_faults.h"
#include "gdb/power_registers.h"

namespace dusim::gdb {

namespace {
// Run control granularity: a chunk of 2^20 cycles (2^14 single steps with
// breakpoints) takes a few milliseconds of host time, so Ctrl-C is noticed
// quickly; where the chunks end does not change what the guest computes.
constexpr uint64_t kChunkCycles = 1ull << 20;
constexpr uint64_t kChunkSteps = 1ull << 14;
constexpr unsigned kDcbzBytes = 128;  // LinuxProcess's cache-block size
}  // namespace

LinuxProcessTarget::LinuxProcessTarget(LinuxProcess& proc, bool trace)
    : proc_(proc), trace_(trace), watched_(proc, points_, kDcbzBytes) {
  watched_.set_grant_shift(LinuxProcess::kPageShift);
  proc_.interpose_memory(&watched_);
}

LinuxProcessTarget::~LinuxProcessTarget() { proc_.interpose_memory(nullptr); }

std::string LinuxProcessTarget::thread_name(unsigned n) const {
  const Thread& t = *proc_.threads()[n];
  return t.name.empty() ? fmt::format("tid {}", t.tid) : fmt::format("tid {} \"{}\"", t.tid, t.name);
}

CoreRegisters LinuxProcessTarget::registers(unsigned n) { return core_registers(proc_.thread(n).cpu); }

void LinuxProcessTarget::set_registers(unsigned n, const CoreRegisters& regs) {
  set_core_registers(proc_.thread(n).cpu, regs);
}

// The debugger sees every mapped byte, whatever the mapping's permissions.
// Threads share the address space: `cpu` (the thread) does not matter.
size_t LinuxProcessTarget::read_memory(unsigned, uint64_t addr, uint8_t* out, size_t len) {
  const AddressSpace& mm = proc_.memory();
  size_t done = 0;
  while (done < len && mm.mapped(addr + done, 1)) {
    out[done] = *mm.host(addr + done, 1);
    ++done;
  }
  return done;
}

size_t LinuxProcessTarget::write_memory(unsigned, uint64_t addr, const uint8_t* in, size_t len) {
  AddressSpace& mm = proc_.memory();
  size_t done = 0;
  while (done < len && mm.mapped(addr + done, 1)) {
    *mm.host(addr + done, 1) = in[done];
    ++done;
  }
  // The predecoded slots of patched code must be decoded again.
  if (done) proc_.code().invalidate(addr, done);
  return done;
}

StopEvent LinuxProcessTarget::finished(const LinuxProcess::Result& r) const {
  StopEvent ev;
  if (r.outcome == LinuxProcess::Outcome::Exited || r.outcome == LinuxProcess::Outcome::Killed) {
    ev.kind = StopEvent::Kind::Exited;
    ev.exit_code = r.outcome == LinuxProcess::Outcome::Killed ? 128 + r.signal : r.exit_code;
  } else {
    ev.kind = StopEvent::Kind::Fault;
    ev.signal = gdb_signal(r.fault_kind);
    ev.fault_report = r.fault;
  }
  return ev;
}

StopEvent LinuxProcessTarget::watch_hit(const WatchpointHit& h) {
  make_restartable(proc_.thread(h.cpu).cpu);
  StopEvent ev = StopEvent::of(StopEvent::Kind::Watchpoint, h.cpu);
  ev.data_addr = h.addr;
  ev.watch = h.kind;
  return ev;
}

StopEvent LinuxProcessTarget::resume(const std::function<bool()>& interrupted) {
  LinuxProcess::AtInsn at_breakpoint = [this](unsigned, uint64_t pc) { return points_.breakpoint_at(pc); };
  try {
    for (;;) {
      if (interrupted && interrupted()) return StopEvent::of(StopEvent::Kind::Interrupted, proc_.current_thread());
      bool bp = points_.has_breakpoints();
      LinuxProcess::Stop s = proc_.run_threads(bp ? kChunkSteps : kChunkCycles, 0, trace_,
                                               bp ? at_breakpoint : LinuxProcess::AtInsn{});
      if (s.kind == LinuxProcess::Stop::Kind::Ended) return finished(*proc_.result());
      if (s.kind == LinuxProcess::Stop::Kind::AtInstruction) return StopEvent::of(StopEvent::Kind::Breakpoint, s.thread);
    }
  } catch (const WatchpointHit& h) {
    return watch_hit(h);
  }
}

StopEvent LinuxProcessTarget::step(unsigned n) {
  try {
    if (proc_.thread(n).state != Thread::State::Runnable && !proc_.result()) {
      // Blocked in a system call: the others run until it can move.
      proc_.run_threads(0, 0, trace_, [n](unsigned t, uint64_t) { return t == n; });
    }
    if (!proc_.result()) proc_.step_thread(n, trace_);
    if (proc_.result()) return finished(*proc_.result());
  } catch (const WatchpointHit& h) {
    return watch_hit(h);
  }
  return StopEvent::of(StopEvent::Kind::Stepped, n);
}

StubResult run_under_gdb(LinuxProcess& proc, const GdbOptions& options, bool trace) {
  LinuxProcessTarget target(proc, trace);
  GdbStub stub(target, options);
  return stub.serve();
}

}  // namespace dusim::gdb
