// User-mode emulation of one static ppc64 Linux program, for `dusim run-elf`:
// the ELF image in a virtual address space with Linux's mappings, the
// initial stack as Linux builds it (argc, argv, envp, auxv), the system
// calls of syscalls.def, signals, and threads, each on its own simulated CPU.
//
// Threads are interleaved deterministically (README.md here, "Threads"):
// time is cut into rounds of `quantum_cycles` cycles, aligned at multiples
// of the quantum; in each round every runnable thread, in creation order,
// runs until its own cycle count reaches the round's end. While only one
// thread exists it runs in long slices, which gives the same result.
//
// Memory is plain: the fast path is granted per 4 KiB page for the
// permissions its mapping has, except that pages holding decoded code are
// never granted for writing, so that stores to them invalidate the
// predecoded slots.
#pragma once

#include <array>
#include <climits>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpu_ppc64/code_cache.h"
#include "cpu_ppc64/cpu.h"
#include "loader/elf_image.h"
#include "user_mode/address_space.h"
#include "user_mode/files.h"
#include "user_mode/thread.h"

namespace dusim {

struct SysCall;

// A signal disposition (the kernel's struct sigaction).
struct SigAction {
  uint64_t handler = 0;  // SIG_DFL (0), SIG_IGN (1) or a function descriptor's address
  uint64_t flags = 0, restorer = 0, mask = 0;
};

class LinuxProcess final : public ppc::CpuEnv, public ppc::MemTarget {
 public:
  struct Options {
    std::string root;             // --root: the host directory that is the guest's "/" (empty: none)
    unsigned cpus = 64;           // --cpus: at most this many threads at once
    uint64_t quantum_cycles = 1000;  // --quantum: the round length of the interleaving
    bool strict_syscalls = false;    // --strict-syscalls: a Missing system call faults
    bool verbose = false;            // -v: a note on stderr for each Missing call number
  };

  // Loads the image and builds the initial stack; throws BadElf, or
  // std::runtime_error for a bad option (an unusable --root).
  LinuxProcess(const std::string& elf_path, const std::vector<std::string>& argv,
               const std::vector<std::string>& envp, const Options& options);
  LinuxProcess(const std::string& elf_path, const std::vector<std::string>& argv,
               const std::vector<std::string>& envp)
      : LinuxProcess(elf_path, argv, envp, Options{}) {}
  ~LinuxProcess() override;

  enum class Outcome { Exited, Faulted, LimitReached, Killed, Interrupted };
  struct Result {
    Outcome outcome;
    int exit_code = 0;       // Exited
    std::string fault;       // Faulted: the full report
    ppc::FaultKind fault_kind = ppc::FaultKind::GuestPanic;  // Faulted: what kind
    int signal = 0;          // Killed: the signal whose default action ended the process
  };
  // Runs until exit, a fault or `max_insns` instructions in all threads
  // together (0: no limit), or until stop_when's flag is set (Interrupted:
  // the process has not ended and could run on). `trace` prints each
  // instruction before it executes.
  Result run(uint64_t max_insns, bool trace);
  // Once `*flag` is non-zero (a signal handler sets it), run_threads stops
  // before its next slice (a thread's turn in a round, or a lone thread's
  // long slice: a few milliseconds of host time at most). Null: never.
  void stop_when(const volatile std::sig_atomic_t* flag) { stop_flag_ = flag; }

  // For drivers that stop and resume the program (the debugger).
  struct Stop {
    enum class Kind { Ended, Budget, Limit, AtInstruction, Stopped } kind;  // Stopped: stop_when's flag
    unsigned thread = 0;  // AtInstruction: the thread about to execute
  };
  // Runs the threads in their deterministic order until the process ends,
  // about `budget` cycles of thread slices have run (0: no budget), the
  // instruction limit, stop_when's flag, or `at_insn(thread, pc)` (if given; it is then asked
  // before every instruction) returns true. Where it stops does not change
  // what the program computes. Exceptions other than guest faults (a
  // debugger's watchpoint trap) pass through, leaving the thread at the
  // instruction.
  using AtInsn = std::function<bool(unsigned thread, uint64_t pc)>;
  Stop run_threads(uint64_t budget, uint64_t max_insns, bool trace, const AtInsn& at_insn = {});
  // Executes one instruction of thread `n` (a runnable one), out of turn.
  void step_thread(unsigned n, bool trace);
  // The thread that ran last (where an interrupted run stands).
  unsigned current_thread() const { return last_ran_; }
  // The outcome once the process has ended.
  const std::optional<Result>& result() const { return ended_; }

