// Helpers of the MMU test images (label `mmu`): a hashed page table built by
// the test itself from the rules of Power ISA 2.03 Book III-S, section 5.7
// ("Storage Addressing": 5.7.5 Virtual Address Generation, the SLB; the
// Page Table, SDR1 and Page Table Search of the virtual-to-real translation;
// Reference and Change Recording; Storage Protection), an identity map of
// what the image, its stacks and the devices use, and the instructions.
// Written independently of sim/mmu: if the simulator hashed, searched or
// encoded differently, the identity map itself would not translate.
#pragma once
#include "bare.h"

#define HTAB 0x01000000ul      // 256 KiB table at 16 MiB: HTABSIZE 0, 2^11 PTEGs of 128 bytes
#define HTAB_PTEGS 0x800ul
#define VSID_OF(esid) (0x1000ul + (esid))  // the identity segments' VSIDs
#define TEST_ESID 0x123ul     // a segment of test pages: EA 0x1230000000...
#define TEST_EA(page) ((TEST_ESID << 28) | ((u64)(page) << 12))
#define TEST_VSID 0x5a5a5ul

// PTE doubleword 1 bits (section "Page Table": R C WIMG N PP, PP0 in bit 0).
#define PTE_R 0x100ul
#define PTE_C 0x080ul
#define PTE_I 0x020ul
#define PTE_G 0x008ul
#define PTE_N 0x004ul
#define PTE_PP0 (1ul << 63)
// slbmte RS: Ks (bit 52), Kp (bit 53), N (bit 54).
#define SLB_KS (1ul << 11)
#define SLB_KP (1ul << 10)
#define SLB_N (1ul << 9)
// DSISR / SRR1 bits (section "Storage Exceptions", the DSI and ISI).
#define DSISR_NOPTE 0x40000000ul
#define DSISR_PROT 0x08000000ul
#define DSISR_STORE 0x02000000ul
#define SRR1_NOPTE 0x40000000ul
#define SRR1_NOEXEC 0x10000000ul
#define SRR1_PROT 0x08000000ul
#define MSR_IR 0x20ul
#define MSR_DR 0x10ul
#define MSR_PR 0x4000ul

static inline void mtsdr1(u64 v) { __asm__ volatile("mtspr 25,%0\n isync" ::"r"(v) : "memory"); }
static inline u64 mfsdr1(void) {
  u64 v;
  __asm__ volatile("mfspr %0,25" : "=r"(v));
  return v;
}
static inline void slbmte(u64 rs, u64 rb) { __asm__ volatile("slbmte %0,%1\n isync" ::"r"(rs), "r"(rb) : "memory"); }
static inline void slbie(u64 rb) { __asm__ volatile("slbie %0\n isync" ::"r"(rb) : "memory"); }
static inline void slbia(void) { __asm__ volatile("slbia\n isync" ::: "memory"); }
static inline u64 slbmfee(u64 index) {
  u64 v;
  __asm__ volatile("slbmfee %0,%1" : "=r"(v) : "r"(index));
  return v;
}
static inline u64 slbmfev(u64 index) {
  u64 v;
  __asm__ volatile("slbmfev %0,%1" : "=r"(v) : "r"(index));
  return v;
}
static inline void ptesync(void) { __asm__ volatile("ptesync" ::: "memory"); }
static inline void tlbie(u64 rb) { __asm__ volatile("tlbie %0,0\n eieio\n tlbsync\n ptesync" ::"r"(rb) : "memory"); }
static inline void tlbiel(u64 rb) { __asm__ volatile("tlbiel %0\n ptesync" ::"r"(rb) : "memory"); }
static inline u64 mfmsr_(void) {
  u64 m;
  __asm__ volatile("mfmsr %0" : "=r"(m));
  return m;
}
static inline void mtmsrd_(u64 m) { __asm__ volatile("mtmsrd %0\n isync" ::"r"(m) : "memory"); }
// tlbie's RB for a 4 KiB page: the virtual page number's low bits in place (VA[30:65]).
static inline u64 tlb_rb(u64 vsid, u64 ea) { return ((vsid << 28) | (ea & 0x0ffff000ul)) & 0x0000fffffffff000ul; }

