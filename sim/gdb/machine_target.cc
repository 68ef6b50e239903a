#include "gdb/machine_target.h"

#include <cstdio>

#include "gdb/guest_faults.h"
#include "gdb/power_registers.h"

namespace dusim::gdb {

namespace {
// resume() runs SystemC in steps of this much simulated time and polls for
// Ctrl-C between them: a few milliseconds of host time on a few CPUs. The
// steps do not change what the machine computes (Machine::run's progress
// mode steps the same way).
constexpr uint64_t kStepCycles = 1ull << 16;

}  // namespace

MachineTarget::MachineTarget(Machine& machine) : machine_(machine) {
  const MachineConfig& cfg = machine_.config();
  for (unsigned n = 0; n < machine_.cpu_count(); ++n) {
    watched_.push_back(std::make_unique<WatchedMemory>(machine_.memory_map(), points_, unsigned(cfg.hierarchy.line_size)));
    watched_.back()->set_grant_shift(machine_.memory_map().block_shift());
    machine_.interpose_memory(n, watched_.back().get());
  }
  machine_.set_debug_hook(this);
}

MachineTarget::~MachineTarget() {
  machine_.set_debug_hook(nullptr);
  for (unsigned n = 0; n < machine_.cpu_count(); ++n) machine_.interpose_memory(n, nullptr);
}

CoreRegisters MachineTarget::registers(unsigned cpu) { return core_registers(machine_.cpu(cpu).cpu); }

void MachineTarget::set_registers(unsigned cpu, const CoreRegisters& regs) {
  set_core_registers(machine_.cpu(cpu).cpu, regs);
}

namespace {

// The page table as the debugger reads it: RAM, no caches, no R/C updates
// (Mmu::probe only reads).
class HostWalk final : public mmu::WalkMemory {
 public:
  explicit HostWalk(PhysMemory& m) : mem_(m) {}
  bool read64(uint64_t ra, uint64_t& v) override {
    uint8_t b[8];
    if (!mem_.read(ra, b, 8)) return false;
    v = ppc::from_be<uint64_t>(b);
    return true;
  }
  bool update_pte(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t&) override { return false; }

