// The MMU's rules, one case per run (--arg case=N), each checked against
// Power ISA 2.03 Book III-S section 5.7 (Storage Addressing); section titles
// are quoted with the numbers of that version. Prints "mmu CASE: ok" or what
// differed, and powers off with the number of failures.
//   1 hash       5.7.6 "Page Table Search": the primary PTEG is HTABORG |
//                (VSID[11:49] XOR EA[36:51]) masked by HTABSIZE, << 7; a PTE
//                placed by that hash translates, one placed elsewhere does not.
//   2 search     the same section: the primary PTEG is searched first, then
//                the secondary; a PTE matches only with V=1, H equal to the
//                hash used, and AVA = VA[0:54]; invalid slots are skipped.
//   3 rc         5.7.7 "Reference and Change Recording": a load sets R, a
//                store sets R and C, in the PTE that translated; a store after
//                a load (translation already in the TLB) still sets C.
//   4 protect    5.7.9 "Storage Protection": key = Ks (MSR[PR]=0) or Kp
//                (MSR[PR]=1); PP 00/01/10/11/110 give the table's access;
//                violations are DSIs with DSISR bit 36 (and 38 for a store).
//   5 segments   5.7.5 "Virtual Address Generation": no SLB entry is a data
//                segment interrupt (0x380, DAR) or an instruction segment
//                interrupt (0x480); slbie and slbia (all but entry 0) remove
//                entries; slbmfee/slbmfev read back slbmte's entry.
//   6 noexec     5.7.9 and the ISI of 6.5.4: fetch from an N=1 page or an
//                N=1 segment is an ISI with SRR1 bit 35; from an unmapped page
//                SRR1 bit 33; an executable page runs.
//   7 fault      6.5.3 "Data Storage Interrupt": a load from an unmapped page
//                is a DSI with DSISR bit 33 and DAR = EA; the handler inserts
//                the PTE and returns; the load is re-executed and succeeds.
//   8 tlb        5.10 "Page Table Update Synchronization" and the TLB
//                management instructions: after a PTE changes, tlbiel drops
//                the old translation (dusim's TLB keeps it until then).
#include "mmu_lib.h"

static volatile u64 faults, last_vector, last_dar, last_dsisr, last_srr1, fix_on_fault, fix_ra, refills;
static const struct bootinfo* boot;
static u64 failures;

#define RA_A 0x02000000ul  // test frames at 32 MiB
#define RA_B 0x02001000ul
#define RA_C 0x02002000ul

static void check(int ok, const char* what, u64 got, u64 want) {
  if (ok) return;
  ++failures;
  printf_("  FAIL %s: got %x want %x\n", what, got, want);
}

void bare_interrupt(u64 cpu, u64 vector, struct frame* f) {
  (void)cpu;
  u64 dar, dsisr;
  __asm__ volatile("mfdar %0\n mfdsisr %1" : "=r"(dar), "=r"(dsisr));
  if (vector == 0xc00) {  // back to supervisor state
    f->srr1 &= ~MSR_PR;
    return;
  }
  if (vector == 0x380 && ((dar >> 28) == 0 || (dar >> 28) == ((boot->memory_bytes - 1) >> 28) || (dar >> 28) == 0xf)) {
    mmu_load_identity(boot, SLB_KP);  // an SLB miss handler: reload the identity segments
    ++refills;
    return;
  }
  ++faults;
  last_vector = vector;
  last_dar = dar;
  last_dsisr = dsisr;
  last_srr1 = f->srr1;
  if (vector == 0x300 && fix_on_fault) {
    map_page(TEST_VSID, dar & ~0xffful, fix_ra, 0);
    return;  // re-execute
  }
  if (vector == 0x400 || vector == 0x480) {
    f->srr0 = f->lr;  // the test called into the page: return to the caller
    f->r3 = 0xdead;
    return;
  }
  if (vector == 0x300 || vector == 0x380) {
    f->srr0 += 4;  // skip the access
    return;
  }
  printf_("unexpected interrupt %x at %x\n", vector, f->srr0);
  power_off(99);
}

static void test_segment(u64 keys) { slbmte(TEST_VSID << 12 | keys, (TEST_ESID << 28) | (1ul << 27) | 5); }

