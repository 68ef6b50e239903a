// What the GDB stub needs from a simulated machine. A target is a set of CPUs
// (GDB threads 1..N are CPUs 0..N-1) that run together and stop together
// (all-stop): while the stub holds the target stopped, no CPU executes and
// simulated time does not advance.
//
// Implementations: LinuxProcessTarget (one CPU per guest thread, `dusim run-elf`); the machine
// of `dusim run-bare` can implement the same interface (README.md here, "For
// the machine").
//
// Locking and synchronization: none. The stub and the target run in one host
// thread; the target calls back into the stub only through `interrupted`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace dusim::gdb {

// The registers of GDB's `org.gnu.gdb.power.core` feature, for one CPU.
struct CoreRegisters {
  uint64_t gpr[32] = {};
  uint64_t pc = 0, msr = 0;
  uint32_t cr = 0;
  uint64_t lr = 0, ctr = 0;
  uint32_t xer = 0;
  uint64_t fpr[32] = {};  // f0-f31
  uint32_t fpscr = 0;     // the FPSCR's low word (the upper one holds only DRN)
};

// GDB's watch, rwatch and awatch (remote packets Z2, Z3, Z4).
enum class WatchKind : uint8_t { Write, Read, Access };

// GDB's own signal numbers (gdb/signals.def), which the remote protocol uses
// whatever the host's numbering.
namespace signal {
constexpr int kInt = 2, kIll = 4, kTrap = 5, kAbrt = 6, kFpe = 8, kSegv = 11, kSys = 12;
}

// Why the target stopped.
struct StopEvent {
  enum class Kind : uint8_t {
    Stepped,      // a single step completed (also: the state at attach)
    Breakpoint,   // `cpu` is about to execute an instruction with a breakpoint
    Watchpoint,   // `cpu` is about to access watched data (the access has not happened)
    Interrupted,  // the debugger asked (Ctrl-C) or the connection dropped
    Fault,        // the guest faulted; pc is at the faulting instruction
    Exited,       // the guest ended with `exit_code`
  };
  Kind kind = Kind::Stepped;
  unsigned cpu = 0;
  uint64_t data_addr = 0;             // Watchpoint: first watched byte the access touches
  WatchKind watch = WatchKind::Write;  // Watchpoint: the kind that triggered
  int signal = signal::kTrap;         // Fault: GDB signal number
  std::string fault_report;           // Fault: the simulator's report
  int exit_code = 0;                  // Exited

  static StopEvent of(Kind k, unsigned cpu = 0) {
    StopEvent e;
    e.kind = k;
    e.cpu = cpu;
    return e;
  }
};

class DebugTarget {
 public:
  virtual ~DebugTarget() = default;

  virtual unsigned cpu_count() const = 0;
  // Threads that have ended stay numbered but are not listed (run-elf's
  // guest threads); a machine's CPUs are always alive.
  virtual bool thread_alive(unsigned cpu) const { return cpu < cpu_count(); }
  // What `info threads` shows beside the thread's number.
  virtual std::string thread_name(unsigned cpu) const { return "CPU " + std::to_string(cpu); }
  virtual CoreRegisters registers(unsigned cpu) = 0;
  virtual void set_registers(unsigned cpu, const CoreRegisters& regs) = 0;

  // The debugger's view of memory as thread `cpu` sees it (GDB's Hg thread:
  // with translation on, effective addresses through that CPU's MMU): no
  // timing, no cache state changes, no watchpoints; writes keep predecoded
  // code consistent. Each returns how many leading bytes it could transfer.
  virtual size_t read_memory(unsigned cpu, uint64_t addr, uint8_t* out, size_t len) = 0;
  virtual size_t write_memory(unsigned cpu, uint64_t addr, const uint8_t* in, size_t len) = 0;

  // Software breakpoints: the CPUs stop before executing the instruction at
  // `pc`. Guest memory is never patched. False: cannot set / was not set.
  virtual bool insert_breakpoint(uint64_t pc) = 0;
  virtual bool remove_breakpoint(uint64_t pc) = 0;
  // Data watchpoints on [addr, addr+len): the CPUs stop before the access.
  virtual bool insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) = 0;
  virtual bool remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) = 0;
  virtual void remove_all_points() = 0;

  // Runs all CPUs until a stop event. `interrupted` is polled now and then
  // (at least every few milliseconds of host time); when it returns true the
  // target stops at the next instruction boundary with Kind::Interrupted.
  // An empty `interrupted` means run until the guest stops by itself.
  virtual StopEvent resume(const std::function<bool()>& interrupted) = 0;
  // Executes one instruction on `cpu`; the other CPUs do not move.
  virtual StopEvent step(unsigned cpu) = 0;
};

}  // namespace dusim::gdb