  // Sends every thread's slow-path accesses to `filter` instead, which
  // forwards them to this process (a debugger's watchpoints); null: here again.
  void interpose_memory(ppc::MemTarget* filter);
  void flush_fast_paths();

  const std::vector<std::unique_ptr<Thread>>& threads() const { return threads_; }
  Thread& thread(unsigned n) { return *threads_[n]; }
  ppc::Cpu& cpu() { return threads_[0]->cpu; }  // the first thread's
  AddressSpace& memory() { return mm_; }
  const AddressSpace& memory() const { return mm_; }
  const ElfImage& image() const { return image_; }
  const ppc::CodeCache& code() const { return code_; }
  ppc::CodeCache& code() { return code_; }
  uint64_t total_instructions() const;
  uint64_t total_cycles() const;  // of all threads
  uint64_t decodes() const { return code_.decodes; }
  const Options& options() const { return opts_; }

  // CpuEnv
  void system_call(ppc::Cpu& c) override;
  uint64_t timebase(const ppc::Cpu& c) override { return c.cycles / kTimebaseDivider; }
  // MemTarget
  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;

  // ---- the emulated kernel's services, for the system-call handlers ------
  FileTable& files() { return files_; }
  // Guest memory through the mappings' permissions; false: EFAULT.
  bool copy_in(uint64_t addr, void* dst, uint64_t len) const;
  bool copy_out(uint64_t addr, const void* src, uint64_t len);
  bool get_u32(uint64_t addr, uint32_t& v) const;
  bool get_u64(uint64_t addr, uint64_t& v) const;
  bool put_u32(uint64_t addr, uint32_t v);
  bool put_u64(uint64_t addr, uint64_t v);
  // A NUL-terminated string of at most `max` bytes; nullopt: EFAULT (or too long: `too_long`).
  std::optional<std::string> get_string(uint64_t addr, size_t max, bool* too_long = nullptr) const;

  // Simulated time.
  static constexpr uint64_t kClockHz = 1'650'000'000;  // the POWER5 default of configs/power5.yaml
  static constexpr uint64_t kTimebaseDivider = 8;
  static constexpr uint64_t kRealtimeEpoch = 946'684'800;  // 2000-01-01T00:00:00Z, seconds
  static uint64_t cycles_to_ns(uint64_t cycles);
  static uint64_t ns_to_cycles(uint64_t ns);

  // Per-process values some calls keep.
  struct Misc {
    uint64_t umask = 022;
    std::array<std::pair<uint64_t, uint64_t>, 16> rlimits{};  // cur, max per RLIMIT_*
    uint64_t random_state = 0x9e3779b97f4a7c15ull;           // getrandom's generator
  };
  Misc& misc() { return misc_; }
  // A one-line note on stderr under -v (each distinct text once).
  void note(const std::string& text);
  // The thread's CPU time: cycles it ran, not those it slept or idled.
  uint64_t cpu_time_cycles(const Thread& t) const { return t.cpu.cycles - t.idle_cycles - t.born_cycles; }
  // Moves `t`'s clock forward to `cycles` without running (idling, sleeping).
  void idle_until(Thread& t, uint64_t cycles);

  // Threads.
  Thread* find_thread(int64_t tid);
  unsigned live_threads() const { return live_; }
  // A new thread running a copy of `parent`'s registers from after its sc; -errno when no CPU is free.
  int64_t new_thread(Thread& parent);
  // Ends thread `t` (clear_child_tid, futex wake); the last one ends the process with `status`.
  void exit_thread(Thread& t, int status);
  void exit_process(int status);
  // Blocks `t` (it continues after its sc when woken, with the result then given).
  void block(Thread& t, Thread::Wait w, std::optional<uint64_t> deadline);
  // Makes blocked `t` runnable with system-call result `result`, at `now` cycles at the earliest.
  void wake(Thread& t, int64_t result, uint64_t now);
  // The quantum boundary after `cycles`: where sched_yield lets a thread idle to.
  uint64_t next_quantum(uint64_t cycles) const { return (cycles / opts_.quantum_cycles + 1) * opts_.quantum_cycles; }