// A load that returns `fallback` when it faulted.
static u64 load(u64 ea, u64 fallback) {
  u64 before = faults, v = fallback;
  __asm__ volatile("ld %0,0(%1)" : "+r"(v) : "b"(ea) : "memory");
  return faults != before ? fallback : v;
}
static int store(u64 ea, u64 v) {
  u64 before = faults;
  __asm__ volatile("std %0,0(%1)" ::"r"(v), "b"(ea) : "memory");
  return faults == before;
}
static inline void problem_state(void) { mtmsrd_(mfmsr_() | MSR_PR); }
static inline void supervisor_state(void) { __asm__ volatile("sc" ::: "memory", "r0", "r3"); }

static void fill_frames(void) {
  *(volatile u64*)RA_A = 0xaaaa;
  *(volatile u64*)RA_B = 0xbbbb;
  *(volatile u64*)RA_C = 0xcccc;
}

static void case_hash(void) {
  test_segment(0);
  // Pages whose EA[36:51] differ, and a VSID wider than the table's mask.
  u64 pages[4] = {0, 1, 0x7ff, 0xfff};
  for (int k = 0; k < 4; ++k) {
    u64 ea = TEST_EA(pages[k]);
    pte_set(TEST_VSID, ea, RA_A, 0, 0, 3);
    check(load(ea, 0) == 0xaaaa, "load through the primary hash", load(ea, 0), 0xaaaa);
    check((pte_slot(TEST_VSID, ea, 0, 3)[1] & PTE_R) != 0, "R set in the slot the hash names", 0, 1);
    pte_clear(TEST_VSID, ea, 0, 3);
  }
  // The same PTE in the PTEG of VSID XOR page without the mask's wrap: a
  // group next to the right one must not translate.
  u64 ea = TEST_EA(2);
  u64 wrong = pteg_of(TEST_VSID, ea, 0) ^ 0x80;  // the neighbouring PTEG
  volatile u64* p = (volatile u64*)(wrong + 16 * 1);
  p[1] = RA_A;
  p[0] = pte_v(TEST_VSID, ea, 0);
  ptesync();
  check(load(ea, 0x5ad) == 0x5ad, "no translation from another PTEG", load(ea, 0x5ad), 0x5ad);
  check(last_vector == 0x300 && (last_dsisr & DSISR_NOPTE) && last_dar == ea, "DSI no-PTE", last_dsisr, DSISR_NOPTE);
  p[0] = 0;
  ptesync();
}

static void case_search(void) {
  test_segment(0);
  u64 ea = TEST_EA(0x40);
  // An invalid but otherwise matching PTE in slot 0 is skipped; slot 1 hits.
  volatile u64* s0 = pte_slot(TEST_VSID, ea, 0, 0);
  s0[1] = RA_B;
  s0[0] = pte_v(TEST_VSID, ea, 0) & ~1ul;
  pte_set(TEST_VSID, ea, RA_A, 0, 0, 1);
  check(load(ea, 0) == 0xaaaa, "invalid slot skipped", load(ea, 0), 0xaaaa);
  pte_clear(TEST_VSID, ea, 0, 1);
  // A PTE with H=1 in the primary PTEG does not match; nor H=0 in the secondary.
  volatile u64* s2 = pte_slot(TEST_VSID, ea, 0, 2);
  s2[1] = RA_A;
  s2[0] = pte_v(TEST_VSID, ea, 1);
  volatile u64* t2 = pte_slot(TEST_VSID, ea, 1, 2);
  t2[1] = RA_A;
  t2[0] = pte_v(TEST_VSID, ea, 0);
  ptesync();
  check(load(ea, 0x5ad) == 0x5ad, "H must equal the hash used", load(ea, 0x5ad), 0x5ad);
  s2[0] = t2[0] = 0;
  // An AVA that differs in EA[36:40] does not match.
  volatile u64* s3 = pte_slot(TEST_VSID, ea, 0, 3);
  s3[1] = RA_A;
  s3[0] = pte_v(TEST_VSID, ea ^ (1ul << 23), 0);
  ptesync();
  check(load(ea, 0x5ad) == 0x5ad, "AVA compared", load(ea, 0x5ad), 0x5ad);
  s3[0] = 0;
  // The primary group full of other pages' PTEs: the secondary's PTE is found.
  for (unsigned k = 0; k < 8; ++k) pte_set(TEST_VSID + 0x800 * (k + 1), ea, RA_C, 0, 0, k);
  pte_set(TEST_VSID, ea, RA_B, 0, 1, 6);
  check(load(ea, 0) == 0xbbbb, "secondary PTEG searched after the primary", load(ea, 0), 0xbbbb);
  check((pte_slot(TEST_VSID, ea, 1, 6)[1] & PTE_R) != 0, "R set in the secondary PTE", 0, 1);
  // Both a primary and a secondary PTE: the primary is searched first.
  pte_clear(TEST_VSID, ea, 1, 6);
  pte_clear(TEST_VSID + 0x800, ea, 0, 0);
  pte_set(TEST_VSID, ea, RA_A, 0, 0, 0);
  pte_set(TEST_VSID, ea, RA_B, 0, 1, 0);
  check(load(ea, 0) == 0xaaaa, "primary before secondary", load(ea, 0), 0xaaaa);
  for (unsigned k = 0; k < 8; ++k) pte_slot(TEST_VSID + 0x800 * (k + 1), ea, 0, k)[0] = 0;
  pte_clear(TEST_VSID, ea, 0, 0);
  pte_clear(TEST_VSID, ea, 1, 0);
}

