// One guest thread: its simulated CPU (architected state, local cycle count)
// and what the emulated kernel keeps per thread (tid, blocking state, signal
// mask and pending signals, alternate signal stack, clear_child_tid).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "cpu_ppc64/cpu.h"

namespace dusim {

// What a signal carries to its handler (the fields of siginfo_t used here).
struct SigInfo {
  int signo = 0;
  int code = 0;       // si_code: SI_USER, SI_TKILL, SEGV_MAPERR...
  uint64_t addr = 0;  // faults: si_addr
  int pid = 0, uid = 0;
  uint64_t trap = 0;  // the interrupt vector (pt_regs.trap in the frame)
  uint64_t dar = 0, dsisr = 0;
};

struct Thread {
  static constexpr int kPid = 1000;  // the process's pid, and the first thread's tid

  enum class State : uint8_t { Runnable, Blocked, Exited };
  enum class Wait : uint8_t { None, Futex, Sleep, Signal };

  Thread(unsigned n, ppc::CodeCache& code, ppc::CpuEnv& env) : index(n), tid(kPid + int(n)), cpu(n, code, env) {}

  const unsigned index;  // creation order from 0: the CPU number and the GDB thread n+1
  const int tid;
  ppc::Cpu cpu;
  State state = State::Runnable;
  int exit_status = 0;
  uint64_t born_cycles = 0;  // its CPU's cycle count when it was created
  uint64_t idle_cycles = 0;  // cycles its clock moved without running (blocked, yielding)

  // Blocked: what it waits for, and until when (cycles), if there is a timeout.
  Wait wait = Wait::None;
  uint64_t futex_addr = 0;
  uint32_t futex_bitset = 0;
  bool futex_private = false;  // FUTEX_PRIVATE_FLAG: private and shared futexes never match
  std::optional<uint64_t> deadline;
  uint64_t sleep_rem = 0;  // nanosleep's rem pointer (0: none)

  uint64_t clear_child_tid = 0;  // set_tid_address / CLONE_CHILD_CLEARTID
  std::string name;              // prctl(PR_SET_NAME)

  // Signals: bit n-1 stands for signal n.
  uint64_t sig_mask = 0;
  uint64_t sig_pending = 0;
  std::array<SigInfo, 64> pending_info{};
  std::optional<uint64_t> suspend_saved_mask;  // rt_sigsuspend: the mask its handler's return restores
  uint64_t alt_sp = 0, alt_size = 0;
  bool alt_enabled = false;

  bool alive() const { return state != State::Exited; }
  // Linux's on_sig_stack(): the stack grows down from alt_sp + alt_size.
  bool on_alt_stack(uint64_t sp) const { return alt_enabled && sp > alt_sp && sp - alt_sp <= alt_size; }
};

}  // namespace dusim