  // Futexes: waiters in the order they began to wait. As in Linux, a
  // private futex (FUTEX_PRIVATE_FLAG) and a shared one at the same address
  // are different futexes (CLONE_CHILD_CLEARTID wakes the shared one).
  int64_t futex_wake(uint64_t addr, bool priv, int64_t count, uint32_t bitset, uint64_t now);
  int64_t futex_requeue(uint64_t from, uint64_t to, bool priv, int64_t wake, int64_t move, uint64_t now);

  // Signals.
  SigAction& action(int sig) { return actions_[sig - 1]; }
  // Makes `sig` pending for `t` (a blocked thread that does not block it
  // wakes with EINTR, at `now` cycles: the sender's time).
  void send_signal(Thread& t, const SigInfo& info, uint64_t now);
  // Sets up the handler frame for, ignores, or performs the default action of, each
  // pending unblocked signal of `t`. `in_syscall`: `t` is inside sc (resumes at npc).
  void deliver_pending(Thread& t, bool in_syscall);
  // Restores the context a handler's frame (or swapcontext) holds; false: bad frame.
  bool restore_context(Thread& t, uint64_t uc_addr, bool signal_return);
  bool save_context(Thread& t, uint64_t uc_addr, uint64_t nip);

  // A system call's result into r3 and CR0[SO] (-errno: an error).
  static void set_result(ppc::Cpu& c, int64_t r);
  // Special results of a system-call handler.
  static constexpr int64_t kNoResult = INT64_MIN;  // registers already set, or the thread blocked or ended

  static constexpr uint64_t kStackTop = 0x00007fff'f0000000ull;
  static constexpr uint64_t kStackSize = 64ull << 20;
  static constexpr uint64_t kHeapReserve = 1ull << 30;
  static constexpr uint64_t kMmapBase = 0x00007fe0'00000000ull, kMmapSize = 64ull << 30;
  static constexpr uint64_t kVdsoBase = 0x00007fff'f8000000ull;  // the signal trampoline's page
  static constexpr unsigned kPageShift = 12;

 private:
  void build_stack(const std::vector<std::string>& argv, const std::vector<std::string>& envp);
  void place_image();
  void attach(Thread& t);
  Thread* pick(uint64_t& until);
  bool next_round();
  void wake_expired(uint64_t limit);
  void deadlock();
  void run_slice(Thread& t, uint64_t until, bool trace);
  void fault(Thread& t, ppc::FaultKind kind, const std::string& what, const SigInfo& info);
  std::string report(Thread& t, const std::string& what);
  void end(Result r);
  bool setup_frame(Thread& t, int sig, const SigInfo& info, bool in_syscall);
  void act_on(Thread& t, int sig, bool in_syscall);
  int64_t dispatch(SysCall& s);
  void note_missing(uint64_t nr, const char* name, uint64_t pc);

  Options opts_;
  ElfImage image_;
  AddressSpace mm_;
  ppc::CodeCache code_;
  FileTable files_;
  std::vector<std::unique_ptr<Thread>> threads_;
  unsigned live_ = 0;
  ppc::MemTarget* mem_target_ = this;  // this, or a debugger's filter

  // The interleaving (see the header comment).
  uint64_t round_end_ = 0;
  size_t cursor_ = 0;
  bool long_slice_ = false;  // the last slice ran alone, unaligned to rounds
  unsigned last_ran_ = 0;

  std::vector<Thread*> futex_waiters_;
  std::array<SigAction, 64> actions_{};
  std::set<uint64_t> noted_;  // Missing call numbers already noted under -v
  std::set<std::string> notes_;
  Misc misc_;
  std::optional<Result> ended_;
  const volatile std::sig_atomic_t* stop_flag_ = nullptr;
};

}  // namespace dusim
