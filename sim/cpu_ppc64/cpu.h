// One PowerPC 64 processor: architected state, the run loop over the
// predecoded-instruction cache, and interrupt delivery. It reaches memory only
// through its MemPort; what surrounds it (user-mode emulation, or a machine
// with devices) is a CpuEnv.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "cpu_ppc64/code_cache.h"
#include "cpu_ppc64/insn.h"
#include "cpu_ppc64/mem_port.h"

namespace dusim::ppc {

// MSR bits (Power ISA Book III-S), as 64-bit values.
namespace msr {
constexpr uint64_t SF = 1ull << 63, HV = 1ull << 60, EE = 1ull << 15, PR = 1ull << 14, FP = 1ull << 13,
                   ME = 1ull << 12, FE0 = 1ull << 11, FE1 = 1ull << 8, IR = 1ull << 5, DR = 1ull << 4, RI = 1ull << 1,
                   LE = 1ull << 0;
}
// Interrupt vectors.
namespace vec {
constexpr uint64_t kSystemReset = 0x100, kMachineCheck = 0x200, kDataStorage = 0x300, kDataSegment = 0x380,
                   kInsnStorage = 0x400, kInsnSegment = 0x480, kExternal = 0x500, kAlignment = 0x600, kProgram = 0x700, kFpUnavailable = 0x800,
                   kDecrementer = 0x900, kSystemCall = 0xc00;
}
// SRR1 flags of a program interrupt.
namespace prog {
constexpr uint64_t kFpEnabled = 1ull << 20, kIllegal = 1ull << 19, kPrivileged = 1ull << 18, kTrap = 1ull << 17;
}

enum class FaultKind : uint8_t {
  IllegalInstruction,
  FloatingPoint,  // an enabled FP exception or FP unavailable, with no handler to take the interrupt
  PrivilegedInstruction,
  Trap,
  BadAccess,
  BadFetch,
  UnsupportedSyscall,
  GuestPanic,
};
const char* fault_kind_name(FaultKind k);

// A condition that ends the run with a fault report. Thrown from instruction
// bodies; the run loop leaves pc at the faulting instruction.
struct GuestFault : std::runtime_error {
  GuestFault(FaultKind k, std::string msg) : std::runtime_error(std::move(msg)), kind(k) {}
  FaultKind kind;
};

class Cpu;

// What the processor needs from its surroundings.
class CpuEnv {
 public:
  virtual ~CpuEnv() = default;
  // `sc` executed; npc already points past it.
  virtual void system_call(Cpu& c) = 0;
  // Time base value as seen by this CPU now.
  virtual uint64_t timebase(const Cpu& c) = 0;
  // The decrementer was written with `value`.
  virtual void decrementer_written(Cpu& c, uint64_t value) {}
  // Decrementer value now.
  virtual uint64_t decrementer(const Cpu& c) { return 0; }
  // True where the machine has interrupt vectors (a bare-metal machine);
  // false in user-mode emulation, where program interrupts end the run.
  virtual bool has_vectors() const { return false; }
  // A failed translation was delivered as an interrupt (statistics, events).
  virtual void storage_interrupt_taken(Cpu& c, const mmu::Fault& f) {}
};

class Cpu {
 public:
  Cpu(unsigned id, CodeCache& code, CpuEnv& env);

  // ---- architected state (public: instruction bodies are free functions) ---
  uint64_t gpr[32] = {};
  uint64_t pc = 0, npc = 0;
  uint64_t lr = 0, ctr = 0;
  uint32_t cr = 0;
  uint8_t xer_so = 0, xer_ov = 0, xer_ca = 0, xer_bc = 0;  // XER SO, OV, CA and byte count
  uint64_t msr = msr::SF;
  uint64_t srr0 = 0, srr1 = 0;
  uint64_t sprg[4] = {};
  uint64_t dar = 0, dsisr = 0;
  uint64_t hid[6] = {};
  bool resv_valid = false;  // lwarx/ldarx reservation
  uint64_t resv_addr = 0;   // reservation granule address
  uint64_t resv_real = 0;   // ... its real address, which the memory side's snoops compare (set there)

  MemPort mem;
  const unsigned id;

  // ---- counters -----------------------------------------------------------
  uint64_t icount = 0;        // instructions completed
  uint64_t cycles = 0;        // local cycle count (class latencies + stalls)
  uint64_t stall_cycles = 0;  // part of `cycles` spent waiting on memory

  // Per-class latency in cycles, applied as instructions are decoded. The
  // machine sets its config's; run-elf keeps these (insn_classes.def).
  std::array<uint8_t, size_t(InsnClass::Count)> latency{
#define INSN_CLASS(id, name, run_elf_cycles, description) run_elf_cycles,
#include "cpu_ppc64/insn_classes.def"
  };
  static constexpr unsigned kReservationGranule = 128;