// The hash of section "Page Table Search" for 256 MiB segments and 4 KiB
// pages: VSID[11:49] XOR (0b00..0 || EA[36:51]); the secondary hash is its
// one's complement. PTEG address = HTABORG | (hash & mask) << 7.
static inline u64 pteg_of(u64 vsid, u64 ea, int secondary) {
  u64 hash = ((vsid & 0x7ffffffffful) ^ ((ea >> 12) & 0xffff)) & 0x7ffffffffful;
  if (secondary) hash = ~hash & 0x7ffffffffful;
  return HTAB | ((hash & (HTAB_PTEGS - 1)) << 7);
}
// Doubleword 0 of a PTE: B=0 (256 MiB), AVA = VA[0:54] = VSID || EA[36:40], H, V.
static inline u64 pte_v(u64 vsid, u64 ea, int secondary) {
  return (((vsid << 5) | ((ea >> 23) & 0x1f)) << 7) | (secondary ? 2ul : 0ul) | 1ul;
}
static inline volatile u64* pte_slot(u64 vsid, u64 ea, int secondary, unsigned slot) {
  return (volatile u64*)(pteg_of(vsid, ea, secondary) + 16 * slot);
}
// Writes a valid PTE in the given group and slot (section "Page Table
// Update Synchronization": doubleword 1 first, then the valid doubleword 0).
static inline void pte_set(u64 vsid, u64 ea, u64 ra, u64 bits, int secondary, unsigned slot) {
  volatile u64* p = pte_slot(vsid, ea, secondary, slot);
  p[1] = (ra & 0x0ffffffffffff000ul) | bits;
  __asm__ volatile("eieio" ::: "memory");
  p[0] = pte_v(vsid, ea, secondary);
  ptesync();
}
// Invalidates a PTE and the translation on every CPU (the ISA's sequence).
static inline void pte_clear(u64 vsid, u64 ea, int secondary, unsigned slot) {
  volatile u64* p = pte_slot(vsid, ea, secondary, slot);
  p[0] = 0;
  ptesync();
  tlbie(tlb_rb(vsid, ea));
}
// A PTE in the first free slot of the primary group, else the secondary.
static inline void map_page(u64 vsid, u64 ea, u64 ra, u64 bits) {
  for (int h = 0; h < 2; ++h)
    for (unsigned s = 0; s < 8; ++s)
      if (!(pte_slot(vsid, ea, h, s)[0] & 1)) {
        pte_set(vsid, ea, ra, bits, h, s);
        return;
      }
  printf_("mmu_lib: both PTEGs full for %x\n", ea);
  power_off(98);
}

extern char _end[];

// CPU 0, translation off: clears the table, sets SDR1 and maps, one to one,
// the image, the page table, the stacks and boot block at the top of RAM
// and the device pages (cache-inhibited, guarded). Kernel key 0 (PP 00: read/write).
static inline void mmu_build_identity(u64 ncpus, const struct bootinfo* bi) {
  for (volatile u64* p = (volatile u64*)HTAB; p < (volatile u64*)(HTAB + HTAB_PTEGS * 128); ++p) *p = 0;
  mtsdr1(HTAB);
  u64 end = ((u64)_end + 0xfff) & ~0xffful;
  for (u64 a = 0; a < end; a += 0x1000) map_page(VSID_OF(a >> 28), a, a, 0);
  for (u64 a = HTAB; a < HTAB + HTAB_PTEGS * 128; a += 0x1000) map_page(VSID_OF(a >> 28), a, a, 0);
  u64 top = bi->memory_bytes, low = top - 0x10000ul * (ncpus + 1);
  for (u64 a = low; a < top; a += 0x1000) map_page(VSID_OF(a >> 28), a, a, 0);
  u64 dev[3] = {UART_BASE, INTC_BASE, SIMCTL_BASE};
  for (int k = 0; k < 3; ++k) map_page(VSID_OF(dev[k] >> 28), dev[k], dev[k], PTE_I | PTE_G);
}
// The identity segments (ESIDs 0, the top of RAM's and the devices') in SLB
// entries 0-2 with keys `keys` (SLB_KS, SLB_KP).
static inline void mmu_load_identity(const struct bootinfo* bi, u64 keys) {
  u64 esids[3] = {0, (bi->memory_bytes - 1) >> 28, UART_BASE >> 28};
  for (u64 k = 0; k < 3; ++k)
    if (k == 0 || esids[k] != esids[k - 1]) slbmte(VSID_OF(esids[k]) << 12 | keys, (esids[k] << 28) | (1ul << 27) | k);
}
// Every CPU: SDR1, the identity segments (problem state key 1: no access to PP 00
// pages from problem state), then IR and DR on.
static inline void mmu_enable(const struct bootinfo* bi, u64 keys) {
  mtsdr1(HTAB);  // SDR1 is per CPU
  slbia();
  mmu_load_identity(bi, keys);
  mtmsrd_(mfmsr_() | MSR_IR | MSR_DR);
}