static void case_rc(void) {
  test_segment(0);
  u64 ea = TEST_EA(7);
  pte_set(TEST_VSID, ea, RA_A, 0, 0, 4);
  volatile u64* p = pte_slot(TEST_VSID, ea, 0, 4);
  check((p[1] & (PTE_R | PTE_C)) == 0, "R and C clear before any access", p[1], 0);
  (void)load(ea, 0);
  check((p[1] & (PTE_R | PTE_C)) == PTE_R, "a load sets R only", p[1] & (PTE_R | PTE_C), PTE_R);
  check(store(ea + 8, 5), "store allowed", 0, 1);
  check((p[1] & (PTE_R | PTE_C)) == (PTE_R | PTE_C), "a store after a load sets C", p[1] & (PTE_R | PTE_C), PTE_R | PTE_C);
  check(*(volatile u64*)(RA_A + 8) == 5, "the store reached the frame", *(volatile u64*)(RA_A + 8), 5);
  // A fresh page written first: R and C in one walk.
  u64 eb = TEST_EA(8);
  pte_set(TEST_VSID, eb, RA_B, 0, 0, 4);
  volatile u64* q = pte_slot(TEST_VSID, eb, 0, 4);
  check(store(eb, 9), "store allowed", 0, 1);
  check((q[1] & (PTE_R | PTE_C)) == (PTE_R | PTE_C), "a first store sets R and C", q[1] & (PTE_R | PTE_C), PTE_R | PTE_C);
  check((p[1] & 0x0ffffffffffff000ul) == RA_A, "the update left the RPN alone", p[1], RA_A);
}

struct pp_case {
  u64 pp;
  int key0_load, key0_store, key1_load, key1_store;
};
// 5.7.9's table of PP values.
static const struct pp_case pp_table[5] = {
    {0, 1, 1, 0, 0}, {1, 1, 1, 1, 0}, {2, 1, 1, 1, 1}, {3, 1, 0, 1, 0}, {PTE_PP0 | 2, 1, 0, 1, 0},
};

static void try_access(u64 ea, int pr, int want_load, int want_store, const char* what) {
  if (pr) problem_state();
  u64 v = load(ea, 0x5ad);
  u64 lv = last_vector, ld = last_dsisr, ldar = last_dar;
  int stored = store(ea, 0x77);
  u64 sd = last_dsisr;
  if (pr) supervisor_state();
  check((v != 0x5ad) == want_load, what, v, want_load);
  if (!want_load) check(lv == 0x300 && ld == DSISR_PROT && ldar == ea, "load violation: DSI, DSISR bit 36, DAR", ld, DSISR_PROT);
  check(stored == want_store, what, stored, want_store);
  if (!want_store) check(sd == (DSISR_PROT | DSISR_STORE), "store violation: DSISR bits 36 and 38", sd, DSISR_PROT | DSISR_STORE);
}