 private:
  PhysMemory& mem_;
};

}  // namespace

// A CPU with MSR[DR] on sees effective addresses: each page goes through
// its SLB and the page table in memory, as a load would (its TLB is not
// consulted or filled; a page the table does not map ends the transfer).
// The debugger may write what the guest may only read. Off, addresses are real.
size_t MachineTarget::transfer(unsigned cpu, uint64_t addr, size_t len,
                               const std::function<bool(uint64_t ra, size_t n, size_t at)>& move) {
  const ppc::Cpu& c = machine_.cpu(cpu).cpu;
  const bool translated = c.msr & ppc::msr::DR;
  HostWalk walk(machine_.memory());
  size_t done = 0;
  while (done < len) {
    const uint64_t ea = addr + done;
    const size_t n = std::min<size_t>(len - done, translated ? 0x1000 - (ea & 0xfff) : len - done);
    uint64_t ra = ea;
    if (translated) {
      mmu::Translation t;
      mmu::Fault f;
      if (!c.mem.mmu().probe(ea, mmu::Op::Load, c.msr & ppc::msr::PR, walk, t, f)) break;
      ra = t.ra;
    }
    if (move(ra, n, done)) {
      done += n;
      continue;
    }
    for (size_t k = 0; k < n && move(ra + k, 1, done); ++k) ++done;  // up to the first byte that is not there
    break;
  }
  return done;
}

size_t MachineTarget::read_memory(unsigned cpu, uint64_t addr, uint8_t* out, size_t len) {
  // RAM only: device registers have side effects on reads.
  return transfer(cpu, addr, len, [&](uint64_t ra, size_t n, size_t at) { return machine_.memory().read(ra, out + at, n); });
}

size_t MachineTarget::write_memory(unsigned cpu, uint64_t addr, const uint8_t* in, size_t len) {
  // host_write keeps predecoded code consistent; caches hold no data.
  MemoryMap& map = machine_.memory_map();
  return transfer(cpu, addr, len, [&](uint64_t ra, size_t n, size_t at) { return map.host_write(ra, in + at, n); });
}

void MachineTarget::drop_fast_paths() {
  for (unsigned n = 0; n < machine_.cpu_count(); ++n) machine_.cpu(n).cpu.mem.flush();
}

// ---- the CPU threads' side -------------------------------------------------

void MachineTarget::park() {
  while (halt_) sc_core::wait(release_);
}

void MachineTarget::slice_start(CpuModule&) {
  if (halt_) park();
}

void MachineTarget::halt_here(CpuModule&, StopEvent ev) {
  stopped_ = std::move(ev);
  halt_ = true;
  sc_core::sc_pause();  // sc_start returns at the end of this delta cycle
  park();
}

StopEvent MachineTarget::watch_hit(ppc::Cpu& c, const WatchpointHit& h) {
  make_restartable(c);
  StopEvent ev = StopEvent::of(StopEvent::Kind::Watchpoint, c.id);
  ev.data_addr = h.addr;
  ev.watch = h.kind;
  return ev;
}

void MachineTarget::run(CpuModule& m, uint64_t until) {
  ppc::Cpu& c = m.cpu;
  while (c.cycles < until && !machine_.halted()) {
    try {
      if (!points_.has_breakpoints()) {
        c.run(until);  // ends early only when the machine halts
        continue;
      }
      if (points_.breakpoint_at(c.pc)) {
        halt_here(m, StopEvent::of(StopEvent::Kind::Breakpoint, c.id));
        continue;  // GDB removes the breakpoint to step over it
      }
      c.run(c.cycles + 1);  // every instruction takes a cycle at least: exactly one
    } catch (const WatchpointHit& h) {
      halt_here(m, watch_hit(c, h));
    } catch (const ppc::GuestFault& f) {
      fault_signal_ = gdb_signal(f.kind);
      throw;
    } catch (const ppc::AccessFault&) {
      fault_signal_ = signal::kSegv;
      throw;
    }
  }
}

// ---- the stub's side ---------------------------------------------------------

StopEvent MachineTarget::finished() {
  Machine::Result r = machine_.result();
  StopEvent ev;
  ev.cpu = r.cpu;
  if (r.outcome == Machine::Outcome::PoweredOff) {
    ev.kind = StopEvent::Kind::Exited;
    ev.exit_code = r.exit_code;
  } else {
    ev.kind = StopEvent::Kind::Fault;
    ev.signal = fault_signal_;  // a guest panic throws nothing: SIGABRT
    ev.fault_report = r.fault;
  }
  last_cpu_ = ev.cpu;
  return ev;
}

StopEvent MachineTarget::resume(const std::function<bool()>& interrupted) {
  if (machine_.halted()) return finished();
  stopped_.reset();
  if (halt_) {
    halt_ = false;
    release_.notify(sc_core::SC_ZERO_TIME);
  }
  for (;;) {
    machine_.run_for(kStepCycles);
    if (machine_.halted()) return finished();
    if (stopped_) {
      last_cpu_ = stopped_->cpu;
      return *stopped_;
    }
    // Every CPU thread now waits at a synchronization point: stopped as it is.
    if (interrupted && interrupted()) return StopEvent::of(StopEvent::Kind::Interrupted, last_cpu_);
  }
}

StopEvent MachineTarget::step(unsigned cpu) {
  if (machine_.halted()) return finished();
  ppc::Cpu& c = machine_.cpu(cpu).cpu;
  try {
    c.run(c.cycles + 1);
  } catch (const WatchpointHit& h) {
    last_cpu_ = cpu;
    return watch_hit(c, h);
  } catch (const ppc::GuestFault& f) {
    fault_signal_ = gdb_signal(f.kind);
    machine_.guest_fault(cpu, f.what());
  } catch (const ppc::AccessFault& f) {
    fault_signal_ = signal::kSegv;
    machine_.guest_fault(cpu, f.what());
  }
  if (machine_.halted()) return finished();
  last_cpu_ = cpu;
  return StopEvent::of(StopEvent::Kind::Stepped, cpu);
}

StubResult run_under_gdb(Machine& machine, const GdbOptions& options) {
  MachineTarget target(machine);
  GdbStub stub(target, options);
  return stub.serve();
}

}  // namespace dusim::gdb
