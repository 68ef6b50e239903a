// Floating point on the machine, as a kernel doing lazy FP save/restore would
// see it. The image starts with MSR[FP]=0 (as the boot protocol leaves it),
// so its first FP instruction takes the FP-unavailable interrupt (0x800,
// SRR0 = that instruction); the handler sets MSR[FP] in SRR1 and returns to
// re-execute it. Clearing MSR[FP] again brings the next FP instruction back
// to 0x800. With MSR[FE0 FE1] set and FPSCR[VE], an invalid operation takes
// a program interrupt (0x700, SRR1 bit 43); the handler steps over it and
// returns with FE0/FE1 off.
// (This image's C is built with -msoft-float; the FP code is assembly.)
#include "bare.h"

static volatile u64 unavailable, enabled, bad;
static volatile u64 in[3] = {0x400921fb54442d18ul, 0x4005bf0a8b145769ul, 0x7ff0000000000000ul};  // pi, e, inf
static volatile u64 out;

#define MSR_FP 0x2000ul
#define MSR_FE0 0x800ul
#define MSR_FE1 0x100ul

void bare_interrupt(u64 cpu, u64 vector, struct frame* f) {
  (void)cpu;
  switch (vector) {
    case 0x800:
      if (f->srr1 & MSR_FP) ++bad;  // it was already on
      ++unavailable;
      f->srr1 |= MSR_FP;
      break;
    case 0x700:
      if (f->srr1 & 0x100000) ++enabled;  // SRR1 bit 43: floating-point enabled exception
      else ++bad;
      f->srr0 += 4;
      // Return with FE0/FE1 off: FPSCR[FEX] is still set, and turning them
      // back on would interrupt again at once.
      f->srr1 &= ~(MSR_FE0 | MSR_FE1);
      break;
    default:
      ++bad;
  }
}

static u64 mfmsr(void) {
  u64 m;
  __asm__ volatile("mfmsr %0" : "=r"(m));
  return m;
}
static void mtmsrd(u64 m) { __asm__ volatile("mtmsrd %0" ::"r"(m) : "memory"); }

static u64 pi_times_e(void) {
  __asm__ volatile("lfd 1,0(%0)\n\tlfd 2,8(%0)\n\tfmul 3,1,2\n\tstfd 3,0(%1)"
                   :
                   : "b"(in), "b"(&out)
                   : "fr1", "fr2", "fr3", "memory");
  return out;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  (void)bi;
  if (cpu != 0) for (;;) {}
  u64 first = pi_times_e();   // takes 0x800 once, then runs
  u64 second = pi_times_e();  // MSR[FP] is on now
  mtmsrd(mfmsr() & ~MSR_FP);
  u64 third = pi_times_e();   // 0x800 again
  u64 after = unavailable;
  mtmsrd(mfmsr() | MSR_FE0 | MSR_FE1);
  __asm__ volatile("mtfsb1 24\n\tlfd 4,16(%0)\n\tfsub 5,4,4" : : "b"(in) : "fr4", "fr5", "memory");  // VE; inf-inf
  u64 fpscr;
  __asm__ volatile("mffs 6\n\tstfd 6,0(%0)" : : "b"(&out) : "fr6", "memory");
  fpscr = out;
  printf_("fp: unavailable %lu enabled %lu bad %lu pi*e %lx fpscr %lx\n", after, enabled, bad, first, fpscr);
  int ok = after == 2 && enabled == 1 && bad == 0 && first == 0x402114580b45d474ul && second == first &&
           third == first && (fpscr & 0xe0800080) == 0xe0800080;  // FX FEX VX VXISI VE
  power_off(ok ? 0 : 1);
}