static void case_protect(void) {
  // The identity segments keep key 0 in problem state, so the code and stack run there.
  mmu_load_identity(boot, 0);
  for (int round = 0; round < 2; ++round) {
    // Round 0: Ks=0 Kp=1 (supervisor key 0, problem key 1); round 1 the reverse.
    test_segment(round == 0 ? SLB_KP : SLB_KS);
    for (int k = 0; k < 5; ++k) {
      u64 ea = TEST_EA(0x10 + k);
      *(volatile u64*)RA_A = 0xaaaa;
      map_page(TEST_VSID, ea, RA_A, pp_table[k].pp);
      const struct pp_case* c = &pp_table[k];
      try_access(ea, 0, round == 0 ? c->key0_load : c->key1_load, round == 0 ? c->key0_store : c->key1_store,
                 "supervisor access");
      try_access(ea, 1, round == 0 ? c->key1_load : c->key0_load, round == 0 ? c->key1_store : c->key0_store,
                 "problem-state access");
    }
    for (int k = 0; k < 5; ++k)
      for (int h = 0; h < 2; ++h)
        for (unsigned s = 0; s < 8; ++s) {
          volatile u64* p = pte_slot(TEST_VSID, TEST_EA(0x10 + k), h, s);
          if (p[0] == pte_v(TEST_VSID, TEST_EA(0x10 + k), h)) pte_clear(TEST_VSID, TEST_EA(0x10 + k), h, s);
        }
  }
  mmu_load_identity(boot, SLB_KP);
}

static u64 call_at(u64 addr) {
  register u64 r3 __asm__("r3");
  __asm__ volatile("mtctr %1\n bctrl" : "=r"(r3) : "r"(addr) : "ctr", "lr", "r0", "r4", "r5", "r6", "r7", "r8", "r9",
                   "r10", "r11", "r12", "cr0", "memory");
  return r3;
}

static void case_segments(void) {
  u64 ea = (0x777ul << 28) | 0x120;
  check(load(ea, 0x5ad) == 0x5ad && last_vector == 0x380 && last_dar == ea, "no SLB entry: DSegI with DAR", last_vector, 0x380);
  check(call_at(ea & ~0xfful) == 0xdead && last_vector == 0x480, "fetch without SLB entry: ISegI", last_vector, 0x480);
  test_segment(0);
  u64 e = slbmfee(5), v = slbmfev(5);
  check(e == ((TEST_ESID << 28) | (1ul << 27)), "slbmfee", e, (TEST_ESID << 28) | (1ul << 27));
  check(v == TEST_VSID << 12, "slbmfev", v, TEST_VSID << 12);
  u64 t = TEST_EA(3);
  pte_set(TEST_VSID, t, RA_A, 0, 0, 0);
  check(load(t, 0) == 0xaaaa, "mapped", load(t, 0), 0xaaaa);
  slbie(TEST_ESID << 28);
  check(load(t, 0x5ad) == 0x5ad && last_vector == 0x380, "slbie removed the segment", last_vector, 0x380);
  check((slbmfee(5) & (1ul << 27)) == 0, "slbmfee after slbie: V=0", slbmfee(5), 0);
  // slbia: every entry but 0. The stack's segment goes too: its next access
  // is a segment interrupt whose handler reloads it (refills).
  test_segment(0);
  u64 before = refills;
  slbia();
  volatile u64 on_stack = 1;  // a stack access (ESID of the top of RAM): its entry is gone
  on_stack += 1;
  check(load(t, 0x5ad) == 0x5ad, "slbia removed entry 5", 0, 0);
  check(refills > before || boot->memory_bytes <= (1ul << 28), "slbia removed the stack's entry 1", refills, before + 1);
  check(slbmfee(0) == (1ul << 27), "slbia kept entry 0", slbmfee(0), 1ul << 27);
  pte_clear(TEST_VSID, t, 0, 0);
}

static void case_noexec(void) {
  test_segment(0);
  // li r3,42 ; blr in frame C.
  *(volatile u32*)RA_C = 0x3860002a;
  *(volatile u32*)(RA_C + 4) = 0x4e800020;
  __asm__ volatile("dcbst 0,%0\n sync\n icbi 0,%0\n isync" ::"r"(RA_C) : "memory");
  u64 x = TEST_EA(0x20), n = TEST_EA(0x21), none = TEST_EA(0x22);
  map_page(TEST_VSID, x, RA_C, 0);
  map_page(TEST_VSID, n, RA_C, PTE_N);
  check(call_at(x) == 42, "an executable page runs", call_at(x), 42);
  check(call_at(n) == 0xdead && last_vector == 0x400 && (last_srr1 & SRR1_NOEXEC), "N page: ISI SRR1 bit 35", last_srr1, SRR1_NOEXEC);
  check(call_at(none) == 0xdead && last_vector == 0x400 && (last_srr1 & SRR1_NOPTE), "unmapped: ISI SRR1 bit 33", last_srr1, SRR1_NOPTE);
  check(load(n, 0) == 0x4e8000203860002aul || load(n, 0) == 0x3860002a4e800020ul, "N page still readable", load(n, 0), 0);
  test_segment(SLB_N);
  check(call_at(x) == 0xdead && last_vector == 0x400 && (last_srr1 & SRR1_NOEXEC), "N segment: ISI SRR1 bit 35", last_srr1, SRR1_NOEXEC);
}

