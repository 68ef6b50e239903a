// Supervisor mode through the Power vectors: system calls (0xc00, SRR0 =
// the next instruction), trap and illegal-instruction program interrupts
// (0x700 with the SRR1 reason bits; the handler steps over the instruction),
// and the decrementer (0x900) firing at the programmed time-base interval
// while MSR[EE] is set. Exit 0 when all behave; prints what it measured.
#include "bare.h"

static volatile u64 syscalls, traps, illegals, decs, bad;
static volatile u64 dec_at[4];
static u64 expected_sc_return;

#define DEC_TICKS 500

static inline void set_dec(u64 v) { __asm__ volatile("mtdec %0" ::"r"(v)); }

void bare_interrupt(u64 cpu, u64 vector, struct frame* f) {
  (void)cpu;
  switch (vector) {
    case 0xc00:
      if (f->srr0 != expected_sc_return) ++bad;
      if (f->r3 != 0x5c) ++bad;  // the system call's argument survives
      ++syscalls;
      break;
    case 0x700:
      if (f->srr1 & 0x20000) ++traps;         // SRR1 bit 46: trap
      else if (f->srr1 & 0x80000) ++illegals;  // SRR1 bit 44: illegal instruction
      else ++bad;
      f->srr0 += 4;  // step over it
      break;
    case 0x900:
      if (decs < 4) dec_at[decs] = cycles();
      if (++decs < 4) set_dec(DEC_TICKS);
      else set_dec(0x7fffffff);
      break;
    default:
      ++bad;
  }
}

static u64 sc_with(u64 arg) {
  register u64 r3 __asm__("r3") = arg;
  __asm__ volatile(
      "bl 1f\n"
      "1: mflr %1\n"
      "addi %1,%1,16\n"  // the address after the sc below
      "std %1,0(%2)\n"
      "sc\n"
      : "+r"(r3), "=&b"(arg)
      : "b"(&expected_sc_return)
      : "lr", "memory");
  return r3;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  if (cpu != 0) for (;;) {}
  for (int i = 0; i < 3; ++i) sc_with(0x5c);
  __asm__ volatile("tw 31,0,0");   // trap always
  __asm__ volatile("twi 4,0,0");   // trap if r0 == 0: r0 is not known; count only if taken
  __asm__ volatile(".long 0");     // illegal
  u64 t0 = cycles();
  set_dec(DEC_TICKS);
  enable_interrupts();
  while (decs < 4) {
  }
  u64 period_cycles = DEC_TICKS * bi->timebase_divider;
  printf_("syscalls %lu traps %lu illegal %lu bad %lu\n", syscalls, traps, illegals, bad);
  printf_("decrementer: %lu interrupts, first after %lu cycles, then every", decs, dec_at[0] - t0);
  for (int i = 1; i < 4; ++i) printf_(" %lu", dec_at[i] - dec_at[i - 1]);
  printf_(" cycles (programmed %lu)\n", period_cycles);
  int ok = syscalls == 3 && traps >= 1 && illegals == 1 && bad == 0;
  // Interrupts are taken at quantum boundaries: allow one quantum of lateness.
  for (int i = 1; i < 4; ++i) {
    u64 d = dec_at[i] - dec_at[i - 1];
    if (d < period_cycles || d > period_cycles + 2000) ok = 0;
  }
  power_off(ok ? 0 : 1);
}