  // Runs until the local cycle count reaches `until_cycles` or stop() is
  // called. Throws GuestFault and AccessFault (pc left at the instruction).
  void run(uint64_t until_cycles);
  void run_traced(uint64_t until_cycles, void (*trace)(Cpu&, const Insn&, void*), void* ctx);
  // Consult the memory side for instruction-fetch timing whenever the PC
  // enters a new block of 2^shift bytes (0: never).
  void set_fetch_timing(unsigned line_shift) { fetch_line_shift_ = line_shift; }
  // Instructions and cycles spent with the PC inside each of up to 64
  // address ranges (statistics per registered range). Counting runs only
  // while at least one range is set, in a separate loop.
  struct PcRanges {
    static constexpr unsigned kMax = 64;
    unsigned count = 0;
    uint64_t base[kMax] = {}, size[kMax] = {};
    uint64_t instructions[kMax] = {}, cycles[kMax] = {};
  };
  void add_pc_range(uint64_t base, uint64_t size) {
    if (pc_ranges_.count < PcRanges::kMax) {
      pc_ranges_.base[pc_ranges_.count] = base;
      pc_ranges_.size[pc_ranges_.count] = size;
      ++pc_ranges_.count;
    }
  }
  const PcRanges& pc_ranges() const { return pc_ranges_; }
  // Ends the current run() after the instruction that is executing.
  void stop() { stop_at_ = 0; }
  // Ends the current run() once the local time reaches `cycles`, if sooner.
  void limit_run(uint64_t cycles) {
    if (cycles < stop_at_) stop_at_ = cycles;
  }

  uint64_t xer() const {
    return (uint64_t(xer_so) << 31) | (uint64_t(xer_ov) << 30) | (uint64_t(xer_ca) << 29) | xer_bc;
  }
  void set_xer(uint64_t v) {
    xer_so = (v >> 31) & 1;
    xer_ov = (v >> 30) & 1;
    xer_ca = (v >> 29) & 1;
    xer_bc = v & 0x7f;
  }
  bool cr_bit(unsigned bi) const { return (cr >> (31 - bi)) & 1; }
  void set_cr_bit(unsigned bi, bool v) { cr = (cr & ~(1u << (31 - bi))) | (uint32_t(v) << (31 - bi)); }
  void set_cr_field(unsigned bf, uint32_t v4) {
    unsigned sh = 28 - 4 * bf;
    cr = (cr & ~(0xfu << sh)) | ((v4 & 0xf) << sh);
  }
  // CR0 from a result compared with zero (64-bit mode), plus XER[SO].
  void set_cr0(uint64_t result) {
    int64_t s = int64_t(result);
    set_cr_field(0, (s < 0 ? 8u : s > 0 ? 4u : 2u) | xer_so);
  }

  // Interrupt delivery through the Power vectors: SRR0 = return address,
  // SRR1 = MSR bits | flags, MSR to supervisor real mode, next pc = vector.
  void interrupt(uint64_t vector, uint64_t return_pc, uint64_t srr1_flags);
  // Program interrupt (illegal, privileged, trap): delivered through 0x700
  // where the machine has vectors, otherwise a GuestFault ending the run.
  void program_check(FaultKind kind, uint64_t srr1_flag, const std::string& what);
  bool privileged() const { return !(msr & msr::PR); }

  // ---- translation (sim/mmu) ------------------------------------------------
  // After any write of the MSR: the MemPort follows IR, DR and PR.
  void msr_written() {
    if (mem.set_mode(msr)) forget_code_page();
  }
  // After the SLB, the TLB or SDR1 changed: no grant or code page survives.
  void translation_changed() {
    mem.flush();
    forget_code_page();
  }
  // A translation failed: takes the storage or segment interrupt (DAR and
  // DSISR for data, SRR1 flags for fetch) at pc, or, where the guest has no
  // vectors, ends the run with a fault report naming the lookup's result.
  void storage_interrupt(const mmu::Fault& f);

  CpuEnv& env() { return env_; }
  CodeCache& code() { return code_; }
  // Decoded slot for `pc` (decoding it if needed), for traces and reports.
  const Insn& decoded(uint64_t pc);

 private:
  CodeCache& code_;
  CpuEnv& env_;
  template <bool kFetchTiming, bool kPcRanges>
  void run_loop();
  void run_dispatch();
  void forget_code_page() {
    cur_vpn_ = ~uint64_t(0);
    fetch_line_ = ~uint64_t(0);
  }
  PcRanges pc_ranges_;
  uint64_t stop_at_ = 0;
  unsigned fetch_line_shift_ = 0;
  uint64_t fetch_line_ = ~uint64_t(0);
  uint64_t cur_vpn_ = ~uint64_t(0);
  CodeCache::Page* cur_page_ = nullptr;

 public:
  // ---- floating-point state (last, leaving the integer state's layout as it was) ----
  uint64_t fpr[32] = {};  // f0-f31, IEEE double images
  uint64_t fpscr = 0;     // the 64-bit FPSCR (upper word: DRN only); bits in fpu.h
};

}  // namespace dusim::ppc