static void case_fault(void) {
  test_segment(0);
  u64 ea = TEST_EA(0x30) + 0x18;
  *(volatile u64*)(RA_B + 0x18) = 0xb18;
  fix_on_fault = 1;
  fix_ra = RA_B;
  u64 before = faults, v = 0;
  __asm__ volatile("ld %0,0(%1)" : "=r"(v) : "b"(ea) : "memory");
  fix_on_fault = 0;
  check(faults == before + 1, "one fault", faults - before, 1);
  check(last_vector == 0x300 && last_dsisr == DSISR_NOPTE && last_dar == ea, "DSI: DSISR bit 33, DAR", last_dsisr, DSISR_NOPTE);
  check(v == 0xb18, "the load re-executed after the handler mapped the page", v, 0xb18);
  // A store: DSISR bits 33 and 38.
  fix_on_fault = 1;
  fix_ra = RA_C;
  __asm__ volatile("std %0,0(%1)" ::"r"(0x5151ul), "b"(TEST_EA(0x31)) : "memory");
  fix_on_fault = 0;
  check(last_dsisr == (DSISR_NOPTE | DSISR_STORE), "store DSI: bits 33 and 38", last_dsisr, DSISR_NOPTE | DSISR_STORE);
  check(*(volatile u64*)RA_C == 0x5151, "the store re-executed", *(volatile u64*)RA_C, 0x5151);
}

static void case_tlb(void) {
  test_segment(0);
  u64 ea = TEST_EA(0x50);
  pte_set(TEST_VSID, ea, RA_A, 0, 0, 2);
  check(load(ea, 0) == 0xaaaa, "first mapping", load(ea, 0), 0xaaaa);
  // Change the RPN in place, with no invalidation: the TLB still translates to A.
  volatile u64* p = pte_slot(TEST_VSID, ea, 0, 2);
  p[1] = RA_B | PTE_R;
  ptesync();
  u64 stale = load(ea, 0);
  tlbiel(tlb_rb(TEST_VSID, ea));
  u64 fresh = load(ea, 0);
  printf_("  tlb: before tlbiel %x, after %x\n", stale, fresh);
  check(stale == 0xaaaa, "the TLB held the old translation (dusim's TLB)", stale, 0xaaaa);
  check(fresh == 0xbbbb, "tlbiel dropped it", fresh, 0xbbbb);
  p[1] = RA_C | PTE_R;
  ptesync();
  tlbie(tlb_rb(TEST_VSID, ea));
  check(load(ea, 0) == 0xcccc, "tlbie dropped it", load(ea, 0), 0xcccc);
}

static const char* const names[] = {"", "hash", "search", "rc", "protect", "segments", "noexec", "fault", "tlb"};

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  if (cpu != 0) for (;;) {}
  boot = bi;
  u64 which = bare_arg(bi, "case", 1);
  if (which < 1 || which > 8) power_off(97);
  fill_frames();
  mmu_build_identity(ncpus, bi);
  for (u64 a = RA_A; a <= RA_C; a += 0x1000) map_page(VSID_OF(0), a, a, 0);
  mmu_enable(bi, SLB_KP);
  switch (which) {
    case 1: case_hash(); break;
    case 2: case_search(); break;
    case 3: case_rc(); break;
    case 4: case_protect(); break;
    case 5: case_segments(); break;
    case 6: case_noexec(); break;
    case 7: case_fault(); break;
    case 8: case_tlb(); break;
  }
  printf_("mmu %s: %s (%lu failures)\n", names[which], failures ? "FAIL" : "ok", failures);
  power_off(failures);
}
