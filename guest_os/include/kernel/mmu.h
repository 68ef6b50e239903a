// Virtual memory: the hashed page table, the SLB, and translation on and off
// (kernel/mmu.cc). Power ISA 2.06 Book III-S, 256 MiB segments, 4 KiB pages.
//
// With boot argument mmu=on every CPU runs its threads with MSR[IR,DR] set:
//   - the kernel segments (ESID 0-15, bolted SLB slots 0-15) map RAM and the
//     devices linearly, EA == RA, as Linux on ppc64 maps RAM at
//     0xc000000000000000 (the kernel is linked at 0, so its linear map is at
//     0). The image, the boot stacks and the device pages are inserted at
//     boot and never evicted; the rest of RAM's linear map is filled by the
//     first data or instruction storage interrupt that touches a page;
//   - the kernel's file mappings (kFileMapBase, ESID 16-31, bolted slots
//     16-31): where an FCM maps its pages (objects/fcm.cc), one translation
//     per page, inserted by mapPage and removed by unmapPage;
//   - a process address space (AddressSpace) owns segments from EA
//     kUserBase up, SLB slots 32-47, loaded when the scheduler switches to a
//     thread of that space; its mappings send a fault in their range to
//     their owner (a Region, guest_os/objects), which maps a frame
//     (mmu::map) or refuses.
// Interrupts run in real mode (the hardware clears IR and DR; rfid restores
// them), so every HPTE change and the fault path run untranslated and never
// fault themselves. A thread that blocks inside a fault handler resumes in
// the mode it blocked in (schedule() keeps the mode across the switch).
//
// Removing a translation invalidates it on every CPU that may hold it, by
// one of two methods (boot argument tlbi=tlbie|ipi, default tlbie):
// tlbie, broadcast by the interconnect (one at a time machine-wide, under a
// lock, with eieio; tlbsync; ptesync), or a cross-CPU call to each CPU in
// the mask given, which runs tlbiel.
//
// Locking: the hashed page table's groups are protected by a small array of
// spinlocks (group index mod kGroupLocks), always taken in real mode with
// interrupts off. The statistics are per CPU, written by their CPU only.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/types.h"

struct TrapFrame;
struct AddressSpace;

