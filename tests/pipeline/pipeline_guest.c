// Guest side of the scenario-pipeline test. Not an OS: a bare-metal program
// that exercises the host's scenario machinery end to end with real events
// through the real devices. Every CPU runs a small workload (a shared
// counter under a lock, recording each call's latency as WORKLOAD_CALL);
// CPU 0 takes each module from the mailbox, checks it is a big-endian
// 64-bit PowerPC relocatable ELF object, and reports MODULE_RECEIVED, a LOAD
// phase, and MODULE_LOADED + UPDATE_APPLIED or MODULE_REJECTED. The real
// update mechanism lives in guest_os/update. As the kernel's workloads do,
// it draws its think times (uniform in 0..2*think) from a generator seeded
// by the boot argument seed=, so runs with different seeds differ.
#include "bare.h"

#define MAILBOX 0xf0003000ul
#define EV_MODULE_RECEIVED 0x2000
#define EV_MODULE_LOADED 0x2001
#define EV_MODULE_REJECTED 0x2002
#define EV_UPDATE_APPLIED 0x2004
#define EV_PHASE_BEGIN 0x2010
#define EV_PHASE_END 0x2011
#define EV_WORKLOAD_BEGIN 0x0500
#define EV_WORKLOAD_CALL 0x0501
#define PHASE_LOAD 1

static unsigned char module_buf[1 << 20] __attribute__((aligned(128)));
static volatile u64 lock_word, counter;

static void event4(u64 id, u64 a0, u64 a1, u64 a2, u64 a3) {
  MMIO(SIMCTL_BASE + 0x08) = a0;
  MMIO(SIMCTL_BASE + 0x10) = a1;
  MMIO(SIMCTL_BASE + 0x18) = a2;
  MMIO(SIMCTL_BASE + 0x20) = a3;
  MMIO(SIMCTL_BASE + 0x00) = id;
}

static void lock(volatile u64* l) {
  u64 t;
  __asm__ volatile("1: ldarx %0,0,%1\n cmpdi %0,0\n bne- 1b\n li %0,1\n stdcx. %0,0,%1\n bne- 1b\n isync"
                   : "=&r"(t) : "r"(l) : "cr0", "memory");
}
static void unlock(volatile u64* l) {
  __asm__ volatile("lwsync" ::: "memory");
  *l = 0;
}

void bare_external_interrupt(u64 cpu) {
  u64 pending = MMIO(INTC_BASE + 0x08);
  MMIO(INTC_BASE + 0x10) = pending;
  if (!(pending & 2)) return;
  while (MMIO(MAILBOX + 0x00)) {
    u64 size = MMIO(MAILBOX + 0x00), seq = MMIO(MAILBOX + 0x18);
    event4(EV_MODULE_RECEIVED, seq, size, 0, 0);
    event4(EV_PHASE_BEGIN, seq, PHASE_LOAD, 0, 0);
    int ok = size <= sizeof module_buf;
    if (ok) {
      MMIO(MAILBOX + 0x08) = (u64)module_buf;
      // ELF magic, 64-bit, big-endian, ET_REL (1), EM_PPC64 (21).
      ok = module_buf[0] == 0x7f && module_buf[1] == 'E' && module_buf[2] == 'L' && module_buf[3] == 'F' &&
           module_buf[4] == 2 && module_buf[5] == 2 && module_buf[16] == 0 && module_buf[17] == 1 &&
           module_buf[18] == 0 && module_buf[19] == 21;
    }
    MMIO(MAILBOX + 0x10) = 1;
    event4(EV_PHASE_END, seq, PHASE_LOAD, 0, 0);
    if (ok) {
      event4(EV_MODULE_LOADED, seq, (u64)module_buf, size, 0);
      event4(EV_UPDATE_APPLIED, seq, 0, 0, 0);
    } else {
      event4(EV_MODULE_REJECTED, seq, 1, 0, 0);
    }
  }
  (void)cpu;
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  u64 think = bare_arg(bi, "w0.think", 200);
  u64 rng = (bare_arg(bi, "seed", 1) + 1) * 0x9E3779B97F4A7C15ull ^ (cpu + 1) * 0xBF58476D1CE4E5B9ull;
  MMIO(SIMCTL_BASE + 0x40) = (u64)&lock_word;  // statistics range for the lock's line
  MMIO(SIMCTL_BASE + 0x48) = 128;
  if (cpu == 0) MMIO(SIMCTL_BASE + 0x50) = (u64) "pipeline.lock";
  if (cpu == 0) enable_interrupts();
  event4(EV_WORKLOAD_BEGIN, 1, 0, think, 0);
  for (u64 i = 0;; ++i) {
    u64 t0 = cycles();
    lock(&lock_word);
    counter = counter + 1;
    unlock(&lock_word);
    event4(EV_WORKLOAD_CALL, 1, cycles() - t0, i, 0);
    rng ^= rng << 13;  // xorshift64
    rng ^= rng >> 7;
    rng ^= rng << 17;
    u64 spin = rng % (2 * think + 1);
    for (volatile u64 k = 0; k < spin; ++k) {
    }
  }
}
