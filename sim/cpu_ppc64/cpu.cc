#include "cpu_ppc64/cpu.h"

#include "cpu_ppc64/decoder.h"

namespace dusim::ppc {

const char* fault_kind_name(FaultKind k) {
  static const char* const names[] = {"illegal instruction", "floating-point exception", "privileged instruction",
                                      "trap", "bad memory access", "bad instruction fetch", "unsupported system call",
                                      "guest panic"};
  return names[unsigned(k)];
}

Cpu::Cpu(unsigned cpu_id, CodeCache& code, CpuEnv& env) : id(cpu_id), code_(code), env_(env) {}

// Decodes the slot in place; an undecodable word gets the illegal body.
static void exec_illegal(Cpu& c, const Insn& i) {
  c.program_check(FaultKind::IllegalInstruction, prog::kIllegal, "illegal instruction");
}

static void fill_slot(Cpu& c, Insn& slot, uint64_t pc) {
  uint32_t raw = c.mem.fetch(pc);
  uint16_t def = decode(raw);
  ++c.code().decodes;
  if (def == kNoDef) {
    slot = Insn{exec_illegal, raw, kNoDef, 1, uint8_t(InsnClass::Alu)};
  } else {
    const InsnDef& d = insn_table()[def];
    slot = Insn{d.exec, raw, def, c.latency[size_t(d.klass)], uint8_t(d.klass)};
  }
}

void exec_decode_stub(Cpu& c, const Insn& i) {
  Insn& slot = const_cast<Insn&>(i);
  fill_slot(c, slot, c.pc);
  slot.exec(c, slot);
}

const Insn& Cpu::decoded(uint64_t at) {
  Insn& slot = code_.page(mem.code_address(at))->slot[(at >> 2) & (CodeCache::kSlots - 1)];
  if (slot.exec == exec_decode_stub) fill_slot(*this, slot, at);
  return slot;
}

void Cpu::run(uint64_t until_cycles) {
  stop_at_ = until_cycles;
  try {
    run_dispatch();
  } catch (const StorageInterrupt& s) {
    storage_interrupt(s.fault);
  }
}

void Cpu::run_dispatch() {
  if (pc_ranges_.count) {
    if (fetch_line_shift_) run_loop<true, true>();
    else run_loop<false, true>();
  } else if (fetch_line_shift_) {
    run_loop<true, false>();
  } else {
    run_loop<false, false>();
  }
}

template <bool kFetchTiming, bool kPcRanges>
void Cpu::run_loop() {
  while (cycles < stop_at_) {
    if ((pc >> CodeCache::kPageShift) != cur_vpn_) [[unlikely]] {
      cur_page_ = code_.page(mem.code_address(pc));
      cur_vpn_ = pc >> CodeCache::kPageShift;
    }
    if constexpr (kFetchTiming) {
      if ((pc >> fetch_line_shift_) != fetch_line_) {
        fetch_line_ = pc >> fetch_line_shift_;
        mem.fetch_line(pc);
      }
    }
    [[maybe_unused]] const uint64_t at = pc, start = cycles;
    const Insn& d = cur_page_->slot[(pc >> 2) & (CodeCache::kSlots - 1)];
    npc = pc + 4;
    d.exec(*this, d);
    pc = npc;
    cycles += d.cycles;
    ++icount;
    if constexpr (kPcRanges) {
      for (unsigned k = 0; k < pc_ranges_.count; ++k) {
        if (at - pc_ranges_.base[k] < pc_ranges_.size[k]) {
          ++pc_ranges_.instructions[k];
          pc_ranges_.cycles[k] += cycles - start;
        }
      }
    }
  }
}

void Cpu::run_traced(uint64_t until_cycles, void (*trace)(Cpu&, const Insn&, void*), void* ctx) {
  stop_at_ = until_cycles;
  try {
    while (cycles < stop_at_) {
      const Insn& d = decoded(pc);
      trace(*this, d, ctx);
      npc = pc + 4;
      d.exec(*this, d);
      pc = npc;
      cycles += d.cycles;
      ++icount;
    }
  } catch (const StorageInterrupt& s) {
    storage_interrupt(s.fault);
  }
  cur_vpn_ = ~uint64_t(0);
}

void Cpu::storage_interrupt(const mmu::Fault& f) {
  if (!env_.has_vectors())
    throw GuestFault(f.op == mmu::Op::Fetch ? FaultKind::BadFetch : FaultKind::BadAccess, f.describe());
  if (f.vector == vec::kDataStorage) {
    dar = f.ea;
    dsisr = f.dsisr;
  } else if (f.vector == vec::kDataSegment) {
    dar = f.ea;
  }
  interrupt(f.vector, pc, f.vector == vec::kInsnStorage ? f.srr1 : 0);
  pc = npc;
  env_.storage_interrupt_taken(*this, f);
}

void Cpu::interrupt(uint64_t vector, uint64_t return_pc, uint64_t srr1_flags) {
  srr0 = return_pc;
  // SRR1 takes MSR bits 33:36 and 42:47 cleared, then the interrupt's flags.
  srr1 = (msr & ~uint64_t(0x783f0000)) | srr1_flags;
  msr &= ~(msr::EE | msr::PR | msr::FP | msr::FE0 | msr::FE1 | msr::IR | msr::DR | msr::RI | msr::LE);
  msr |= msr::SF;
  msr_written();
  npc = vector;
  resv_valid = false;
  stop();
}

void Cpu::program_check(FaultKind kind, uint64_t srr1_flag, const std::string& what) {
  // Without a handler, or inside one that has not yet saved state (MSR[RI]
  // clear), a program interrupt could only loop: report it instead.
  if (!env_.has_vectors() || !(msr & msr::RI)) throw GuestFault(kind, what);
  interrupt(vec::kProgram, pc, srr1_flag);
}

}  // namespace dusim::ppc