namespace mmu {

constexpr unsigned kSegShift = 28;
constexpr uval kFileMapBase = uval(1) << 32;   // the kernel's file mappings (FCMs): ESID 16-31, SLB slots 16-31
constexpr uval kFileMapEnd = uval(2) << 32;
constexpr uval kUserBase = uval(1) << 40;      // first EA of a process's segments (ESID 0x1000)
constexpr unsigned kUserSegments = 16;         // per address space: 4 GiB
constexpr unsigned kUserSlbSlot = 32;          // their SLB slots: 32..47
constexpr uval kUserEnd = kUserBase + (uval(kUserSegments) << kSegShift);
// A Linux process's space (AddressSpace::low, kernel/user.cc): EA 0-4 GiB,
// where static Linux programs are linked, in SLB slots 0-15 while its
// threads run in problem state; the kernel's linear map goes back there at
// the CPU's next thread switch (unload_low). The kernel never touches a
// process's memory through its segments: it looks the page up (lookup)
// and uses the frame's linear address.
constexpr uval kLowEnd = uval(16) << kSegShift;

// MSR bits and DSISR/SRR1 causes (Book III-S 6.5.3, 6.5.4).
constexpr u64 kMsrIR = 0x20, kMsrDR = 0x10;
constexpr u64 kCauseNoHpte = 0x40000000, kCauseProt = 0x08000000, kCauseStore = 0x02000000,
              kCauseNoExec = 0x10000000;

// HPTE fields this kernel uses.
constexpr u64 kHpteValid = 1, kHpteSecondary = 2, kHpteBolted = 0x10;                // doubleword 0
constexpr u64 kHpteR = 0x100, kHpteC = 0x80, kWimgM = 0x10, kWimgIG = 0x28, kPpRO = 3;  // doubleword 1
constexpr u64 kHpteN = 0x4;  // doubleword 1: no-execute (an instruction fetch takes an ISI, SRR1 bit 35)

enum class Tlbi : u64 { kTlbie = 0, kIpi = 1 };

// Per-CPU statistics (stats(cpu)); the events carry the same.
struct Stats {
  u64 linear_faults;     // kernel linear-map misses filled
  u64 faults;            // faults served for an address space
  u64 fault_cycles;
  u64 inserts, removes, evictions;
  u64 tlbie_sent;        // tlbie instructions issued by this CPU
  u64 ipis_sent;         // shootdown calls sent by this CPU
  u64 tlbiel_run;        // tlbiel executed here for another CPU's unmap
  u64 aspace_switches;
  u64 touches_lost;      // touch() loads whose translation another CPU removed first (skipped)
  u64 pad[5];
};

// Boot (CPU 0, before the page allocator): reads mmu= and tlbi=, places the
// hashed page table at the first suitably aligned address at or after
// `free_base` and returns the first free address after it (free_base when
// the MMU stays off).
uval boot_reserve(uval free_base, uval memory_bytes);
// CPU 0, after the heap: the linear map's bolted part.
void boot_map_kernel(uval image_end, uval stacks_base, uval memory_bytes);
// Every CPU: SDR1, the kernel SLB entries, translation on.
void init_cpu();

bool enabled();
Tlbi tlbi_method();
void set_tlbi_method(Tlbi m);  // tests
uval hpt_base();
u64 hpt_bytes();
const Stats& stats(unsigned cpu);

// The translation bits of the current MSR, and back to them (schedule()).
inline u64 mode() {
  u64 m;
  asm volatile("mfmsr %0" : "=r"(m));
  return m & (kMsrIR | kMsrDR);
}
void set_mode(u64 ir_dr);
inline void enter_mode(u64 ir_dr) {
  if (mode() != ir_dr) set_mode(ir_dr);
}
// The mode a thread runs in: translated when the MMU is on.
u64 thread_mode();

// VSID of an effective address in `as` (kernel segments when as is null or
// ea is below kUserBase); 0 when no segment covers it.
u64 vsid_of(const AddressSpace* as, uval ea);
// Inserts the translation ea -> frame in `as` (wimg: kWimgM or kWimgIG).
// Replaces an existing one for the same page. kErrNoMemory: both groups
// full of bolted entries.
SysStatus map(const AddressSpace* as, uval ea, uval frame, u64 wimg = kWimgM, u64 pp = 0);
// Removes ea's translation from the table and invalidates it on the CPUs in
// `cpus` (tlbie: on every CPU, once, when cpus is not 0). Returns how many
// CPUs were interrupted (IPI method) — 0 with tlbie. `had` reports whether
// a valid HPTE was found.
u64 unmap(const AddressSpace* as, uval ea, u64 cpus, bool* had = nullptr);
// A load through kernel address `ea` (the file-mapping segments), to fill
// this CPU's TLB with its translation (FCM::mapPage). When another CPU
// removed the translation first, the data storage interrupt skips the load
// instead of faulting: returns whether the load happened.
bool touch(uval ea);
// Only the invalidation (the HPTE is gone already, or never existed): what
// an FCM's unconditional shootdown does.
u64 invalidate(const AddressSpace* as, uval ea, u64 cpus);
// Looks ea up as the hardware would: true and *frame when a valid HPTE maps it.
bool lookup(const AddressSpace* as, uval ea, uval* frame, u64* hpte0 = nullptr, u64* hpte1 = nullptr,
            bool* secondary = nullptr);

// The storage and segment interrupts (trap.cc): true when handled.
bool handle_fault(TrapFrame* f);
// Writes what the MMU knows about the fault in `f` (DSISR decoded, SLB and
// HPTE lookup) into buf, for the panic message.
void describe_fault(const TrapFrame* f, char* buf, unsigned size);

// Loads `as`'s segments into this CPU's process SLB slots (scheduler).
void switch_aspace(AddressSpace* as);
// The calling thread moves into `as` (its threads' faults go to its mappings).
void enter_aspace(AddressSpace* as);
// A Linux space's segments into slots 0-15 (real mode, interrupts off: on
// the way to problem state), and the kernel's back (schedule(), after a
// switch, and before a new thread's first translated instruction).
void load_low(AddressSpace* as);
void unload_low();

}  // namespace mmu

// A process's address space: its VSIDs and the ranges its faults go to.
// Locking: mappings are added and removed under `lock`, inside a write of
// the sequence count `seq` (odd while a change is under way); the fault
// path reads them without the lock (in real mode, interrupts off) and reads
// again if `seq` was odd or moved meanwhile. So faults on every CPU of one
// program share the lines they read and write none (a lock taken per fault
// made one line bounce between all of them, as mmap_sem did in Linux).
struct AddressSpace {
  // A range's owner: serves a fault at `ea` (the access: a load, a store or
  // an instruction fetch) by calling mmu::map, or returns an error (the
  // fault is then unhandled).
  enum Access : u8 { kLoad = 0, kStore = 1, kFetch = 2 };
  typedef SysStatus (*FaultFn)(void* owner, AddressSpace* as, uval ea, Access access);
  struct Mapping {
    uval base, size;
    FaultFn fault;
    void* owner;
  };
  static constexpr unsigned kMaxMappings = 16;

  u64 asid;  // VSIDs: scrambled from (asid << 5) | segment (mmu.cc)
  bool low;  // a Linux process's space: EA 0 - kLowEnd (mmu.h), problem state only
  u64 cpus;  // CPUs that have run a thread of this space (where its translations may be)
  volatile u64 seq;
  u32 nmappings;
  Mapping mapping[kMaxMappings];
  SpinLock lock;

  static AddressSpace* create(bool low = false);  // nullptr: no memory or no ASIDs left
  void destroy();
  SysStatus add_mapping(uval base, uval size, FaultFn fn, void* owner);
  void remove_mapping(uval base);
  bool find(uval ea, Mapping* out) const;  // a copy: the owner may go meanwhile only after its pages
};
