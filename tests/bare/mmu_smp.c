// The MMU on several CPUs (label `mmu`), --arg case=N:
//   1 shootdown  Power ISA 2.03 Book III-S 5.9.3.3 (tlbie) and 5.10 "Page
//                Table Update Synchronization": after tlbie; eieio; tlbsync;
//                ptesync on one CPU, no CPU still translates through the old
//                PTE. Every round every CPU loads page X (its TLB holds the
//                translation); CPU 0 then moves X to another frame with the
//                ISA's sequence; every CPU must see the new frame.
//   2 race       the same rules with walks in flight: CPUs 1..n-1 load X
//                continuously (each tlbie makes their next load walk the
//                page table, the walk's reads cached and contended) while CPU
//                0 remaps X back and forth. A load made while the mapping was
//                stable (the sequence number even and unchanged around it)
//                must read the frame mapped then: a walk that read the old
//                PTE before the tlbie must not leave its translation behind.
// Prints a summary and powers off with the number of wrong reads.
#include "mmu_lib.h"

#define FRAMES 0x02000000ul  // frame k at FRAMES + k * 4 KiB holds 0xf0 + k
#define X TEST_EA(1)

static volatile u64 round_, done, stale, reads, retried, seq, stop;
static const struct bootinfo* boot;

void bare_interrupt(u64 cpu, u64 vector, struct frame* f) {
  (void)cpu;
  u64 dar;
  __asm__ volatile("mfdar %0" : "=r"(dar));
  if (vector == 0x300 && (dar >> 12) == (X >> 12)) {  // X is being remapped: retry
    atomic_add(&retried, 1);
    return;
  }
  printf_("unexpected interrupt %x at %x dar %x\n", vector, f->srr0, dar);
  power_off(99);
}

static u64 load_x(void) {
  u64 v;
  __asm__ volatile("ld %0,0(%1)" : "=r"(v) : "b"(X) : "memory");
  return v;
}

static void remap(u64 frame) {
  pte_clear(TEST_VSID, X, 0, 0);
  pte_set(TEST_VSID, X, FRAMES + frame * 0x1000, 0, 0, 0);
}

static void shootdown(u64 cpu, u64 ncpus) {
  const u64 rounds = 8;
  for (u64 r = 1; r <= rounds; ++r) {
    if (cpu == 0) {
      if (r > 1) remap(r);
      sync_();
      round_ = r;
    } else {
      while (round_ != r) {
      }
    }
    if (load_x() != 0xf0 + r) atomic_add(&stale, 1);
    atomic_add(&done, 1);
    while (done < ncpus * r) {
    }
  }
  if (cpu == 0) printf_("mmu shootdown: %lu CPUs, %lu rounds, %lu stale\n", ncpus, rounds, stale);
}

static void race(u64 cpu, u64 ncpus) {
  const u64 remaps = bare_arg(boot, "remaps", 200);
  if (cpu == 0) {
    for (u64 k = 1; k <= remaps; ++k) {
      seq = 2 * k - 1;
      sync_();
      remap(k & 1);
      sync_();
      seq = 2 * k;
      for (volatile int spin = 0; spin < 50; ++spin) {
      }
    }
    stop = 1;
    while (done < ncpus - 1) {
    }
    printf_("mmu race: %lu remaps, %lu reads on %lu CPUs, %lu faults retried, %lu stale\n", remaps, reads, ncpus - 1,
            retried, stale);
    return;
  }
  u64 n = 0, bad = 0;
  while (!stop) {
    u64 s0 = seq;
    __asm__ volatile("sync" ::: "memory");
    u64 v = load_x();
    __asm__ volatile("sync" ::: "memory");
    u64 s1 = seq;
    ++n;
    if (s0 == s1 && !(s0 & 1) && v != 0xf0 + ((s0 / 2) & 1)) ++bad;
  }
  atomic_add(&reads, n);
  atomic_add(&stale, bad);
  atomic_add(&done, 1);
}

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  boot = bi;
  u64 which = bare_arg(bi, "case", 1);
  if (cpu == 0) {
    for (u64 k = 0; k < 16; ++k) *(volatile u64*)(FRAMES + k * 0x1000) = 0xf0 + k;
    mmu_build_identity(ncpus, bi);
    for (u64 k = 0; k < 16; ++k) map_page(VSID_OF(0), FRAMES + k * 0x1000, FRAMES + k * 0x1000, 0);
    pte_set(TEST_VSID, X, FRAMES + (which == 1 ? 1 : 0) * 0x1000, 0, 0, 0);
    seq = 0;
  }
  barrier(ncpus);
  mmu_enable(bi, SLB_KP);
  slbmte(TEST_VSID << 12, (TEST_ESID << 28) | (1ul << 27) | 5);
  barrier(ncpus);
  if (which == 1) shootdown(cpu, ncpus);
  else race(cpu, ncpus);
  barrier(ncpus);
  if (cpu == 0) power_off(stale);
  for (;;) {
  }
}
