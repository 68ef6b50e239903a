// Programs in problem state (include/kernel/user.h): loading a static
// ppc64 Linux executable from the initial image, its memory, the trap path
// from problem state, the Linux system calls, and the end of a process.
//
// System calls follow the ppc64 Linux ABI: `sc` with the number in r0 and
// up to six arguments in r3-r8; the result in r3, and on an error CR0[SO]
// set and r3 the positive errno. Their behaviour follows dusim run-elf's
// (sim/user_mode/README.md), which follows qemu-ppc64: a program's output
// and exit code are the same under both.
#include "kernel/user.h"

#include "kernel/atomic.h"
#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/initrd.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/trap.h"

extern "C" [[noreturn]] void user_resume(TrapFrame* f);  // user_entry.S: into problem state from f
extern "C" void user_fp_save(u64* area);                  // user_entry.S: f0-f31, FPSCR
extern "C" void user_fp_load(const u64* area);
void serve_interrupt(TrapFrame* f);                      // trap.cc

namespace user {

namespace {

constexpr uval kPage = kPageSize;
static_assert(kStackTop == mmu::kLowEnd - 0x10000, "below it the stack grows down");
// The signal trampoline's page, above the stack: every handler returns
// into it (li r0,172; sc: rt_sigreturn), as Linux's into its vDSO's
// __kernel_start_sigtramp_rt64.
constexpr uval kSigTramp = kStackTop;
const u8 kTrampoline[8] = {0x38, 0x00, 0x00, 0xac, 0x44, 0x00, 0x00, 0x02};
constexpr uval kStackBytes = 8u << 20;               // RLIMIT_STACK
constexpr uval kMmapBase = 0x80000000ul, kMmapEnd = 0xe0000000ul;
constexpr unsigned kMaxAreas = 256;  // (each thread's stack is one: 64 threads need 70 or so)
constexpr unsigned kMaxThreads = 128;
constexpr u64 kPid = 1000;  // as run-elf
constexpr u64 kMsrFP = 0x2000;
// A program starts with MSR[FP] clear: its first floating-point instruction
// takes the FP-unavailable interrupt, which gives it the registers.
// MSR[FE0 FE1]: floating-point enabled exceptions are precise (Linux's
// PR_FP_EXC_PRECISE), so a program that sets an FPSCR enable bit gets its
// SIGFPE at the instruction, as under qemu-ppc64 and run-elf.
constexpr u64 kMsrFE0 = 1ull << 11, kMsrFE1 = 1ull << 8;
constexpr u64 kFpscrFEX = 1u << 30;
constexpr u64 kMsrUser = mach::msr::kSF | mach::msr::kEE | mach::msr::kPR | mach::msr::kME | mach::msr::kRI |
                         mmu::kMsrIR | mmu::kMsrDR | kMsrFE0 | kMsrFE1;
constexpr u64 kCr0So = 0x10000000;

// errno values (asm-generic/errno-base.h, errno.h).
enum : s64 {
  kEPERM = 1, kENOENT = 2, kESRCH = 3, kEINTR = 4, kEIO = 5, kEBADF = 9, kECHILD = 10, kEAGAIN = 11, kENOMEM = 12, kEFAULT = 14,
  kEEXIST = 17, kENODEV = 19, kENOTDIR = 20, kEISDIR = 21, kEINVAL = 22, kEMFILE = 24, kEACCES = 13, kENOTTY = 25, kESPIPE = 29, kEROFS = 30,
  kERANGE = 34, kENAMETOOLONG = 36, kENOSYS = 38, kELOOP = 40, kETIMEDOUT = 110,
};
enum : unsigned { kSIGILL = 4, kSIGTRAP = 5, kSIGABRT = 6, kSIGBUS = 7, kSIGFPE = 8, kSIGKILL = 9, kSIGSEGV = 11 };

// A range of the program's memory and where its pages' bytes come from:
// zeros, then the file's bytes where [file_ea, file_ea + file_bytes) covers
// the page.
struct Area {
  uval base, end;
  u32 prot;  // kRead | kWrite | kExec
  const u8* file;
  uval file_ea;
  u64 file_bytes;
  // Backed by a memory object (ObjectHooks): page `ea` is page mem_base +
  // (ea - mem_origin) / kPage of memory object mem_obj (0: the program's
  // anonymous memory object: an mmap area, whose pages' bits are in
  // Process::mem_touched; else the area's own FCM, with `touched`: a bit
  // per page of the area, from mem_origin, that a fault mapped).
  bool mem;
  u32 mem_base;
  uval mem_origin;
  u64 mem_obj = 0;
  volatile u64* touched = nullptr;
  u32 kind = 0;  // what serves its faults (kMemory*, PROGRAM_FAULT's `memory`)
};
// An area's kind: the kernel's own frames, or which memory object.
enum : u32 {
  kMemoryKernel = 0, kMemoryAnonymous = 1, kMemoryFile = 2, kMemoryCopy = 3, kMemoryStack = 4, kMemoryHeap = 5,
  kMemoryFileMap = 6,  // a private mapping of a file (mmap): a copy of it, like a writable segment
};
enum : u32 { kRead = 1, kWrite = 2, kExec = 4 };

// vpage -> frame, open addressing (0 is no key: page 0 is never mapped).
struct PageTable {
  u64* keys = nullptr;
  uval* frames = nullptr;
  u64 cap = 0, used = 0;

  uval get(u64 vpn) const {
    if (!cap) return 0;
    for (u64 i = hash(vpn) & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (keys[i] == vpn) return frames[i];
      if (!keys[i]) return 0;
    }
  }
  bool put(u64 vpn, uval frame) {
    if ((used + 1) * 2 > cap && !grow()) return false;
    u64 i = hash(vpn) & (cap - 1);
    while (keys[i] && keys[i] != vpn) i = (i + 1) & (cap - 1);
    if (!keys[i]) ++used;
    keys[i] = vpn;
    frames[i] = frame;
    return true;
  }
  // Removes vpn; returns its frame or 0 (backward-shift deletion).
  uval take(u64 vpn) {
    if (!cap) return 0;
    u64 i = hash(vpn) & (cap - 1);
    while (keys[i] != vpn) {
      if (!keys[i]) return 0;
      i = (i + 1) & (cap - 1);
    }
    uval frame = frames[i];
    keys[i] = 0;
    --used;
    for (u64 j = (i + 1) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1)) {
      u64 k = keys[j];
      uval fr = frames[j];
      keys[j] = 0;
      --used;
      put_fresh(k, fr);
    }
    return frame;
  }
  static u64 hash(u64 v) { return (v * 0x9e3779b97f4a7c15ull) >> 17; }
  void put_fresh(u64 vpn, uval frame) {
    u64 i = hash(vpn) & (cap - 1);
    while (keys[i]) i = (i + 1) & (cap - 1);
    keys[i] = vpn;
    frames[i] = frame;
    ++used;
  }
  bool grow() {
    u64 ncap = cap ? cap * 2 : 256;
    u64* nk = static_cast<u64*>(kzalloc(ncap * sizeof(u64)));
    uval* nf = static_cast<uval*>(kzalloc(ncap * sizeof(uval)));
    if (!nk || !nf) {
      kfree(nk);
      kfree(nf);
      return false;
    }
    u64* ok = keys;
    uval* of = frames;
    u64 ocap = cap;
    keys = nk, frames = nf, cap = ncap, used = 0;
    for (u64 i = 0; i < ocap; ++i)
      if (ok[i]) put_fresh(ok[i], of[i]);
    kfree(ok);
    kfree(of);
    return true;
  }
};

struct UThread;

}  // namespace

struct Process {
  SpinLock lock;
  AddressSpace* as;
  const u8* elf;
  u64 elf_size;
  u64 elf_obj;  // its file's FCM (ObjectHooks::file_open), 0: none
  char path[64];
  char name[32];
  Area area[kMaxAreas];
  unsigned nareas;
  volatile u64 areas_seq;  // odd while area[] changes (under lock); faults read it without the lock
  Mutex mm;                // mmap, munmap and brk, one at a time: a range is free again only once released
  u32 mem_pages, mem_next; // the memory object's pages, and the first not yet given to an area
  volatile u64* mem_touched;  // a bit per memory-object page a fault mapped: what an unmap must remove
  u64 heap_obj;               // the brk heap's memory object (0: the kernel's frames) and its pages
  u32 heap_pages;
  volatile u64* map_bitmaps[16];  // the `touched` bitmaps of file mappings (areas that split share one)
  unsigned nmap_bitmaps;
  PageTable pt;
  uval brk_start, brk_cur;
  bool stack_exec;   // PT_GNU_STACK asks for an executable stack
  uval phdr_ea, entry_desc;
  u64 phnum;
  // threads and the end
  UThread* threads[kMaxThreads];  // its live threads (under lock): tgkill finds its target here
  unsigned nthreads;
  u64 live;           // threads not yet ended
  u64 next_tid;
  volatile u64 dying; // exit_group or a kill: every thread ends at its next trap
  int status;
  bool done;
  WaitQueue done_wq;
  char report[640];
  ProcessStats st;
  u64 random_state;
  u64 rlimit[16][2];  // getrlimit's soft and hard limits (under lock)
  u32 umask;
  initrd::File cwd;   // its working directory (a directory of the image; the root at first)
  u64 start_tb;       // its clocks' zero (the clock object's, ObjectHooks::clock_*)
  volatile bool out_of_memory;  // a fault found no free frame
  unsigned first_cpu;
  unsigned index;     // p<i> of programs=N, in events
  u64 sample;         // every sample-th call is a PROGRAM_SYSCALL event (0: none)
  u64 obj;            // its process object (ObjectHooks), or 0
  u64 pid;
};

namespace {

struct UThread {
  Process* proc;
  u64 tid;
  u32 fault_region;  // which region and memory object served its last fault (PROGRAM_FAULT)
  u32 fault_memory;
  uval clear_child_tid;
  TrapFrame start;  // the registers it starts with
  u64 fp[33];       // f0-f31 and FPSCR while another thread holds this CPU's FPU
  // Its share of the process's counters, added to them when it ends: 64
  // CPUs' threads adding to one line on every call took turns for it.
  u64 syscalls, syscall_cycles, faults, fault_cycles;
  u64 sigmask;      // blocked signals (bit sig-1)
  volatile u64 pending;  // signals sent to it, not yet delivered (other threads add theirs atomically)
  bool fe_off;      // returns with MSR[FE0 FE1] off until its FPSCR[FEX] clears (fe_guard)
  char name[16];    // prctl PR_SET_NAME's (the program's name at first)
  uval ss_sp;       // sigaltstack's alternate stack (ss_size 0: none)
  u64 ss_size;
  u64 suspend_mask; // rt_sigsuspend's mask to restore after the handler (suspended: while it holds)
  bool suspended;
};

// Floating point, lazily (as Linux on ppc64 did before VSX): the FPU of a
// CPU holds the registers of at most one program thread, its owner; another
// thread's first FP instruction after a switch traps (0x800), and only then
// are the owner's registers saved and its own loaded. Threads never
// migrate, so an owner's registers are always on its own CPU.
UThread* g_fp_owner[kMaxCpus];

const ObjectHooks* g_hooks;

// Futex waiters: a record each on its own kernel stack (FutexWaiter),
// queued in the program's futex table object (ObjectHooks::fx_*) while it
// waits; a waker takes a record off and wakes its thread through the
// record's own queue; a waiter that timed out, was interrupted or is
// woken for its process's end takes itself off (fx_leave).
WaitQueue g_nanosleep_wq;  // threads in nanosleep (woken early by a signal: wake_sleepers)

UThread* current_uthread() { return static_cast<UThread*>(Thread::current()->user); }

const Area* find_area(const Process* p, uval ea) {
  for (unsigned i = 0; i < p->nareas; ++i)
    if (ea >= p->area[i].base && ea < p->area[i].end) return &p->area[i];
  return nullptr;
}

// A change of p's areas, under its lock: areas_seq odd meanwhile (partner:
// area_at's reads).
struct AreasWrite {
  Process* p;
  u64 irqs;
  explicit AreasWrite(Process* q) : p(q), irqs(q->lock.lock_irqsave()) {
    ++p->areas_seq;
    mach::lwsync();
  }
  ~AreasWrite() {
    mach::lwsync();
    ++p->areas_seq;
    p->lock.unlock_irqrestore(irqs);
  }
};

// A copy of the area holding ea, read without the lock (a fault on every
// CPU of a program must not meet on one line): false when none holds it.
bool area_at(Process* p, uval ea, Area* out) {
  for (;;) {
    u64 s = load_once(p->areas_seq);
    if (s & 1) {
      mach::cpu_relax();
      continue;
    }
    mach::lwsync();
    bool found = false;
    for (unsigned i = 0, n = load_once(p->nareas); i < n && i < kMaxAreas; ++i)
      if (ea >= p->area[i].base && ea < p->area[i].end) {
        *out = p->area[i];
        found = true;
        break;
      }
    mach::lwsync();
    if (load_once(p->areas_seq) == s) return found;
  }
}

// The frame behind page `page` (lock held): allocated, zeroed and filled
// from the file at its first use. 0: no area or no memory.
uval frame_locked(Process* p, uval page, u32* prot_out, bool* no_memory = nullptr) {
  const Area* a = find_area(p, page);
  if (!a) return 0;
  if (no_memory) *no_memory = true;  // from here on, only memory can be missing
  if (prot_out) *prot_out = a->prot;
  u64 vpn = page >> kPageShift;
  if (uval fr = p->pt.get(vpn)) {
    if (no_memory) *no_memory = false;
    return fr;
  }
  uval fr;
  if (page_allocator().allocPages(fr, kPage) != kOk) return 0;
  memset(reinterpret_cast<void*>(fr), 0, kPage);
  for (unsigned i = 0; i < p->nareas; ++i) {  // every segment with bytes in this page
    const Area& s = p->area[i];
    if (!s.file || s.file_ea >= page + kPage || s.file_ea + s.file_bytes <= page) continue;
    uval lo = max_of(page, s.file_ea), hi = min_of(page + kPage, s.file_ea + s.file_bytes);
    memcpy(reinterpret_cast<void*>(fr + (lo - page)), s.file + (lo - s.file_ea), hi - lo);
  }
  if (!p->pt.put(vpn, fr)) {
    page_allocator().deallocPages(fr, kPage);
    return 0;
  }
  atomic_fetch_add(&p->st.pages, u64(1));  // (under p->lock, but release_range counts down outside it)
  if (no_memory) *no_memory = false;
  return fr;
}

// The bit of page `page` of memory-object area a that says a fault mapped it.
volatile u64* touched_word(Process* p, const Area& a, uval page, u64* bit) {
  const u64 k = (a.touched ? 0 : a.mem_base) + ((page - a.mem_origin) >> kPageShift);
  *bit = 1ull << (k & 63);
  return (a.touched ? a.touched : p->mem_touched) + (k >> 6);
}

// The frame behind `page`, whatever kind of area holds it: a memory-object
// area's through its object and the program's region (object calls: the
// caller counts in a generation, interrupts on), any other the kernel's
// own (frame_locked). *region: 0 kernel, 1 shared, 2 partitioned;
// *memory: the area's kind (kMemory*; PROGRAM_FAULT's arguments).
uval frame_for(Process* p, uval page, u32* prot, bool* no_memory, u32* region, u32* memory = nullptr) {
  Area a;
  *no_memory = false;
  *region = 0;
  if (memory) *memory = 0;
  if (!area_at(p, page, &a)) return 0;
  *prot = a.prot;
  if (a.mem) {
    if (memory) *memory = a.kind;
    uval fr = 0;
    const u32 idx = a.mem_base + u32((page - a.mem_origin) >> kPageShift);
    SysStatus st = g_hooks->memory_fault(p->obj, a.mem_obj, page >> kPageShift, idx, &fr, region);
    if (st != kOk) {
      *no_memory = st == kErrNoMemory;
      return 0;
    }
    u64 bit;
    volatile u64* word = touched_word(p, a, page, &bit);
    if (!(load_once(*word) & bit)) atomic_fetch_or(word, bit);
    return fr;
  }
  u64 f = p->lock.lock_irqsave();
  uval fr = frame_locked(p, page, prot, no_memory);
  p->lock.unlock_irqrestore(f);
  return fr;
}

// The address space's fault owner: a fault in problem state anywhere below
// kLowEnd. kErrInvalid: no area there, or a store to a read-only one.
// A page without kExec is mapped no-execute (HPTE N): a fetch from it takes
// an ISI the kernel does not serve, so the program gets SIGSEGV with
// SEGV_ACCERR; a fetch that finds no translation is served only where the
// area allows execution.
SysStatus process_fault(void* owner, AddressSpace* as, uval page, AddressSpace::Access access) {
  const bool store = access == AddressSpace::kStore;
  Process* p = static_cast<Process*>(owner);
  u32 prot = 0, region = 0, memory = 0;
  bool no_memory = false;
  uval fr = frame_for(p, page, &prot, &no_memory, &region, &memory);
  if (UThread* ut = current_uthread()) {
    ut->fault_region = region;
    ut->fault_memory = memory;
  }
  if (!fr) {
    if (no_memory) p->out_of_memory = true;
    return no_memory ? kErrNoMemory : kErrInvalid;
  }
  if ((store && !(prot & kWrite)) || !(prot & (kRead | kExec)) || (access == AddressSpace::kFetch && !(prot & kExec)))
    return kErrInvalid;
  if (UThread* ut = current_uthread()) ++ut->faults;
  return mmu::map(as, page, fr, mmu::kWimgM, ((prot & kWrite) ? 2 : 3) | ((prot & kExec) ? 0 : mmu::kHpteN));
}

// Copies between the program's memory and the kernel's, page by page
// through the frames (the kernel never uses a program's segments).
bool copy_user(Process* p, uval ea, void* kbuf, u64 n, bool to_user) {
  u8* k = static_cast<u8*>(kbuf);
  while (n) {
    uval page = ea & ~(kPage - 1);
    u64 off = ea - page, chunk = min_of<u64>(n, kPage - off);
    u32 prot = 0, region;
    bool no_memory;
    uval fr = frame_for(p, page, &prot, &no_memory, &region);
    if (!fr || !(prot & (to_user ? kWrite : kRead))) return false;
    if (to_user) memcpy(reinterpret_cast<void*>(fr + off), k, chunk);
    else memcpy(k, reinterpret_cast<void*>(fr + off), chunk);
    ea += chunk, k += chunk, n -= chunk;
  }
  return true;
}
bool copy_in(Process* p, uval ea, void* k, u64 n) { return copy_user(p, ea, k, n, false); }
bool copy_out(Process* p, uval ea, const void* k, u64 n) { return copy_user(p, ea, const_cast<void*>(k), n, true); }
bool put_u64(Process* p, uval ea, u64 v) { return copy_out(p, ea, &v, 8); }
bool put_u32(Process* p, uval ea, u32 v) { return copy_out(p, ea, &v, 4); }
bool get_u64(Process* p, uval ea, u64* v) { return copy_in(p, ea, v, 8); }

// A NUL-terminated string from the program (at most size-1 characters),
// a page's part at a time (bytes after the NUL on its page are read too).
s64 get_string(Process* p, uval ea, char* buf, u64 size) {
  for (u64 i = 0; i < size;) {
    const u64 chunk = min_of<u64>(size - i, kPage - ((ea + i) & (kPage - 1)));
    if (!copy_in(p, ea + i, buf + i, chunk)) return -kEFAULT;
    for (u64 k = 0; k < chunk; ++k)
      if (!buf[i + k]) return s64(i + k);
    i += chunk;
  }
  return -kENAMETOOLONG;
}

// A path argument: at most PATH_MAX - 1 bytes, in a buffer of its own.
struct PathArg {
  char* s = nullptr;
  ~PathArg() { kfree(s); }
};
s64 get_path(Process* p, uval ea, PathArg* out) {
  constexpr u64 kPathMax = 4096;
  out->s = static_cast<char*>(kmalloc(kPathMax));
  if (!out->s) return -kENOMEM;
  s64 r = get_string(p, ea, out->s, kPathMax);
  return r < 0 ? r : 0;
}

bool add_area(Process* p, uval base, uval end, u32 prot, const u8* file = nullptr, uval file_ea = 0, u64 file_bytes = 0) {
  if (p->nareas == kMaxAreas) return false;
  p->area[p->nareas++] = Area{base, end, prot, file, file_ea, file_bytes, false, 0, 0};
  return true;
}

// The pages of [lo, hi) (part of memory-object area a) that a fault
// mapped, in runs of consecutive pages: each run's bits are cleared, then
// fn(first, end) is called. The other pages hold nothing anywhere (no
// translation: a program's HPTEs are never evicted and only a fault
// inserts one; no region entry; no frame in the memory object), and a
// bitmap word of zeros skips 64 of them at once: an 8 MiB thread stack
// with a few pages used costs a few pages' work.
template <class Fn>
void touched_runs(Process* p, const Area& a, uval lo, uval hi, Fn fn) {
  uval run = 0;
  bool in_run = false;
  for (uval page = lo; page < hi;) {
    u64 bit;
    volatile u64* word = touched_word(p, a, page, &bit);
    if (bit == 1 && !load_once(*word) && hi - page >= 64 * kPage) {
      if (in_run) fn(run, page);
      in_run = false;
      page += 64 * kPage;
      continue;
    }
    if (load_once(*word) & bit) {
      atomic_fetch_and(word, ~bit);
      if (!in_run) run = page;
      in_run = true;
    } else if (in_run) {
      fn(run, page);
      in_run = false;
    }
    page += kPage;
  }
  if (in_run) fn(run, hi);
}

// Removes the translations of the pages of [lo, hi) (part of memory-object
// area a) that a fault mapped. Their frames stay with the memory object.
void unmap_touched(Process* p, const Area& a, uval lo, uval hi) {
  touched_runs(p, a, lo, hi, [&](uval first, uval end) {
    for (uval page = first; page < end; page += kPage) mmu::unmap(p->as, page, p->as->cpus);
  });
}

// The pages of [lo, hi) (part of memory-object area a) that a fault mapped
// leave the region and the TLBs and, with `discard`, the memory object too
// (their frames go back: it reads zeros, or its file's bytes, again).
void drop_touched(Process* p, const Area& a, uval lo, uval hi, bool discard) {
  touched_runs(p, a, lo, hi, [&](uval first, uval end) {
    const u32 n = u32((end - first) >> kPageShift);
    g_hooks->memory_release(p->obj, first >> kPageShift, n);
    for (uval page = first; page < end; page += kPage) mmu::unmap(p->as, page, p->as->cpus);
    if (discard) g_hooks->memory_discard(p->obj, a.mem_obj, a.mem_base + u32((first - a.mem_origin) >> kPageShift), n);
  });
}

// Frees the kernel frame behind page number vpn, if any, and removes its
// translation.
void release_page(Process* p, u64 vpn) {
  const u64 f = p->lock.lock_irqsave();
  const uval fr = p->pt.take(vpn);
  p->lock.unlock_irqrestore(f);
  if (!fr) return;
  mmu::unmap(p->as, uval(vpn) << kPageShift, p->as->cpus);
  page_allocator().deallocPages(fr, kPage);
  atomic_fetch_add(&p->st.pages, u64(-1));
}

// Frees the frames of [lo, hi) (pages of areas without a memory object,
// the kernel's own frames) and removes their translations. The range's
// pages are looked up one by one, or, for a range larger than the page
// table (a big PROT_NONE reservation: most of it never touched), the
// table's entries in it are gathered in one pass and taken.
void release_range(Process* p, uval lo, uval hi) {
  const u64 first = lo >> kPageShift, end = hi >> kPageShift;
  u64 f = p->lock.lock_irqsave();
  const u64 cap = p->pt.cap, used = p->pt.used;
  p->lock.unlock_irqrestore(f);
  if (!used) return;  // (no kernel frames at all: a fault meanwhile in the range is as if it came after)
  u64* found = end - first > cap ? static_cast<u64*>(kmalloc(used * sizeof(u64))) : nullptr;
  if (!found) {
    for (u64 vpn = first; vpn < end; ++vpn) release_page(p, vpn);
    return;
  }
  u64 n = 0;
  f = p->lock.lock_irqsave();
  for (u64 i = 0; i < p->pt.cap && n < used; ++i)
    if (p->pt.keys[i] >= first && p->pt.keys[i] < end) found[n++] = p->pt.keys[i];
  p->lock.unlock_irqrestore(f);
  for (u64 k = 0; k < n; ++k) release_page(p, found[k]);
  kfree(found);
}

// ---- ELF (the checks a loader must make before trusting an offset) -----------
struct Ehdr {
  u8 ident[16];
  u16 type, machine;
  u32 version;
  u64 entry, phoff, shoff;
  u32 flags;
  u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct Phdr {
  u32 type, flags;
  u64 offset, vaddr, paddr, filesz, memsz, align;
};
struct Shdr {
  u32 name, type;
  u64 flags, addr, offset, size;
  u32 link, info;
  u64 addralign, entsize;
};
struct Sym {
  u32 name;
  u8 info, other;
  u16 shndx;
  u64 value, size;
};
static_assert(sizeof(Ehdr) == 64 && sizeof(Phdr) == 56 && sizeof(Shdr) == 64 && sizeof(Sym) == 24, "ELF64");
enum : u32 { PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551, PF_X = 1, PF_W = 2, PF_R = 4 };

bool in_file(u64 size, u64 off, u64 len) { return off <= size && len <= size - off; }

const char* load_elf(Process* p) {
  if (p->elf_size < sizeof(Ehdr)) return "not an ELF file (too short)";
  Ehdr e;
  memcpy(&e, p->elf, sizeof e);
  if (memcmp(e.ident, "\177ELF", 4) != 0) return "not an ELF file";
  if (e.ident[4] != 2) return "not a 64-bit ELF file";
  if (e.ident[5] != 2) return "not a big-endian ELF file (ppc64 is big-endian)";
  if (e.machine != 21) return "not a 64-bit PowerPC program (e_machine is not EM_PPC64)";
  if ((e.flags & 3) == 2) return "an ELFv2 program (this kernel runs ELFv1, the big-endian ABI)";
  if (e.phentsize != sizeof(Phdr) || !e.phnum || e.phnum > 64 || !in_file(p->elf_size, e.phoff, u64(e.phnum) * sizeof(Phdr)))
    return "its program headers lie outside the file";
  for (unsigned i = 0; i < e.phnum; ++i) {
    Phdr ph;
    memcpy(&ph, p->elf + e.phoff + i * sizeof(Phdr), sizeof ph);
    if (ph.type == PT_INTERP) return "a dynamically linked program (it names an interpreter; link it with -static)";
    if (ph.type == PT_GNU_STACK) p->stack_exec = ph.flags & PF_X;  // (none: not executable, as on Linux/ppc64)
  }
  if (e.type == 3) return "a shared object or position-independent executable (only static executables run)";
  if (e.type != 2) return "not an executable (e_type is not ET_EXEC)";
  uval top = 0;
  unsigned loads = 0;
  for (unsigned i = 0; i < e.phnum; ++i) {
    Phdr ph;
    memcpy(&ph, p->elf + e.phoff + i * sizeof(Phdr), sizeof ph);
    if (ph.type != PT_LOAD || !ph.memsz) continue;
    if (ph.filesz > ph.memsz || !in_file(p->elf_size, ph.offset, ph.filesz)) return "a segment's bytes lie outside the file";
    if (ph.vaddr < 0x10000 || ph.vaddr + ph.memsz < ph.vaddr || ph.vaddr + ph.memsz > kMmapBase)
      return "a segment lies outside the program area (64 KiB - 2 GiB)";
    u32 prot = (ph.flags & PF_R ? u32(kRead) : 0u) | (ph.flags & PF_W ? u32(kWrite) : 0u) | (ph.flags & PF_X ? u32(kExec) : 0u);
    uval lo = ph.vaddr & ~(kPage - 1), hi = round_up<uval>(ph.vaddr + ph.memsz, kPage);
    for (unsigned k = 0; k < p->nareas; ++k)
      if (lo < p->area[k].end && p->area[k].base < hi) return "two segments share a page";
    if (!add_area(p, lo, hi, prot, p->elf + ph.offset, ph.vaddr, ph.filesz)) return "too many segments";
    if (e.phoff >= ph.offset && e.phoff - ph.offset < ph.filesz) p->phdr_ea = ph.vaddr + (e.phoff - ph.offset);
    top = max_of(top, hi);
    ++loads;
  }
  if (!loads) return "no loadable segment";
  if (!find_area(p, e.entry)) return "its entry point lies in no segment";
  p->entry_desc = e.entry;
  p->phnum = e.phnum;
  p->brk_start = p->brk_cur = top;
  return nullptr;
}

// Area a (empty so far, at its first address) is memory object `obj` from
// its page `first` on, with its own bitmap of the pages faults mapped.
void back_area(Area& a, u64 obj, u32 first, volatile u64* touched, u32 kind) {
  a.mem = true;
  a.mem_obj = obj;
  a.mem_base = first;
  a.mem_origin = a.base;
  a.touched = touched;
  a.kind = kind;
}
volatile u64* new_bitmap(u64 pages) { return static_cast<volatile u64*>(kzalloc((pages + 63) / 64 * 8)); }

// Gives area a (empty so far) its own memory object `obj` of npages pages
// (kind: kMemoryStack, kMemoryHeap), page 0 at its base; false (the area
// keeps the kernel's frames) when none could be made.
bool attach_own(Area& a, u64 obj, u32 npages, u32 kind) {
  if (!obj) return false;
  volatile u64* touched = new_bitmap(npages);
  if (!touched) return false;  // (the object goes with the program's others)
  back_area(a, obj, 0, touched, kind);
  return true;
}

// Each loaded segment as memory objects (ObjectHooks), before anything
// touches it: a read-only one whose pages all hold file bytes is its
// file's FCM, mapped read-only (so programs running one file share its
// pages); any other a private copy of its part of the file (zeros past
// the segment's file bytes: its bss). A segment whose file offset is not
// page-aligned with its address, or whose objects cannot be made, keeps
// the kernel's own frames (frame_locked).
void attach_segments(Process* p) {
  p->elf_obj = g_hooks->file_open(p->elf, p->elf_size);
  if (!p->elf_obj) return;
  for (unsigned i = 0; i < p->nareas; ++i) {
    Area& a = p->area[i];
    if (!a.file) continue;
    const u64 off = u64(a.file - p->elf) - (a.file_ea - a.base);  // the file offset of page a.base
    if (off & (kPage - 1)) continue;
    const u32 n = u32((a.end - a.base) >> kPageShift);
    const uval file_end = a.file_ea + a.file_bytes;
    volatile u64* touched = new_bitmap(n);
    if (!touched) continue;
    if (!(a.prot & kWrite) && round_up<uval>(file_end, kPage) >= a.end) {
      back_area(a, p->elf_obj, u32(off >> kPageShift), touched, kMemoryFile);
    } else if (u64 copy = g_hooks->memory_create(p->obj, p->elf_obj, u32(off >> kPageShift), a.file_ea - a.base,
                                                 file_end - a.base, n)) {
      back_area(a, copy, 0, touched, kMemoryCopy);
    } else {
      kfree(const_cast<u64*>(touched));
    }
  }
}

// The symbol around `pc` from the program's own symbol table (ELFv1: a
// function symbol's value is its descriptor; the code address is the
// descriptor's first doubleword, read from the file).
bool program_symbol(const Process* p, uval pc, const char** name, u64* off) {
  Ehdr e;
  memcpy(&e, p->elf, sizeof e);
  if (e.shentsize != sizeof(Shdr) || !in_file(p->elf_size, e.shoff, u64(e.shnum) * sizeof(Shdr))) return false;
  auto shdr = [&](unsigned i) {
    Shdr s;
    memcpy(&s, p->elf + e.shoff + i * sizeof(Shdr), sizeof s);
    return s;
  };
  // file offset of a virtual address inside a PT_LOAD's file bytes
  auto file_off = [&](uval ea, u64* out) {
    for (unsigned i = 0; i < p->nareas; ++i) {
      const Area& a = p->area[i];
      if (a.file && a.file >= p->elf && a.file < p->elf + p->elf_size && ea >= a.file_ea &&
          ea + 8 <= a.file_ea + a.file_bytes) {  // (the program's own segments, not the trampoline's page)
        *out = u64(a.file - p->elf) + (ea - a.file_ea);
        return true;
      }
    }
    return false;
  };
  const char* best = nullptr;
  u64 best_addr = 0;
  for (unsigned i = 0; i < e.shnum; ++i) {
    Shdr s = shdr(i);
    if (s.type != 2 /* SHT_SYMTAB */ || s.entsize != sizeof(Sym) || s.link >= e.shnum) continue;
    Shdr str = shdr(s.link);
    if (!in_file(p->elf_size, s.offset, s.size) || !in_file(p->elf_size, str.offset, str.size)) continue;
    for (u64 k = 0; k < s.size / sizeof(Sym); ++k) {
      Sym y;
      memcpy(&y, p->elf + s.offset + k * sizeof(Sym), sizeof y);
      if ((y.info & 15) != 2 /* STT_FUNC */ || y.name >= str.size) continue;
      u64 at, code = y.value;
      if (file_off(y.value, &at)) {
        u64 v;
        memcpy(&v, p->elf + at, 8);
        if (find_area(p, v)) code = v;
      }
      if (code <= pc && (y.size ? pc < code + y.size : true) && code >= best_addr) {
        best = reinterpret_cast<const char*>(p->elf + str.offset + y.name);
        best_addr = code;
      }
    }
  }
  if (!best) return false;
  *name = best;
  *off = pc - best_addr;
  return true;
}

// ---- the stack Linux builds (fs/binfmt_elf.c create_elf_tables) ---------------
enum : u64 {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9,
  AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
  AT_DCACHEBSIZE = 19, AT_ICACHEBSIZE = 20, AT_UCACHEBSIZE = 21, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26,
  AT_EXECFN = 31,
};
constexpr u64 kHwcap = 0xc4000000ull;  // PPC_FEATURE_32 | _64 | _HAS_MMU ... as run-elf says (64-bit, FPU, MMU)

const char* build_stack(Process* p, const SpawnOptions& o, TrapFrame* f) {
  uval sp = kStackTop;
  auto push_bytes = [&](const void* b, u64 n) {
    sp -= n;
    return copy_out(p, sp, b, n);
  };
  const char* argv0 = o.argc ? o.argv[0] : p->path;
  uval strs[64 + 64];
  unsigned argc = o.argc ? o.argc : 1, envc = o.envc;
  if (argc > 64 || envc > 64) return "too many arguments";
  if (!push_bytes(p->path, strlen(p->path) + 1)) return "no memory for the stack";
  uval execfn = sp;
  for (unsigned i = 0; i < argc; ++i) {
    const char* a = i == 0 ? argv0 : o.argv[i];
    if (!push_bytes(a, strlen(a) + 1)) return "no memory for the stack";
    strs[i] = sp;
  }
  for (unsigned i = 0; i < envc; ++i) {
    if (!push_bytes(o.envp[i], strlen(o.envp[i]) + 1)) return "no memory for the stack";
    strs[64 + i] = sp;
  }
  static const char platform[] = "power5";
  push_bytes(platform, sizeof platform);
  uval platform_at = sp;
  u8 random[16];
  for (unsigned i = 0; i < 16; ++i) random[i] = u8(0x5a ^ (i * 37));  // fixed: runs are deterministic
  push_bytes(random, 16);
  uval random_at = sp;
  sp &= ~uval(15);
  const u64 aux[][2] = {{AT_DCACHEBSIZE, 128}, {AT_ICACHEBSIZE, 128}, {AT_UCACHEBSIZE, 0}, {AT_PHDR, p->phdr_ea},
                        {AT_PHENT, 56}, {AT_PHNUM, p->phnum}, {AT_PAGESZ, kPage}, {AT_BASE, 0}, {AT_FLAGS, 0},
                        {AT_ENTRY, p->entry_desc}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0},
                        {AT_HWCAP, kHwcap}, {AT_HWCAP2, 0}, {AT_CLKTCK, 100}, {AT_SECURE, 0}, {AT_RANDOM, random_at},
                        {AT_PLATFORM, platform_at}, {AT_EXECFN, execfn}, {AT_NULL, 0}};
  const u64 naux = sizeof aux / sizeof aux[0];
  u64 words = 1 + argc + 1 + envc + 1 + 2 * naux;
  sp -= words * 8;
  sp &= ~uval(15);
  uval w = sp;
  bool ok = put_u64(p, w, argc);
  w += 8;
  uval argv_at = w;
  for (unsigned i = 0; i < argc; ++i, w += 8) ok = ok && put_u64(p, w, strs[i]);
  ok = ok && put_u64(p, w, 0);
  w += 8;
  uval envp_at = w;
  for (unsigned i = 0; i < envc; ++i, w += 8) ok = ok && put_u64(p, w, strs[64 + i]);
  ok = ok && put_u64(p, w, 0);
  w += 8;
  uval auxv_at = w;
  for (u64 i = 0; i < naux; ++i, w += 16) ok = ok && put_u64(p, w, aux[i][0]) && put_u64(p, w + 8, aux[i][1]);
  if (!ok) return "no memory for the stack";
  u64 entry = 0, toc = 0;
  if (!get_u64(p, p->entry_desc, &entry) || !get_u64(p, p->entry_desc + 8, &toc) || !find_area(p, entry))
    return "its entry point is not a function descriptor (ELFv1) naming code in the program";
  memset(f, 0, sizeof *f);
  f->gpr[1] = sp;
  f->gpr[2] = toc;
  f->gpr[3] = argc;
  f->gpr[4] = argv_at;
  f->gpr[5] = envp_at;
  f->gpr[6] = auxv_at;
  f->pc = entry;
  f->msr = kMsrUser;
  return nullptr;
}

// ---- the end of threads and processes --------------------------------------------
void finish_process(Process* p) {
  u64 out_bytes = 0, digest = 0;
  if (p->obj) {
    g_hooks->out_flush(p->obj);
    g_hooks->out_totals(p->obj, &out_bytes, &digest);
  }
  ev::emit(ev::PROGRAM_END, p->index, u64(p->status), p->st.syscalls, p->st.faults, out_bytes, digest);
  u64 f = p->done_wq.lock.lock_irqsave();
  p->done = true;
  p->done_wq.wake_all_locked();
  p->done_wq.lock.unlock_irqrestore(f);
}

// Lock held. Up to n waiters on the word whose bitset meets `bitset` leave
// the list, woken (or, with to != 0, move to word `to`); returns how many.
// The program's futex word at addr as a kernel pointer (into its frame;
// the page faulted in as the program's access would be): nullptr when
// nothing readable (or, for `write`, writable) is there.
volatile u32* futex_word(Process* p, uval addr, bool write) {
  u32 prot = 0, region;
  bool no_memory;
  const uval page = addr & ~(kPage - 1);
  const uval fr = frame_for(p, page, &prot, &no_memory, &region);
  if (!fr || !(prot & kRead) || (write && !(prot & kWrite))) return nullptr;
  return reinterpret_cast<volatile u32*>(fr + (addr - page));
}

u64 futex_wake(Process* p, uval addr, bool shared, u32 bitset, u64 n) {
  return g_hooks->fx_wake(p->obj, addr, shared, bitset, n);
}

// Wakes p's futex waiters (only ut's, if given) without taking them off:
// each looks why (its process ends, or a signal came) and leaves.
void futex_nudge(Process* p, UThread* ut = nullptr) { g_hooks->fx_nudge(p->obj, ut); }

// A signal for `ut`, which may be asleep in a call: its futex wait, or
// every nanosleep (each looks at its own pending signals) is woken.
void wake_sleepers(Process* p, UThread* ut) {
  futex_nudge(p, ut);
  g_nanosleep_wq.wake_all();
}

bool signal_ready(const UThread* ut) { return ut && (load_once(ut->pending) & ~ut->sigmask); }

// The process's list of live threads (tgkill's targets), under its lock.
bool add_thread(Process* p, UThread* ut) {
  u64 f = p->lock.lock_irqsave();
  bool ok = p->nthreads < kMaxThreads;
  if (ok) p->threads[p->nthreads++] = ut;
  p->lock.unlock_irqrestore(f);
  return ok;
}
void remove_thread(Process* p, UThread* ut) {
  u64 f = p->lock.lock_irqsave();
  for (unsigned i = 0; i < p->nthreads; ++i)
    if (p->threads[i] == ut) {
      p->threads[i] = p->threads[--p->nthreads];
      break;
    }
  p->lock.unlock_irqrestore(f);
}

[[noreturn]] void end_thread() {
  UThread* ut = current_uthread();
  Process* p = ut->proc;
  irq_enable();
  Thread::quiescent_end();  // the calls below reach objects: count in a generation
  if (p->obj) g_hooks->thread_removed(p->obj);
  if (ut->clear_child_tid && !p->dying) {  // CLONE_CHILD_CLEARTID: pthread_join waits on it
    put_u32(p, ut->clear_child_tid, 0);
    futex_wake(p, ut->clear_child_tid, true, ~0u, 1);  // (a shared wake, as Linux's)
  }
  {
    u64 f = irq_save();
    if (g_fp_owner[cpu_id()] == ut) g_fp_owner[cpu_id()] = nullptr;
    Thread::current()->user = nullptr;
    irq_restore(f);
  }
  atomic_fetch_add(&p->st.syscalls, ut->syscalls);
  atomic_fetch_add(&p->st.syscall_cycles, ut->syscall_cycles);
  atomic_fetch_add(&p->st.faults, ut->faults);
  atomic_fetch_add(&p->st.fault_cycles, ut->fault_cycles);
  remove_thread(p, ut);
  kfree(ut);
  atomic_fetch_add(&p->st.threads, u64(1));
  if (atomic_fetch_add(&p->live, u64(-1)) == 1) finish_process(p);
  Thread::exit();
}

// The process ends: every other thread ends at its next trap, and one that
// waits on a futex is woken for it.
void set_status_once(Process* p, int status) {
  u64 f = p->lock.lock_irqsave();
  bool first = !p->dying;
  if (first) {
    p->status = status;
    p->dying = 1;
  }
  p->lock.unlock_irqrestore(f);
  if (first && p->live > 1) futex_nudge(p);
}

[[noreturn]] void kill_process(TrapFrame* f, unsigned sig, const char* what) {
  Process* p = current_uthread()->proc;
  irq_enable();             // (the frame is saved: a thread context on its own stack)
  Thread::quiescent_end();  // reading its memory may go through objects
  const char* sym = nullptr;
  u64 off = 0;
  bool have = program_symbol(p, f->pc, &sym, &off);
  u32 insn = 0;
  bool have_insn = copy_in(p, f->pc, &insn, 4);
  char mmu_what[160] = "";
  if (f->vector == vec::kDataStorage || f->vector == vec::kInstStorage || f->vector == 0x380 || f->vector == 0x480)
    mmu::describe_fault(f, mmu_what, sizeof mmu_what);
  u64 lf = p->lock.lock_irqsave();
  bool first = !p->dying;
  if (first) {
    ksnprintf(p->report, sizeof p->report,
              "%s killed by signal %u: %s on cpu %u at pc 0x%lx (%s+0x%lx), instruction %s0x%08x%s%s; lr 0x%lx r1 0x%lx",
              p->name, sig, what, cpu_id(), f->pc, have ? sym : "?", off, have_insn ? "" : "(unreadable) ", insn,
              mmu_what[0] ? "; " : "", mmu_what, f->lr, f->gpr[1]);
    p->status = int(128 + sig);
    p->dying = 1;
  }
  p->lock.unlock_irqrestore(lf);
  if (first && p->live > 1) futex_nudge(p);
  if (first) {
    kprintf("user: %s\n", p->report);
    ev::emit(ev::PROGRAM_KILLED, p->index, sig, f->pc, f->dar);
  }
  end_thread();
}

// ---- signals (arch/powerpc/kernel/signal_64.c's frame) ------------------------------
// Handlers run on the program's stack in an rt_sigframe: the ucontext
// (sigmask, the interrupted registers in its sigcontext), room for a
// trampoline (left empty: the stack is not executable), the siginfo. A
// handler returns into the trampoline page every program has above its
// stack, as Linux's into its vDSO's (li r0,172; sc: rt_sigreturn).
// A synchronous fault (SIGSEGV, SIGILL, SIGTRAP, SIGFPE, SIGBUS) with a
// handler that is not blocked runs it; otherwise the default action (for
// these, and for every signal this kernel sends, the end of the process,
// or nothing for those ignored by default). kill/tkill/tgkill to itself
// make the signal pending on the calling thread, delivered when it
// returns to problem state with the signal unblocked.
namespace uc {
constexpr unsigned kStack = 16, kSigmask = 40, kMcontext = 168, kSize = 168 + 1528;
}
namespace sc {
constexpr unsigned kSignal = 32, kHandler = 40, kOldmask = 48, kRegs = 56, kGpRegs = 64, kFpRegs = 448;
}
enum : unsigned { kPtNip = 32, kPtMsr = 33, kPtOrigR3 = 34, kPtCtr = 35, kPtLnk = 36, kPtXer = 37, kPtCcr = 38,
                  kPtTrap = 40, kPtDar = 41, kPtDsisr = 42 };
namespace sframe {
constexpr unsigned kUc = 0, kTramp = uc::kSize + 16, kPinfo = kTramp + 32, kPuc = kPinfo + 8, kInfo = kPuc + 8,
                   kAbiGap = kInfo + 128, kSize = kAbiGap + 512;
static_assert(kSize % 16 == 0, "the frame keeps the stack aligned");
}
constexpr u64 kSaSiginfo = 4, kSaOnstack = 0x08000000, kSaNodefer = 0x40000000, kSaResethand = 0x80000000;
constexpr u64 kUnblockable = (1ull << (kSIGKILL - 1)) | (1ull << (19 - 1));  // SIGKILL, SIGSTOP
constexpr u64 bit(unsigned sig) { return 1ull << (sig - 1); }
bool ignored_by_default(unsigned sig) { return sig == 17 || sig == 23 || sig == 28; }  // SIGCHLD, SIGURG, SIGWINCH

bool on_altstack(const UThread* ut, uval sp) { return ut->ss_size && sp > ut->ss_sp && sp <= ut->ss_sp + ut->ss_size; }

void save_fp(UThread* ut, u64* out) {
  u64 f = irq_save();
  if (g_fp_owner[cpu_id()] == ut) user_fp_save(out);
  else memcpy(out, ut->fp, sizeof ut->fp);
  irq_restore(f);
}
void restore_fp(UThread* ut, const u64* in) {
  u64 f = irq_save();
  memcpy(ut->fp, in, sizeof ut->fp);
  if (ut->fp[32] & kFpscrFEX) ut->fe_off = true;  // (prepare_return: fe_guard)
  if (g_fp_owner[cpu_id()] == ut) user_fp_load(ut->fp);
  irq_restore(f);
}

// The ucontext (its mask and the registers of f: the mcontext's gp_regs
// and FP registers) at uc, a kernel copy of what goes to the program's
// uc_ea. Leaves uc_stack, uc_link and the signal fields alone.
void fill_ucontext(UThread* ut, const TrapFrame* f, u8* uc, uval uc_ea, u64 mask) {
  auto w64 = [&](unsigned off, u64 v) { memcpy(uc + off, &v, 8); };
  w64(uc::kSigmask, mask);
  const unsigned mc = uc::kMcontext;
  w64(mc + sc::kOldmask, mask);
  w64(mc + sc::kRegs, uc_ea + mc + sc::kGpRegs);
  for (unsigned k = 0; k < 32; ++k) w64(mc + sc::kGpRegs + 8 * k, f->gpr[k]);
  w64(mc + sc::kGpRegs + 8 * kPtNip, f->pc);
  w64(mc + sc::kGpRegs + 8 * kPtMsr, f->msr);
  w64(mc + sc::kGpRegs + 8 * kPtOrigR3, f->gpr[3]);
  w64(mc + sc::kGpRegs + 8 * kPtCtr, f->ctr);
  w64(mc + sc::kGpRegs + 8 * kPtLnk, f->lr);
  w64(mc + sc::kGpRegs + 8 * kPtXer, f->xer);
  w64(mc + sc::kGpRegs + 8 * kPtCcr, f->cr);
  w64(mc + sc::kGpRegs + 8 * kPtTrap, f->vector);
  w64(mc + sc::kGpRegs + 8 * kPtDar, f->dar);
  w64(mc + sc::kGpRegs + 8 * kPtDsisr, f->dsisr);
  u64 fp[33];
  save_fp(ut, fp);
  memcpy(uc + mc + sc::kFpRegs, fp, sizeof fp);
}

// Sets f up to run sig's handler; false when the frame cannot be written
// (the caller kills the process, as Linux does with SIGSEGV).
bool setup_frame(UThread* ut, TrapFrame* f, const SigAction& a, unsigned sig, u64 code, u64 addr) {
  Process* p = ut->proc;
  const bool alt = ut->ss_size && !on_altstack(ut, f->gpr[1]);
  uval sp = (a.flags & kSaOnstack) && alt ? ut->ss_sp + ut->ss_size : f->gpr[1];
  uval frame = (sp - sframe::kSize) & ~uval(15);
  // The mask the handler's return restores: rt_sigsuspend's caller's.
  const u64 old_mask = ut->suspended ? ut->suspend_mask : ut->sigmask;
  ut->suspended = false;
  static_assert(sframe::kAbiGap <= 2048, "the frame is built on the kernel stack");
  u8 b[sframe::kAbiGap];
  memset(b, 0, sizeof b);
  auto w64 = [&](unsigned off, u64 v) { memcpy(b + off, &v, 8); };
  auto w32 = [&](unsigned off, u32 v) { memcpy(b + off, &v, 4); };
  w64(uc::kStack, ut->ss_sp);  // uc_stack
  w32(uc::kStack + 8, !ut->ss_size ? 2 : alt ? 0 : 1);  // SS_DISABLE, or SS_ONSTACK when it runs there already
  w64(uc::kStack + 16, ut->ss_size);
  fill_ucontext(ut, f, b + sframe::kUc, frame + sframe::kUc, old_mask);
  const unsigned mc = uc::kMcontext;
  w32(mc + sc::kSignal, sig);
  w64(mc + sc::kHandler, a.handler);
  u64 fp[33];
  save_fp(ut, fp);
  w64(sframe::kPinfo, frame + sframe::kInfo);
  w64(sframe::kPuc, frame + sframe::kUc);
  w32(sframe::kInfo + 0, sig);
  w32(sframe::kInfo + 8, u32(code));
  if (s64(code) > 0) {
    w64(sframe::kInfo + 16, addr);  // a fault: si_addr
  } else {
    w32(sframe::kInfo + 16, u32(p->pid));  // kill: si_pid, si_uid 0
  }
  u64 entry, toc;
  uval newsp = frame - 128;  // the handler's caller frame (__SIGNAL_FRAMESIZE)
  if (!copy_out(p, frame, b, sizeof b) || !get_u64(p, a.handler, &entry) || !get_u64(p, a.handler + 8, &toc) ||
      !put_u64(p, newsp, f->gpr[1]))
    return false;
  f->pc = entry;
  f->gpr[2] = toc;
  f->gpr[1] = newsp;
  f->gpr[3] = sig;
  if (a.flags & kSaSiginfo) {
    f->gpr[4] = frame + sframe::kInfo;
    f->gpr[5] = frame + sframe::kUc;
    f->gpr[6] = frame;
  } else {
    f->gpr[4] = frame + mc;
  }
  f->lr = kSigTramp;
  fp[32] = 0;  // the handler starts with a clear FPSCR, as Linux's
  restore_fp(ut, fp);
  ut->sigmask |= a.mask | ((a.flags & kSaNodefer) ? 0 : bit(sig));
  ut->sigmask &= ~kUnblockable;
  return true;
}

// The registers and mask of the ucontext at uc_ea, into f (rt_sigreturn,
// swapcontext); false when it cannot be read.
bool load_ucontext(UThread* ut, TrapFrame* f, uval uc_ea) {
  const unsigned mc = uc::kMcontext;
  u8 u[uc::kMcontext + sc::kFpRegs + 33 * 8];
  bool ok = copy_in(ut->proc, uc_ea, u, sizeof u);
  if (ok) {
    auto r64 = [&](unsigned off) {
      u64 v;
      memcpy(&v, u + off, 8);
      return v;
    };
    ut->sigmask = r64(uc::kSigmask) & ~kUnblockable;
    for (unsigned k = 0; k < 32; ++k) f->gpr[k] = r64(mc + sc::kGpRegs + 8 * k);
    f->pc = r64(mc + sc::kGpRegs + 8 * kPtNip);
    f->ctr = r64(mc + sc::kGpRegs + 8 * kPtCtr);
    f->lr = r64(mc + sc::kGpRegs + 8 * kPtLnk);
    f->xer = r64(mc + sc::kGpRegs + 8 * kPtXer);
    f->cr = u32(r64(mc + sc::kGpRegs + 8 * kPtCcr));
    u64 fp[33];
    memcpy(fp, u + mc + sc::kFpRegs, sizeof fp);
    restore_fp(ut, fp);
  }
  return ok;
}

// rt_sigreturn: the registers and mask the frame at r1 + 128 recorded.
bool sigreturn(UThread* ut, TrapFrame* f) { return load_ucontext(ut, f, f->gpr[1] + 128 + sframe::kUc); }

// Sets f up to run sig's handler (interrupts on meanwhile: writing the
// frame may fault pages in through objects); a frame that cannot be
// written ends the process, as Linux's SIGSEGV does.
void run_handler(UThread* ut, TrapFrame* f, const SigAction& a, unsigned sig, u64 code, u64 addr) {
  irq_enable();
  Thread::quiescent_end();
  bool ok = setup_frame(ut, f, a, sig, code, addr);
  irq_disable();
  if (!ok) kill_process(f, kSIGSEGV, "its signal frame could not be written on its stack");
}

// si_code of a floating-point enabled exception, from the FPSCR of the
// thread that took it (it owns this CPU's FPU: it just ran an FP
// instruction): the first enabled exception that occurred, in Linux's order.
u64 fpe_code() {
  UThread* ut = current_uthread();
  u64 fl = irq_save();
  if (g_fp_owner[cpu_id()] == ut) user_fp_save(ut->fp);
  irq_restore(fl);
  const u64 fpscr = ut->fp[32];
  constexpr u64 VX = 1u << 29, OX = 1u << 28, UX = 1u << 27, ZX = 1u << 26, XX = 1u << 25;
  constexpr u64 VE = 0x80, OE = 0x40, UE = 0x20, ZE = 0x10, XE = 0x08;
  if ((fpscr & VE) && (fpscr & VX)) return 7;  // FPE_FLTINV
  if ((fpscr & OE) && (fpscr & OX)) return 4;  // FPE_FLTOVF
  if ((fpscr & UE) && (fpscr & UX)) return 5;  // FPE_FLTUND
  if ((fpscr & ZE) && (fpscr & ZX)) return 3;  // FPE_FLTDIV
  if ((fpscr & XE) && (fpscr & XX)) return 6;  // FPE_FLTRES
  return 0;
}

// A fault's signal: its handler, if the program has one that is not
// blocked; else the process ends.
void fault_signal(TrapFrame* f, unsigned sig, u64 code, const char* what) {
  UThread* ut = current_uthread();
  if (!(ut->sigmask & bit(sig))) {
    SigAction a;
    g_hooks->sig_deliver(ut->proc->obj, sig, &a);
    if (a.handler > 1)
      return run_handler(ut, f, a, sig, code, f->vector == vec::kDataStorage || f->vector == 0x380 ? f->dar : f->pc);
  }
  kill_process(f, sig, what);
}

// On the way back to problem state: the first pending, unblocked signal.
void deliver_pending(UThread* ut, TrapFrame* f) {
  u64 ready = ut->pending & ~ut->sigmask;
  if (!ready) return;
  unsigned sig = unsigned(__builtin_ctzll(ready)) + 1;
  atomic_fetch_and(&ut->pending, ~bit(sig));
  SigAction a;
  g_hooks->sig_deliver(ut->proc->obj, sig, &a);
  if (a.handler == 1 || (a.handler == 0 && ignored_by_default(sig))) return;
  char what[48];
  ksnprintf(what, sizeof what, "signal %u sent to itself", sig);
  if (a.handler == 0) kill_process(f, sig, what);
  run_handler(ut, f, a, sig, u64(-6) /* SI_TKILL */, 0);
}

// ---- system calls -----------------------------------------------------------------
struct Call {
  Process* p;
  UThread* t;
  TrapFrame* f;
  u64 a[6];
};

// ---- file descriptors: the program's file table object (ObjectHooks::fd_*) ---------
constexpr u32 kOAccmode = 3, kOWronly = 1, kOCreat = 0100, kOTrunc = 01000, kOAppend = 0x400, kONonblock = 0x800,
              kODirectory = 040000, kONofollow = 0100000, kOCloexec = 0x80000, kOPath = 010000000;
// An O_PATH descriptor names a file without opening it: no reads or writes.
bool readable(const FileDesc& d) { return (d.status & kOAccmode) != kOWronly && !(d.status & kOPath); }
bool writable(const FileDesc& d) { return (d.status & kOAccmode) != 0 && !(d.status & kOPath); }

s64 desc_of(Process* p, u64 fd, FileDesc* d) { return fd >= kMaxFds ? -kEBADF : g_hooks->fd_get(p->obj, u32(fd), d); }

// Whether [ea, ea + n) lies in the program's areas with `prot` (a buffer a
// call will fill or read: checked whole before anything is done, as
// qemu-ppc64 and run-elf do).
bool user_range(Process* p, uval ea, u64 n, u32 prot) {
  for (uval at = ea & ~(kPage - 1); at < ea + n; at += kPage) {
    Area a;
    if (!area_at(p, at, &a) || (a.prot & prot) != prot) return false;
  }
  return ea + n >= ea;
}

// The program's output (a console description): its console stream
// object's (to the console unless quiet, into its report's count and digest).
s64 write_to(Process* p, const FileDesc& d, uval buf, u64 n) {
  if (!writable(d) || d.kind != kFdConsole) return -kEBADF;
  char chunk[256];
  u64 done = 0;
  while (done < n) {
    u64 k = min_of<u64>(n - done, sizeof chunk);
    if (!copy_in(p, buf + done, chunk, k)) return done ? s64(done) : -kEFAULT;
    g_hooks->out_write(p->obj, chunk, k);
    done += k;
  }
  return s64(done);
}

// Up to n bytes of d from byte `at` into the program's buf: the count, or
// -EFAULT, -EIO. A file's bytes come from its FCM, page by page (its
// cache: a page is read from the image once, whoever reads it).
s64 read_from(Process* p, const FileDesc& d, u64 at, uval buf, u64 n) {
  if (!readable(d) || d.kind == kFdConsole) return -kEBADF;
  if (d.kind == kFdDir) return -kEISDIR;
  if (!user_range(p, buf, n, kWrite)) return -kEFAULT;
  if (d.kind == kFdNull || at >= d.size) return 0;
  n = min_of<u64>(n, d.size - at);
  u64 done = 0;
  while (done < n) {
    const u64 pos = at + done, off = pos & (kPage - 1), chunk = min_of<u64>(n - done, kPage - off);
    uval fr;
    if (g_hooks->file_page(d.obj, u32(pos >> kPageShift), &fr) != kOk) break;
    if (!copy_out(p, buf + done, reinterpret_cast<const void*>(fr + off), chunk)) {
      if (!done) return -kEFAULT;
      break;
    }
    done += chunk;
  }
  return done ? s64(done) : -kEIO;
}

s64 sys_write(Call& c) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  return write_to(c.p, d, c.a[1], c.a[2]);
}

s64 sys_read(Call& c) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  s64 n = read_from(c.p, d, d.pos, c.a[1], c.a[2]);
  if (n > 0) g_hooks->fd_update(c.p->obj, u32(c.a[0]), d.pos + u64(n), -1);
  return n;
}

// readv and writev: each vector in turn, until one ends short.
s64 sys_rwv(Call& c, bool write) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  if (c.a[2] > 1024) return -kEINVAL;
  s64 total = 0;
  for (u64 i = 0; i < c.a[2]; ++i) {
    u64 iov[2];
    if (!copy_in(c.p, c.a[1] + 16 * i, iov, 16)) return total ? total : -kEFAULT;
    s64 r = write ? write_to(c.p, d, iov[0], iov[1]) : read_from(c.p, d, d.pos + u64(total), iov[0], iov[1]);
    if (r < 0) {
      if (total) break;
      return r;
    }
    total += r;
    if (u64(r) < iov[1]) break;
  }
  if (!write && total > 0) g_hooks->fd_update(c.p->obj, u32(c.a[0]), d.pos + u64(total), -1);
  return total;
}

// pread64 and pwrite64: at an offset, the position unchanged.
s64 sys_prw(Call& c, bool write) {
  if (s64(c.a[3]) < 0) return -kEINVAL;
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  if (write ? !writable(d) : !readable(d)) return -kEBADF;
  if (d.kind != kFdFile) return -kESPIPE;
  return write ? -kEBADF : read_from(c.p, d, c.a[3], c.a[1], c.a[2]);
}

FileDesc file_desc(const initrd::File& f, u64 ino) {
  FileDesc d{};
  d.kind = kFdFile;
  d.data = f.data;
  d.size = f.size;
  d.mode = f.mode;
  d.ino = ino;
  d.obj = g_hooks->file_open(f.data, f.size);
  return d;
}
// A file's inode number: from where its bytes lie in the image (the same for every program).
u64 inode_of(const initrd::File& f) { return 100 + ((reinterpret_cast<uval>(f.data) >> 4) & 0xfffff); }

// ---- the image's file tree: paths from the working directory or a
// directory descriptor, directories, symbolic links (initrd::resolve) ----
initrd::File dir_of(const FileDesc& d) { return initrd::File{reinterpret_cast<const char*>(d.data), nullptr, 0, d.mode}; }

// What a *at call's path names: from the working directory (AT_FDCWD),
// the directory dirfd names, or the root (an absolute path, dirfd unread).
s64 lookup(Process* p, u64 dirfd, const char* path, bool follow, initrd::File* out) {
  initrd::File from = p->cwd;
  if (path[0] != '/' && s32(dirfd) != -100) {  // AT_FDCWD
    FileDesc d;
    if (desc_of(p, u64(s64(s32(dirfd))), &d)) return -kEBADF;
    if (d.kind != kFdDir) return -kENOTDIR;
    from = dir_of(d);
  }
  if (!path[0]) return -kENOENT;
  return initrd::resolve(from, path, follow, out);
}

s64 do_openat(Call& c, s64 dirfd, uval path_ea, u64 flags) {
  PathArg path;
  if (s64 r = get_path(c.p, path_ea, &path)) return r;
  const bool opath = flags & kOPath;
  initrd::File f;
  s64 r = lookup(c.p, u64(dirfd), path.s, !(flags & kONofollow), &f);
  if (r == -kENOENT && (flags & kOCreat)) return -kEROFS;  // (the image is read-only)
  if (r) return r;
  if (initrd::is_link(f) && !opath) return -kELOOP;  // O_NOFOLLOW on a link
  if ((flags & kODirectory) && !initrd::is_dir(f)) return -kENOTDIR;
  if (initrd::is_dir(f) && !opath && (flags & kOAccmode)) return -kEISDIR;
  if (!opath && ((flags & kOAccmode) || (flags & kOTrunc))) return -kEROFS;
  FileDesc d{};
  if (initrd::is_dir(f) || initrd::is_link(f)) {
    d.kind = initrd::is_dir(f) ? kFdDir : kFdNull;  // (O_PATH of a link: fstat only)
    d.data = reinterpret_cast<const u8*>(f.name);
    d.mode = f.mode;
    d.ino = inode_of(f);
  } else {
    d = file_desc(f, inode_of(f));
    if (!d.obj) return -kENOMEM;
  }
  d.status = u32(flags & (kOAccmode | kONonblock | kOPath));
  s64 fd = g_hooks->fd_install(c.p->obj, d, 0, flags & kOCloexec);
  if (fd < 0 && d.obj) g_hooks->file_close(d.obj);
  return fd;
}

s64 sys_getdents64(Call& c) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  if (d.status & kOPath) return -kEBADF;
  if (d.kind != kFdDir) return -kENOTDIR;
  const u64 count = min_of<u64>(c.a[2], 32768);
  u8* buf = static_cast<u8*>(kzalloc(count + 8));
  if (!buf) return -kENOMEM;
  const initrd::File dir = dir_of(d);
  u64 used = 0, index = d.pos;
  bool at_end = false;
  for (;; ++index) {  // ".", "..", then the entries
    initrd::File e;
    const char* name;
    if (index == 0) {
      e = dir;
      name = ".";
    } else if (index == 1) {
      e = initrd::parent(dir);
      name = "..";
    } else if (initrd::child(dir, index - 2, &e)) {
      name = e.name;
      for (const char* q = e.name; *q; ++q)
        if (*q == '/') name = q + 1;
    } else {
      at_end = true;
      break;
    }
    const u64 len = strlen(name), reclen = round_up<u64>(19 + len + 1, 8);
    if (used + reclen > count) break;
    const u64 ino = inode_of(e), next = index + 1;
    const u16 rl = u16(reclen);
    const u8 type = initrd::is_dir(e) ? 4 : initrd::is_link(e) ? 10 : 8;  // DT_DIR, DT_LNK, DT_REG
    memcpy(buf + used, &ino, 8);
    memcpy(buf + used + 8, &next, 8);
    memcpy(buf + used + 16, &rl, 2);
    buf[used + 18] = type;
    memcpy(buf + used + 19, name, len + 1);
    used += reclen;
  }
  s64 r;
  if (!used) r = at_end ? 0 : -kEINVAL;  // (the end, or the next entry does not fit)
  else r = copy_out(c.p, c.a[1], buf, used) ? s64(used) : -kEFAULT;
  kfree(buf);
  if (r > 0) g_hooks->fd_update(c.p->obj, u32(c.a[0]), index, -1);
  return r;
}

s64 sys_close(Call& c) { return c.a[0] >= kMaxFds ? -kEBADF : g_hooks->fd_close(c.p->obj, u32(c.a[0])); }

// dup, dup2, dup3.
s64 sys_dup(Call& c, u64 nr) {
  const u64 from = c.a[0], to = c.a[1];
  if (from >= kMaxFds) return -kEBADF;
  if (nr == 41) return g_hooks->fd_dup(c.p->obj, u32(from), 0, kDupLowest);
  if (nr == 316 && (from == to || (c.a[2] & ~u64(kOCloexec)))) return -kEINVAL;
  if (to >= kMaxFds) return -kEBADF;
  return g_hooks->fd_dup(c.p->obj, u32(from), u32(to), kDupExact | ((c.a[2] & kOCloexec) && nr == 316 ? u32(kDupCloexec) : 0u));
}

s64 sys_fcntl(Call& c) {
  const u64 fd = c.a[0], arg = c.a[2];
  FileDesc d;
  if (s64 r = desc_of(c.p, fd, &d)) return r;
  switch (c.a[1]) {
    case 0:      // F_DUPFD
    case 1030:   // F_DUPFD_CLOEXEC
      if (arg >= kMaxFds) return -kEINVAL;
      return g_hooks->fd_dup(c.p->obj, u32(fd), u32(arg), c.a[1] == 1030 ? kDupCloexec : kDupLowest);
    case 1: return g_hooks->fd_flags(c.p->obj, u32(fd), -1);              // F_GETFD
    case 2: return min_of<s64>(0, g_hooks->fd_flags(c.p->obj, u32(fd), s64(arg & 1)));  // F_SETFD
    case 3: return s64(d.status);                                          // F_GETFL
    case 4:                                                                // F_SETFL
      return g_hooks->fd_update(c.p->obj, u32(fd), d.pos, (d.status & ~(kOAppend | kONonblock)) | (arg & (kOAppend | kONonblock)));
    default: return -kEINVAL;
  }
}

s64 do_lseek(Call& c, u64 fd, s64 offset, u64 whence) {
  FileDesc d;
  if (s64 r = desc_of(c.p, fd, &d)) return r;
  if (d.kind != kFdFile) return -kESPIPE;
  s64 base = whence == 0 ? s64(0) : whence == 1 ? s64(d.pos) : whence == 2 ? s64(d.size) : s64(-1);
  if (base < 0) return -kEINVAL;
  s64 to = base + offset;
  if (to < 0) return -kEINVAL;
  g_hooks->fd_update(c.p->obj, u32(fd), u64(to), -1);
  return to;
}
s64 sys_lseek(Call& c) { return do_lseek(c, c.a[0], s64(c.a[1]), c.a[2]); }
// _llseek(fd, offset_high, offset_low, loff_t* result, whence): glibc's
// lseek on ppc64.
s64 sys_llseek(Call& c) {
  s64 to = do_lseek(c, c.a[0], s64((c.a[1] << 32) | u32(c.a[2])), c.a[4]);
  if (to < 0) return to;
  return put_u64(c.p, c.a[3], u64(to)) ? 0 : -kEFAULT;
}

s64 put_stat(Process* p, uval buf, bool stream, u64 size, u32 mode, u64 ino) {
  u8 st[144] = {};
  auto w64 = [&](unsigned off, u64 v) { memcpy(st + off, &v, 8); };
  auto w32 = [&](unsigned off, u32 v) { memcpy(st + off, &v, 4); };
  w64(0, stream ? 0x10 : 0x1);       // st_dev
  w64(8, ino);
  w64(16, 1);                        // st_nlink
  w32(24, stream ? 0010600 : (mode & initrd::kTypeMask) ? mode : (0100000 | (mode & 07777)));  // a pipe, or the entry's type
  w64(48, size);
  w64(56, 4096);
  w64(64, (size + 511) / 512);
  return copy_out(p, buf, st, sizeof st) ? 0 : -kEFAULT;
}

s64 sys_fstat(Call& c) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  if (d.kind == kFdDir) return put_stat(c.p, c.a[1], false, 0, d.mode, d.ino);
  if (d.kind != kFdFile) return put_stat(c.p, c.a[1], true, 0, 0, c.a[0] + 1);
  return put_stat(c.p, c.a[1], false, d.size, d.mode, d.ino);
}

// newfstatat(dirfd, path, buf, flags); stat and lstat are it from the
// working directory.
s64 do_fstatat(Call& c, u64 dirfd, uval path_ea, uval buf, u64 flags) {
  constexpr u64 kNofollow = 0x100, kNoAutomount = 0x800, kEmptyPath = 0x1000;
  if (flags & ~(kNofollow | kNoAutomount | kEmptyPath)) return -kEINVAL;
  PathArg path;
  if (s64 r = get_path(c.p, path_ea, &path)) return r;
  if (!path.s[0] && (flags & kEmptyPath)) {
    if (s32(dirfd) == -100) return put_stat(c.p, buf, false, 0, c.p->cwd.mode, inode_of(c.p->cwd));
    Call d = c;
    d.a[0] = u64(s64(s32(dirfd)));
    d.a[1] = buf;
    return sys_fstat(d);
  }
  initrd::File f;
  if (s64 r = lookup(c.p, dirfd, path.s, !(flags & kNofollow), &f)) return r;
  return put_stat(c.p, buf, false, initrd::is_dir(f) ? 0 : f.size, f.mode, inode_of(f));
}

// readlinkat(dirfd, path, buf, size): the link's text, not NUL-terminated.
s64 do_readlinkat(Call& c, u64 dirfd, uval path_ea, uval buf, u64 size) {
  if (s32(size) <= 0) return -kEINVAL;
  PathArg path;
  if (s64 r = get_path(c.p, path_ea, &path)) return r;
  const char* text;
  u64 len;
  initrd::File f;
  if (strcmp(path.s, "/proc/self/exe") == 0) {  // the program's path
    text = c.p->path;
    len = strlen(c.p->path);
  } else {
    if (s64 r = lookup(c.p, dirfd, path.s, false, &f)) return r;
    if (!initrd::is_link(f)) return -kEINVAL;
    text = reinterpret_cast<const char*>(f.data);
    len = f.size;
  }
  const u64 n = min_of<u64>(len, u32(size));
  return copy_out(c.p, buf, text, n) ? s64(n) : -kEFAULT;
}

// faccessat2(dirfd, path, mode, flags) (access and faccessat: flags 0):
// the image is read-only, everything in it readable and executable.
s64 do_faccessat(Call& c, u64 dirfd, uval path_ea, u64 mode, u64 flags) {
  constexpr u64 kNofollow = 0x100, kEaccess = 0x200, kEmptyPath = 0x1000;
  if ((mode & ~u64(7)) || (flags & ~(kNofollow | kEaccess | kEmptyPath))) return -kEINVAL;
  PathArg path;
  if (s64 r = get_path(c.p, path_ea, &path)) return r;
  initrd::File f;
  if (s64 r = lookup(c.p, dirfd, path.s, !(flags & kNofollow), &f)) return r;
  return (mode & 2) ? -kEROFS : 0;  // W_OK
}

s64 sys_chdir(Call& c) {
  PathArg path;
  if (s64 r = get_path(c.p, c.a[0], &path)) return r;
  initrd::File f;
  if (s64 r = lookup(c.p, u64(-100), path.s, true, &f)) return r;
  if (!initrd::is_dir(f)) return -kENOTDIR;
  c.p->cwd = f;
  return 0;
}

s64 sys_fchdir(Call& c) {
  FileDesc d;
  if (s64 r = desc_of(c.p, c.a[0], &d)) return r;
  if (d.kind != kFdDir) return -kENOTDIR;
  c.p->cwd = dir_of(d);
  return 0;
}

s64 sys_getcwd(Call& c) {
  const u64 len = 1 + strlen(c.p->cwd.name);  // "/" and the name
  if (len + 1 > c.a[1]) return -kERANGE;
  char buf[2] = {'/', 0};
  if (!copy_out(c.p, c.a[0], buf, 1) || !copy_out(c.p, c.a[0] + 1, c.p->cwd.name, len)) return -kEFAULT;
  return s64(len + 1);
}

// Descriptors 0, 1 and 2 of a new program: its standard input (a file of
// the image, or nothing to read), its output twice.
bool open_standard(Process* p, const char* stdin_path) {
  FileDesc in{};
  if (stdin_path) {
    initrd::File f;
    if (!initrd::find(stdin_path, &f)) return false;
    in = file_desc(f, inode_of(f));
    if (!in.obj) return false;
  }
  FileDesc out{};
  out.kind = kFdConsole;
  out.status = kOWronly;
  if (g_hooks->fd_install(p->obj, in, 0, false) != 0) {
    if (in.obj) g_hooks->file_close(in.obj);
    return false;
  }
  return g_hooks->fd_install(p->obj, out, 0, false) == 1 && g_hooks->fd_install(p->obj, out, 0, false) == 2;
}

s64 sys_brk(Call& c) {
  Process* p = c.p;
  MutexGuard mm(p->mm);
  uval want = c.a[0];
  if (want < p->brk_start || want >= kMmapBase) return s64(p->brk_cur);
  uval old_end = round_up<uval>(p->brk_cur, kPage), new_end = round_up<uval>(want, kPage);
  // A heap with a memory object is as large as it (RLIMIT_DATA, in effect):
  // beyond, brk fails and malloc maps instead.
  if (p->heap_obj && new_end - p->brk_start > uval(p->heap_pages) << kPageShift) return s64(p->brk_cur);
  bool ok = true;
  Area heap_was{};
  {
    AreasWrite w(p);
    Area* heap = nullptr;
    for (unsigned i = 0; i < p->nareas; ++i)
      if (p->area[i].base == p->brk_start && !p->area[i].file) heap = &p->area[i];
    if (!heap && new_end > p->brk_start) {
      ok = add_area(p, p->brk_start, new_end, kRead | kWrite);
      if (ok && p->heap_obj) attach_own(p->area[p->nareas - 1], p->heap_obj, p->heap_pages, kMemoryHeap);
    } else if (heap) {
      heap_was = *heap;
      heap->end = max_of(new_end, p->brk_start + kPage);
    }
  }
  if (!ok) return s64(p->brk_cur);
  if (new_end < old_end) {
    const uval lo = max_of(new_end, p->brk_start + kPage);  // (the area keeps its first page)
    if (heap_was.mem && lo < old_end) {
      // The pages go from the region, the TLBs and the memory object, so
      // that the heap grown again reads zeros, as Linux's does.
      drop_touched(p, heap_was, lo, old_end, true);
    } else {
      release_range(p, new_end, old_end);
    }
  }
  p->brk_cur = want;
  return s64(want);
}

// The lowest address in the mmap range with `len` bytes that no area uses
// (lock held); 0 when none is left. Ranges an munmap freed are used again:
// their translations went with them.
uval free_range(const Process* p, u64 len) {
  uval at = kMmapBase;
  for (;;) {
    bool moved = false;
    for (unsigned i = 0; i < p->nareas; ++i) {
      const Area& a = p->area[i];
      if (at < a.end + kPage && a.base < at + len) {  // overlaps the area or its guard page
        at = a.end + kPage;
        moved = true;
      }
    }
    if (at + len > kMmapEnd || at + len < at) return 0;
    if (!moved) return at;
  }
}

s64 unmap_locked(Process* p, uval lo, uval hi);

// Maps len bytes (page multiple; p->mm held) as a new area: at `at` if
// fixed (it must lie in the mmap range; what is there goes first), else
// the lowest free range. Anonymous memory (the memory object's pages
// while they last), or with `file` a private copy of the file from byte
// `off` (its pages read as the file's, zeros past its end: a copy FCM).
// Its protection is `prot` (kRead, kWrite, kExec: PROT_READ, PROT_WRITE,
// PROT_EXEC), as mprotect may change it later.
s64 map_locked(Process* p, uval at, u64 len, bool fixed, u32 prot, const FileDesc* file = nullptr, u64 off = 0) {
  if (fixed) {
    if (at < kMmapBase || at + len > kMmapEnd || at + len < at) return -kENOMEM;  // (only the mmap range)
    if (s64 r = unmap_locked(p, at, at + len); r < 0) return r;
  }
  const u64 pages = len >> kPageShift;
  u64 obj = 0;
  volatile u64* touched = nullptr;
  if (file) {
    if (!file->obj || p->nmap_bitmaps == 16) return -kENODEV;
    const u64 keep = off < file->size ? min_of<u64>(len, file->size - off) : 0;
    obj = g_hooks->memory_create(p->obj, file->obj, u32(off >> kPageShift), 0, keep, u32(pages));
    touched = obj ? new_bitmap(pages) : nullptr;
    if (!touched) return -kENOMEM;  // (an object made stays with the program's others)
    p->map_bitmaps[p->nmap_bitmaps++] = touched;
  }
  AreasWrite w(p);
  if (!fixed) at = free_range(p, len + kPage);  // a guard page after each mapping
  if (!at || !add_area(p, at, at + len, prot)) return -kENOMEM;
  Area& a = p->area[p->nareas - 1];
  if (file) {
    back_area(a, obj, 0, touched, kMemoryFileMap);
  } else if (p->mem_pages && p->mem_next + pages <= p->mem_pages) {  // backed by the memory object while it has pages
    a.mem = true;
    a.kind = kMemoryAnonymous;
    a.mem_base = p->mem_next;
    a.mem_origin = at;
    p->mem_next += u32(pages);
  }
  return s64(at);
}

s64 sys_mmap(Call& c) {
  Process* p = c.p;
  const uval addr = c.a[0];
  const u64 prot = c.a[2], flags = c.a[3], off = c.a[5];
  const s64 fd = s32(c.a[4]);
  constexpr u64 kMapPrivate = 0x02, kMapFixed = 0x10, kMapAnon = 0x20, kMapFixedNoReplace = 0x100000;
  const u64 type = flags & 3;  // MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE
  if (type == 0 || (prot & ~u64(7)) || (off & (kPage - 1))) return -kEINVAL;
  const u64 len = round_up<u64>(c.a[1], kPage);
  if (!c.a[1]) return -kEINVAL;
  if (len < c.a[1] || len > kMmapEnd - kMmapBase) return -kENOMEM;
  const bool fixed = flags & (kMapFixed | kMapFixedNoReplace);
  if (fixed && (addr & (kPage - 1))) return -kEINVAL;
  FileDesc fdesc;
  const FileDesc* file = nullptr;
  if (!(flags & kMapAnon)) {
    if (fd < 0 || desc_of(p, u64(fd), &fdesc)) return -kEBADF;
    file = &fdesc;
    if (!readable(fdesc)) return -kEACCES;
    if (type != kMapPrivate || fdesc.kind != kFdFile) return -kENODEV;  // (the image is read-only: no shared file mappings)
  }
  MutexGuard mm(p->mm);
  if (flags & kMapFixedNoReplace)
    for (unsigned i = 0; i < p->nareas; ++i)
      if (addr < p->area[i].end && p->area[i].base < addr + len) return -kEEXIST;
  return map_locked(p, addr, len, fixed, u32(prot), file, off);
}

// Unmaps [lo, hi) (page-aligned; p->mm held): the mmap areas in it go, or
// shrink, or split; their pages leave the region and the TLBs.
s64 unmap_locked(Process* p, uval lo, uval hi) {
  struct Piece {
    uval lo, hi;
    Area a;  // the area as it was
  } piece[8];  // the memory-object areas' parts
  unsigned npieces = 0;
  bool ok = true, kernel_frames = false;
  {
  AreasWrite w(p);
  // Anonymous mappings only: a whole area, its head, its tail, or its middle
  // (the area splits in two).
  for (unsigned i = 0; i < p->nareas && ok; ++i) {
    Area& a = p->area[i];
    if (a.file || a.base < kMmapBase || a.base >= kMmapEnd || hi <= a.base || lo >= a.end) continue;  // (the stack lies above)
    if (a.mem) {
      if (npieces == 8) {
        ok = false;
        break;
      }
      piece[npieces++] = Piece{max_of(lo, a.base), min_of(hi, a.end), a};
    } else {
      kernel_frames = true;
    }
    if (lo <= a.base && hi >= a.end) {
      a = p->area[--p->nareas];
      --i;
    } else if (lo <= a.base) {
      a.base = hi;
    } else if (hi >= a.end) {
      a.end = lo;
    } else if (p->nareas < kMaxAreas) {
      Area tail = a;
      tail.base = hi;
      a.end = lo;
      p->area[p->nareas++] = tail;
    } else {
      ok = false;
    }
  }
  }
  if (!ok) return -kENOMEM;  // (nothing released: a partial change, as Linux may leave)
  // A memory object's pages: the region forgets them, the TLBs too, and
  // (but for a file's own pages, which are every program's) their frames
  // go back; the kernel's own frames in the range go back too (only areas
  // without a memory object have any).
  for (unsigned k = 0; k < npieces; ++k) drop_touched(p, piece[k].a, piece[k].lo, piece[k].hi, piece[k].a.kind != kMemoryFile);
  if (kernel_frames) release_range(p, lo, hi);
  return 0;
}

s64 sys_munmap(Call& c) {
  Process* p = c.p;
  MutexGuard mm(p->mm);  // until its pages are released, no mmap may be given the range
  uval lo = c.a[0], hi = lo + round_up<u64>(c.a[1], kPage);
  if (lo & (kPage - 1) || hi <= lo) return -kEINVAL;
  return unmap_locked(p, lo, hi);
}

// Whether areas cover [lo, hi) without a gap (p->mm held).
bool covered(const Process* p, uval lo, uval hi) {
  for (uval at = lo; at < hi;) {
    const Area* a = find_area(p, at);
    if (!a) return false;
    at = a->end;
  }
  return true;
}

// Removes the translations of [lo, hi) (inside area a) on every CPU; the
// pages stay where they are (their next access faults and maps them again
// as a's protection now says).
void drop_translations(Process* p, const Area& a, uval lo, uval hi) {
  if (a.mem) return unmap_touched(p, a, lo, hi);
  for (uval page = lo; page < hi; page += kPage) {
    u64 f = p->lock.lock_irqsave();
    const bool there = p->pt.get(page >> kPageShift) != 0;
    p->lock.unlock_irqrestore(f);
    if (there) mmu::unmap(p->as, page, p->as->cpus);
  }
}

// mprotect: the areas over [lo, hi) take the new protection, split where
// the range cuts one; their pages' translations go, so the next access
// faults and is mapped as the protection now says (or gets SIGSEGV).
s64 sys_mprotect(Call& c) {
  Process* p = c.p;
  const uval lo = c.a[0], hi = lo + round_up<u64>(c.a[1], kPage);
  const u64 prot = c.a[2];
  if ((lo & (kPage - 1)) || (prot & ~u64(kRead | kWrite | kExec))) return -kEINVAL;
  if (hi < lo) return -kENOMEM;
  if (hi == lo) return 0;
  MutexGuard mm(p->mm);
  if (!covered(p, lo, hi)) return -kENOMEM;
  Area changed[8];
  unsigned nchanged = 0;
  bool ok = true;
  {
    AreasWrite w(p);
    for (unsigned i = 0; i < p->nareas && ok; ++i) {
      Area& a = p->area[i];
      if (hi <= a.base || lo >= a.end || a.prot == prot) continue;
      const unsigned pieces = (lo > a.base) + (hi < a.end);
      if (p->nareas + pieces > kMaxAreas || nchanged == 8) {
        ok = false;
        break;
      }
      // The parts outside the range keep the old protection, as areas of
      // their own (the same memory behind them: split, not copied).
      if (lo > a.base) {
        Area head = a;
        head.end = lo;
        a.base = lo;
        p->area[p->nareas++] = head;
      }
      if (hi < a.end) {
        Area tail = a;
        tail.base = hi;
        a.end = hi;
        p->area[p->nareas++] = tail;
      }
      a.prot = u32(prot);
      changed[nchanged++] = a;
    }
  }
  for (unsigned k = 0; k < nchanged; ++k) drop_translations(p, changed[k], changed[k].base, changed[k].end);
  return ok ? 0 : -kENOMEM;
}

// madvise: MADV_DONTNEED (and MADV_FREE) give the pages of [lo, hi) back:
// anonymous memory reads zeros again, a private copy of a file the file's
// bytes; other advice is accepted and changes nothing.
s64 sys_madvise(Call& c) {
  Process* p = c.p;
  const uval lo = c.a[0], hi = lo + round_up<u64>(c.a[1], kPage);
  const u64 advice = c.a[2];
  const bool known = advice <= 4 || (advice >= 8 && advice <= 23) || advice == 100 || advice == 101;
  if ((lo & (kPage - 1)) || !known || hi < lo) return -kEINVAL;
  if (hi == lo) return 0;
  MutexGuard mm(p->mm);
  if (!covered(p, lo, hi)) return -kENOMEM;
  if (advice != 4 && advice != 8) return 0;  // MADV_DONTNEED, MADV_FREE
  for (uval at = lo; at < hi;) {
    const Area a = *find_area(p, at);
    const uval end = min_of(hi, a.end);
    if (a.mem) {
      drop_touched(p, a, at, end, a.kind != kMemoryFile);  // (a file's own pages are every program's: only the mapping goes)
    } else {
      release_range(p, at, end);
    }
    at = end;
  }
  return 0;
}

// Whether page `page` of area a holds anything yet (a fault or a copy
// touched it): what mremap copies.
bool page_present(Process* p, const Area& a, uval page) {
  if (!a.mem) {
    u64 f = p->lock.lock_irqsave();
    bool there = p->pt.get(page >> kPageShift) != 0;
    p->lock.unlock_irqrestore(f);
    return there;
  }
  u64 bit;
  return load_once(*touched_word(p, a, page, &bit)) & bit;
}

s64 sys_mremap(Call& c) {
  Process* p = c.p;
  const uval old = c.a[0];
  const u64 flags = c.a[3];
  const uval to = c.a[4];
  constexpr u64 kMayMove = 1, kFixed = 2;
  if ((old & (kPage - 1)) || (flags & ~(kMayMove | kFixed))) return -kEINVAL;
  if ((flags & kFixed) && (!(flags & kMayMove) || (to & (kPage - 1)))) return -kEINVAL;
  const u64 old_len = round_up<u64>(c.a[1], kPage), new_len = round_up<u64>(c.a[2], kPage);
  if (!c.a[1] || !c.a[2] || old_len < c.a[1] || new_len < c.a[2]) return -kEINVAL;
  MutexGuard mm(p->mm);
  // The old range: mmap areas end to end (Linux would have merged the
  // neighbours an mmap over part of a mapping leaves into one).
  for (uval page = old; page < old + old_len;) {
    const Area* x = find_area(p, page);
    if (!x || x->base < kMmapBase || x->base >= kMmapEnd) return -kEFAULT;
    page = x->end;
  }
  const Area a = *find_area(p, old);
  // Moves the contents to a new mapping at `at` (made already, with the
  // old one's protection), then drops the old range. The pages are copied
  // frame to frame, whatever the protection says (as Linux moves them).
  auto move_to = [&](uval at) -> s64 {
    for (uval off = 0; off < min_of(old_len, new_len); off += kPage) {
      if (!page_present(p, *find_area(p, old + off), old + off)) continue;
      u32 prot, region;
      bool no_memory;
      const uval from = frame_for(p, old + off, &prot, &no_memory, &region);
      const uval into = from ? frame_for(p, at + off, &prot, &no_memory, &region) : 0;
      if (!into) return no_memory ? -kENOMEM : -kEFAULT;
      memcpy(reinterpret_cast<void*>(into), reinterpret_cast<const void*>(from), kPage);
    }
    if (s64 r = unmap_locked(p, old, old + old_len); r < 0) return r;
    return s64(at);
  };
  if (flags & kFixed) {
    if (to < old + old_len && old < to + new_len) return -kEINVAL;
    s64 at = map_locked(p, to, new_len, true, a.prot);
    return at < 0 ? at : move_to(uval(at));
  }
  if (new_len <= old_len) {
    if (new_len < old_len) unmap_locked(p, old + new_len, old + old_len);
    return s64(old);
  }
  // In place: the area ends here, the pages after it are free, and it can
  // grow (its own frames, or the last range of the memory object with
  // pages to spare).
  const uval grow_lo = old + old_len, grow_hi = old + new_len;
  bool free = a.end == grow_lo && grow_hi + kPage <= kMmapEnd;  // (one area only)
  for (unsigned i = 0; i < p->nareas && free; ++i)
    if (p->area[i].base < grow_hi + kPage && grow_lo < p->area[i].end) free = false;
  const u32 more = u32((new_len - old_len) >> kPageShift);
  const bool can_grow =
      !a.mem || (a.kind == kMemoryAnonymous && a.mem_base + ((a.end - a.mem_origin) >> kPageShift) == p->mem_next &&
                 p->mem_next + more <= p->mem_pages);
  if (free && can_grow) {
    AreasWrite w(p);
    Area* area = const_cast<Area*>(find_area(p, old));
    area->end = grow_hi;
    if (a.mem) p->mem_next += more;
    return s64(old);
  }
  if (!(flags & kMayMove)) return -kENOMEM;
  s64 at = map_locked(p, 0, new_len, false, a.prot);
  return at < 0 ? at : move_to(uval(at));
}

s64 sys_uname(Call& c) {
  static const char* const fields[6] = {"Linux", "dusim", "6.1.0", "#1 SMP dusim", "ppc64", "(none)"};
  char buf[6 * 65] = {};
  for (unsigned k = 0; k < 6; ++k) memcpy(buf + 65 * k, fields[k], strlen(fields[k]));
  return copy_out(c.p, c.a[0], buf, sizeof buf) ? 0 : -kEFAULT;
}

s64 sys_getrandom(Call& c) {
  u64 len = min_of<u64>(c.a[1], (32u << 20) - 1);
  if (c.a[2] & ~u64(7)) return -kEINVAL;
  for (u64 k = 0; k < len; k += 8) {  // splitmix64, as run-elf: the same bytes on every run
    u64 z = (c.p->random_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    u8 b[8];
    for (unsigned i = 0; i < 8; ++i) b[i] = u8(z >> (8 * i));
    if (!copy_out(c.p, c.a[0] + k, b, min_of<u64>(8, len - k))) return -kEFAULT;
  }
  return s64(len);
}

// ---- identity, limits, resources, scheduling (as run-elf's: sim/user_mode) --------
// The pid a call names: 0 or the process's own (there is one process).
bool is_self(const Process* p, u64 pid) { return s32(pid) == 0 || u64(s32(pid)) == p->pid; }
// A pid or tid a call names: the process or one of its live threads.
bool valid_target(Process* p, u64 id) {
  if (is_self(p, id)) return true;
  u64 lf = p->lock.lock_irqsave();
  bool found = false;
  for (unsigned i = 0; i < p->nthreads && !found; ++i) found = p->threads[i]->tid == u64(s32(id));
  p->lock.unlock_irqrestore(lf);
  return found;
}

s64 sys_getpgid(Call& c) { return is_self(c.p, c.a[0]) ? s64(c.p->pid) : -kESRCH; }  // (and getsid)

s64 sys_getresid(Call& c) {
  for (unsigned k = 0; k < 3; ++k)
    if (!put_u32(c.p, c.a[k], 0)) return -kEFAULT;
  return 0;
}

constexpr unsigned kRlimits = 16;
constexpr u64 kRlimInfinity = ~u64(0);
void default_rlimits(Process* p) {
  for (auto& l : p->rlimit) l[0] = l[1] = kRlimInfinity;
  p->rlimit[3][0] = kStackBytes;                 // RLIMIT_STACK
  p->rlimit[4][0] = 0;                           // RLIMIT_CORE
  p->rlimit[7][0] = p->rlimit[7][1] = kMaxFds;   // RLIMIT_NOFILE
  p->rlimit[8][0] = p->rlimit[8][1] = 8u << 20;  // RLIMIT_MEMLOCK
  p->rlimit[13][0] = p->rlimit[13][1] = 0;       // RLIMIT_NICE
  p->rlimit[14][0] = p->rlimit[14][1] = 0;       // RLIMIT_RTPRIO
}
s64 put_rlimit(Process* p, u64 resource, uval ea) {
  u64 lim[2];
  u64 lf = p->lock.lock_irqsave();
  lim[0] = p->rlimit[resource][0];
  lim[1] = p->rlimit[resource][1];
  p->lock.unlock_irqrestore(lf);
  return copy_out(p, ea, lim, 16) ? 0 : -kEFAULT;
}
s64 set_rlimit(Process* p, u64 resource, uval ea) {
  u64 lim[2];
  if (!copy_in(p, ea, lim, 16)) return -kEFAULT;
  if (lim[0] > lim[1]) return -kEINVAL;
  u64 lf = p->lock.lock_irqsave();
  p->rlimit[resource][0] = lim[0];  // (the program is root: it may raise hard limits too)
  p->rlimit[resource][1] = lim[1];
  p->lock.unlock_irqrestore(lf);
  return 0;
}
s64 sys_getrlimit(Call& c) { return c.a[0] >= kRlimits ? -kEINVAL : put_rlimit(c.p, c.a[0], c.a[1]); }
s64 sys_setrlimit(Call& c) { return c.a[0] >= kRlimits ? -kEINVAL : set_rlimit(c.p, c.a[0], c.a[1]); }
s64 sys_prlimit64(Call& c) {
  if (!valid_target(c.p, c.a[0])) return -kESRCH;
  const u64 resource = c.a[1];
  if (resource >= kRlimits) return -kEINVAL;
  u64 before[2] = {c.p->rlimit[resource][0], c.p->rlimit[resource][1]};
  if (c.a[2])
    if (s64 r = set_rlimit(c.p, resource, c.a[2])) return r;
  if (c.a[3] && !copy_out(c.p, c.a[3], before, 16)) return -kEFAULT;
  return 0;
}

// CPU time: the time since the process began (its threads run alone on
// their CPUs, as far as it can tell).
u64 now_ns(const Process* p);  // (below)
s64 sys_getrusage(Call& c) {
  const s64 who = s32(c.a[0]);
  if (who != 0 && who != -1 && who != 1) return -kEINVAL;  // RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD
  u64 ru[18] = {};
  if (who != -1) {
    u64 ns = now_ns(c.p);
    ru[0] = ns / 1000000000ull;
    ru[1] = ns % 1000000000ull / 1000;
  }
  return copy_out(c.p, c.a[1], ru, sizeof ru) ? 0 : -kEFAULT;
}

s64 sys_sysinfo(Call& c) {
  // struct sysinfo (112 bytes): uptime, loads[3], totalram, freeram,
  // sharedram, bufferram, totalswap, freeswap, procs (u16), totalhigh,
  // freehigh, mem_unit (u32).
  u8 b[112] = {};
  auto w64 = [&](unsigned off, u64 v) { memcpy(b + off, &v, 8); };
  w64(0, mach::cycles() / sched::clock_hz());
  w64(32, mach::memory_bytes());
  w64(40, page_allocator().freeBytes());
  const u16 procs = u16(c.p->live);
  memcpy(b + 80, &procs, 2);
  const u32 unit = 1;
  memcpy(b + 104, &unit, 4);
  return copy_out(c.p, c.a[0], b, sizeof b) ? 0 : -kEFAULT;
}

s64 sys_sched_getaffinity(Call& c) {
  const u64 size = c.a[1];
  if (!valid_target(c.p, c.a[0])) return -kESRCH;
  if (size < 8 || (size & 7)) return -kEINVAL;
  const unsigned n = ncpus();
  const u64 words = min_of<u64>((n + 63) / 64, size / 8);
  for (u64 w = 0; w < words; ++w) {
    const unsigned left = n - unsigned(w * 64);
    if (!put_u64(c.p, c.a[2] + 8 * w, left >= 64 ? ~u64(0) : (1ull << left) - 1)) return -kEFAULT;
  }
  return s64(words * 8);
}

s64 sys_getcpu(Call& c) {
  if (c.a[0] && !put_u32(c.p, c.a[0], cpu_id())) return -kEFAULT;
  if (c.a[1] && !put_u32(c.p, c.a[1], 0)) return -kEFAULT;
  return 0;
}

s64 sys_prctl(Call& c) {
  constexpr u64 kSetName = 15, kGetName = 16;
  if (c.a[0] == kSetName) {
    char name[16] = {};
    for (unsigned k = 0; k < 15; ++k) {
      if (!copy_in(c.p, c.a[1] + k, &name[k], 1)) return -kEFAULT;
      if (!name[k]) break;
    }
    memcpy(c.t->name, name, sizeof name);
    return 0;
  }
  if (c.a[0] == kGetName) return copy_out(c.p, c.a[1], c.t->name, 16) ? 0 : -kEFAULT;
  return -kEINVAL;
}

// Clocks: the program's clock object's (ObjectHooks::clock_*), simulated
// time. False: no such clock.
bool clock_ns(const Process* p, u64 clock, u64* ns) { return g_hooks->clock_now(p->obj, clock, ns); }
u64 now_ns(const Process* p) {
  u64 ns = 0;
  clock_ns(p, 1, &ns);  // CLOCK_MONOTONIC: from its start
  return ns;
}

// A struct timespec of the program's: written from ns, or read and checked
// (tv_nsec below a second) into *ns: -EFAULT, -EINVAL or 0.
bool put_timespec(Process* p, uval ea, u64 ns) {
  u64 ts[2] = {ns / 1000000000ull, ns % 1000000000ull};
  return copy_out(p, ea, ts, 16);
}
s64 get_timespec(Process* p, uval ea, u64* ns) {
  u64 ts[2];
  if (!copy_in(p, ea, ts, 16)) return -kEFAULT;
  if (s64(ts[0]) < 0 || ts[1] >= 1000000000ull) return -kEINVAL;
  *ns = ts[0] * 1000000000ull + ts[1];
  return 0;
}

s64 sys_clock_gettime(Call& c) {
  u64 ns;
  if (!clock_ns(c.p, c.a[0], &ns)) return -kEINVAL;
  return put_timespec(c.p, c.a[1], ns) ? 0 : -kEFAULT;
}

s64 sys_clock_getres(Call& c) {
  u64 ns;
  if (!g_hooks->clock_res(c.p->obj, c.a[0], &ns)) return -kEINVAL;
  return !c.a[1] || put_timespec(c.p, c.a[1], ns) ? 0 : -kEFAULT;
}

s64 sys_gettimeofday(Call& c) {
  u64 ns;
  clock_ns(c.p, 0, &ns);
  u64 tv[2] = {ns / 1000000000ull, ns % 1000000000ull / 1000};
  if (c.a[0] && !copy_out(c.p, c.a[0], tv, 16)) return -kEFAULT;
  if (c.a[1] && !(put_u32(c.p, c.a[1], 0) && put_u32(c.p, c.a[1] + 4, 0))) return -kEFAULT;  // UTC
  return 0;
}

s64 sys_time(Call& c) {
  u64 ns;
  clock_ns(c.p, 0, &ns);
  const u64 t = ns / 1000000000ull;
  if (c.a[0] && !put_u64(c.p, c.a[0], t)) return -kEFAULT;
  return s64(t);
}

s64 sys_times(Call& c) {
  constexpr u64 kNsPerTick = 10000000;  // AT_CLKTCK 100
  const u64 ticks = now_ns(c.p) / kNsPerTick;
  u64 tms[4] = {ticks, 0, 0, 0};
  if (c.a[0] && !copy_out(c.p, c.a[0], tms, sizeof tms)) return -kEFAULT;
  return s64(ticks);
}

// A call that sleeps holds no reference into objects meanwhile: it leaves
// its generation, or a program's thread waiting in pthread_join would hold
// every update's generation wait up for as long as it waits.
// Sleeps ns of simulated time; -EINTR when a signal for the thread
// arrives first (*left_ns: what was left).
s64 sleep_ns(u64 ns, u64* left_ns = nullptr) {
  const u64 per_us = sched::clock_hz() / 1000000;
  u64 cycles = ns * per_us / 1000;
  if (!cycles) return 0;
  UThread* ut = current_uthread();
  const u64 until = mach::cycles() + cycles;
  s64 r = 0;
  Thread::quiescent_begin();
  for (;;) {
    u64 f = g_nanosleep_wq.lock.lock_irqsave();
    const u64 now = mach::cycles();
    if (signal_ready(ut)) {
      g_nanosleep_wq.lock.unlock_irqrestore(f);
      if (left_ns) *left_ns = now < until ? (until - now) * 1000 / per_us : 0;
      r = -kEINTR;
      break;
    }
    if (now >= until) {
      g_nanosleep_wq.lock.unlock_irqrestore(f);
      break;
    }
    g_nanosleep_wq.sleep_locked(f, until - now);
  }
  Thread::quiescent_end();
  return r;
}

// Sleeps ns; interrupted, writes the time left to `rem` (if not 0).
s64 sleep_or_left(Process* p, u64 ns, uval rem) {
  u64 left = 0;
  s64 r = sleep_ns(ns, &left);
  if (r == -kEINTR && rem && !put_timespec(p, rem, left)) return -kEFAULT;
  return r;
}

s64 sys_nanosleep(Call& c) {
  u64 ns;
  if (s64 r = get_timespec(c.p, c.a[0], &ns)) return r;
  return sleep_or_left(c.p, ns, c.a[1]);
}

s64 sys_clock_nanosleep(Call& c) {
  const u64 clock = c.a[0];
  if (clock != 0 && clock != 1 && clock != 7) return -kEINVAL;  // REALTIME, MONOTONIC, BOOTTIME
  u64 ns;
  if (s64 r = get_timespec(c.p, c.a[2], &ns)) return r;
  if (c.a[1] & 1) {  // TIMER_ABSTIME (no time left is written)
    u64 now;
    clock_ns(c.p, clock, &now);
    return sleep_or_left(c.p, ns > now ? ns - now : 0, 0);
  }
  return sleep_or_left(c.p, ns, c.a[3]);
}

// futex: WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP and the BITSET forms,
// through the program's futex table object (a waiter's record above).
s64 sys_futex(Call& c) {
  const unsigned op = unsigned(c.a[1]) & ~(128u | 256u);  // FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME
  const bool shared = !(c.a[1] & 128);
  Process* p = c.p;
  const uval addr = c.a[0];
  if (addr & 3) return -kEINVAL;
  switch (op) {
    case 0:    // FUTEX_WAIT
    case 9: {  // FUTEX_WAIT_BITSET (an absolute timeout)
      const u32 bitset = op == 9 ? u32(c.a[5]) : ~0u;
      if (!bitset) return -kEINVAL;
      u64 timeout_cycles = 0;
      if (c.a[3]) {
        u64 ns;
        if (s64 r = get_timespec(p, c.a[3], &ns)) return r;
        if (op == 9) {  // absolute, on the monotonic clock or with FUTEX_CLOCK_REALTIME the realtime one
          u64 now;
          clock_ns(p, (c.a[1] & 256) ? 0 : 1, &now);
          ns = ns > now ? ns - now : 0;
        }
        timeout_cycles = ns * (sched::clock_hz() / 1000000) / 1000 + 1;
      }
      const volatile u32* word = futex_word(p, addr, false);
      if (!word) return -kEFAULT;
      FutexWaiter w{addr, shared, bitset, c.t, nullptr, false, {}, 0};
      if (s64 r = g_hooks->fx_enqueue(p->obj, &w, word, u32(c.a[2]))) return r;
      // Queued, its queue's lock held: a signal already here ends the wait
      // at once (one sent from now on nudges this record: wake_sleepers).
      bool woken = true;
      if (signal_ready(c.t)) {
        w.wq.lock.unlock_irqrestore(w.irqs);
      } else {
        Thread::quiescent_begin();  // (as sleep_ns: a waiter holds no reference)
        woken = w.wq.sleep_locked(w.irqs, timeout_cycles);
        Thread::quiescent_end();
      }
      if (g_hooks->fx_leave(p->obj, &w)) return 0;
      if (signal_ready(c.t)) return -kEINTR;
      return woken ? 0 : -kETIMEDOUT;  // (woken and not taken: its process ends, on the way out)
    }
    case 1:     // FUTEX_WAKE
    case 10: {  // FUTEX_WAKE_BITSET
      const u32 bitset = op == 10 ? u32(c.a[5]) : ~0u;
      if (!bitset) return -kEINVAL;
      return s64(futex_wake(p, addr, shared, bitset, u32(c.a[2])));
    }
    case 3:    // FUTEX_REQUEUE: wake val, move up to val2 (the timeout argument) to uaddr2
    case 4: {  // FUTEX_CMP_REQUEUE: only while *uaddr == val3
      const uval to = c.a[4];
      if ((to & 3) || !to) return -kEINVAL;
      const volatile u32* word = nullptr;
      if (op == 4 && !(word = futex_word(p, addr, false))) return -kEFAULT;
      return g_hooks->fx_requeue(p->obj, addr, to, shared, u32(c.a[2]), u32(c.a[3]), word, u32(c.a[5]));
    }
    case 5: {  // FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2); wake val at uaddr; if cmp(old) wake val2 at uaddr2
      const uval addr2 = c.a[4];
      const u32 code = u32(c.a[5]);
      if (addr2 & 3) return -kEINVAL;
      if (((code >> 28) & 7) > 4 || ((code >> 24) & 15) > 5) return -kENOSYS;  // the operation, the comparison
      volatile u32* word2 = futex_word(p, addr2, true);
      if (!word2) return -kEFAULT;
      return g_hooks->fx_wake_op(p->obj, addr, addr2, shared, u32(c.a[2]), u32(c.a[3]), word2, code);
    }
    default:
      return -kENOSYS;
  }
}

s64 sys_kill_self(Call& c, u64 pid, u64 sig) {
  if (pid != c.p->pid && pid != 0 && s64(pid) != -1) return -kESRCH;
  if (sig == 0) return 0;
  if (sig >= 65) return -kEINVAL;
  atomic_fetch_or(&c.t->pending, bit(unsigned(sig)));  // delivered on the way back (deliver_pending)
  return 0;
}

// tgkill/tkill to another thread of the process: pending on it, delivered
// at its next trap; a sleeping target (futex wait, nanosleep) is woken and
// its call returns EINTR. ESRCH when no live thread has that tid.
s64 sys_kill_thread(Call& c, u64 tid, u64 sig) {
  if (tid == c.t->tid) return sys_kill_self(c, c.p->pid, sig);
  if (sig >= 65) return -kEINVAL;
  Process* p = c.p;
  u64 f = p->lock.lock_irqsave();
  UThread* target = nullptr;
  for (unsigned i = 0; i < p->nthreads; ++i)
    if (p->threads[i]->tid == tid) target = p->threads[i];
  if (target && sig) atomic_fetch_or(&target->pending, bit(unsigned(sig)));
  p->lock.unlock_irqrestore(f);  // (a thread leaves the list under this lock before it is freed)
  if (!target) return -kESRCH;
  if (sig) wake_sleepers(p, target);  // (target only compared, never followed: it may have ended)
  return 0;
}

s64 sys_rt_sigaction(Call& c) {
  u64 sig = c.a[0];
  if (sig < 1 || sig > 64 || c.a[3] != 8) return -kEINVAL;
  if (c.a[1] && (sig == kSIGKILL || sig == 19)) return -kEINVAL;
  SigAction old{}, nw{};
  if (c.a[1] && !copy_in(c.p, c.a[1], &nw, sizeof nw)) return -kEFAULT;
  nw.mask &= ~kUnblockable;
  // (where the old action goes is checked first: a bad one changes nothing)
  if (c.a[2] && !user_range(c.p, c.a[2], sizeof old, kWrite)) return -kEFAULT;
  g_hooks->sig_action(c.p->obj, unsigned(sig), c.a[1] ? &nw : nullptr, &old);
  if (c.a[2] && !copy_out(c.p, c.a[2], &old, sizeof old)) return -kEFAULT;
  return 0;
}

s64 sys_rt_sigprocmask(Call& c) {
  if (c.a[3] != 8) return -kEINVAL;
  u64 old = c.t->sigmask, set = 0;
  if (c.a[1] && !copy_in(c.p, c.a[1], &set, 8)) return -kEFAULT;
  if (c.a[1]) {
    switch (c.a[0]) {
      case 0: c.t->sigmask |= set; break;   // SIG_BLOCK
      case 1: c.t->sigmask &= ~set; break;  // SIG_UNBLOCK
      case 2: c.t->sigmask = set; break;    // SIG_SETMASK
      default: return -kEINVAL;
    }
    c.t->sigmask &= ~kUnblockable;
  }
  if (c.a[2] && !copy_out(c.p, c.a[2], &old, 8)) return -kEFAULT;
  return 0;
}

// A call's result when it loaded the registers (rt_sigreturn, swapcontext):
// r3 as restored, not a return value.
constexpr s64 kRestored = s64(0x7fffffffffffffffull);

s64 sys_rt_sigpending(Call& c) {
  if (c.a[1] > 8) return -kEINVAL;
  const u64 set = load_once(c.t->pending) & c.t->sigmask;  // raised while blocked
  return copy_out(c.p, c.a[0], &set, c.a[1]) ? 0 : -kEFAULT;
}

// rt_sigsuspend: waits with the given mask until a signal is delivered;
// its handler returns to the old mask (setup_frame).
s64 sys_rt_sigsuspend(Call& c) {
  if (c.a[1] != 8) return -kEINVAL;
  u64 mask;
  if (!copy_in(c.p, c.a[0], &mask, 8)) return -kEFAULT;
  c.t->suspend_mask = c.t->sigmask;
  c.t->suspended = true;
  c.t->sigmask = mask & ~kUnblockable;
  while (sleep_ns(u64(1) << 50) != -kEINTR) {
  }
  return -kEINTR;
}

// sigaltstack(ss, old_ss): struct stack_t {ss_sp; int ss_flags; ss_size}.
s64 sys_sigaltstack(Call& c) {
  constexpr u32 kOnstack = 1, kDisable = 2, kAutodisarm = 1u << 31;
  constexpr u64 kMinStack = 8192;  // MINSIGSTKSZ (ppc64)
  UThread* ut = c.t;
  const bool on = on_altstack(ut, c.f->gpr[1]);
  u8 old[24] = {};
  const u32 old_flags = !ut->ss_size ? kDisable : on ? kOnstack : 0;
  memcpy(old, &ut->ss_sp, 8);
  memcpy(old + 8, &old_flags, 4);
  memcpy(old + 16, &ut->ss_size, 8);
  if (c.a[0]) {
    u8 n[24];
    if (!copy_in(c.p, c.a[0], n, sizeof n)) return -kEFAULT;
    uval sp;
    u32 flags;
    u64 size;
    memcpy(&sp, n, 8);
    memcpy(&flags, n + 8, 4);
    memcpy(&size, n + 16, 8);
    const u32 mode = flags & ~kAutodisarm;
    if (mode != 0 && mode != kOnstack && mode != kDisable) return -kEINVAL;
    if (on) return -kEPERM;
    if (mode == kDisable) {
      sp = 0;
      size = 0;
    } else if (size < kMinStack) {
      return -kENOMEM;
    }
    ut->ss_sp = sp;
    ut->ss_size = size;
  }
  if (c.a[1] && !copy_out(c.p, c.a[1], old, sizeof old)) return -kEFAULT;
  return 0;
}

// swapcontext(old, new, size) (glibc's getcontext, setcontext and
// swapcontext on ppc64): saves the caller's registers in old (they resume
// after the call, with r3 as it was: old), then loads new's.
s64 sys_swapcontext(Call& c) {
  const uval old_ctx = c.a[0], new_ctx = c.a[1];
  u64 msr;
  if (new_ctx && !get_u64(c.p, new_ctx + uc::kMcontext + sc::kGpRegs + 8 * kPtMsr, &msr)) return -kEFAULT;
  if (c.a[2] < uc::kSize - 32 * 8) return -kEINVAL;  // glibc's ucontext_t without the VSX registers
  if (old_ctx) {
    static_assert(uc::kMcontext + sc::kFpRegs + 33 * 8 <= 1024, "built on the kernel stack");
    u8 b[uc::kMcontext + sc::kFpRegs + 33 * 8];
    if (!copy_in(c.p, old_ctx, b, sizeof b)) return -kEFAULT;  // (uc_link, uc_stack: the program's own)
    TrapFrame at = *c.f;
    at.cr &= ~kCr0So;  // it resumes as a call that succeeded
    fill_ucontext(c.t, &at, b, old_ctx, c.t->sigmask);
    if (!copy_out(c.p, old_ctx, b, sizeof b)) return -kEFAULT;
  }
  if (!new_ctx) return 0;
  return load_ucontext(c.t, c.f, new_ctx) ? kRestored : -kEFAULT;
}


void thread_start(void* arg);

// clone, for threads (pthread_create's flags); ppc64 passes (flags, newsp,
// parent_tid, tls, child_tid). A new thread goes to the next CPU round the
// machine from the process's first, so T threads of a program run on T
// CPUs when there are that many.
s64 sys_clone(Call& c) {
  constexpr u64 kVm = 0x100, kThread = 0x10000, kSetTls = 0x80000, kParentSetTid = 0x100000,
                kChildClearTid = 0x200000, kChildSetTid = 0x1000000, kVfork = 0x4000;
  u64 flags = c.a[0];
  if (!(flags & kVm) || !(flags & kThread) || (flags & kVfork)) return -kENOSYS;  // no fork: one program, one space
  Process* p = c.p;
  auto* ut = static_cast<UThread*>(kzalloc(sizeof(UThread)));
  if (!ut) return -kEAGAIN;
  ut->proc = p;
  u64 lf = p->lock.lock_irqsave();
  ut->tid = p->next_tid++;
  unsigned cpu = unsigned((p->first_cpu + (ut->tid - p->pid)) % ncpus());
  p->lock.unlock_irqrestore(lf);
  ut->start = *c.f;
  ut->start.gpr[3] = 0;
  ut->start.cr &= ~kCr0So;
  if (c.a[1]) ut->start.gpr[1] = c.a[1];
  if (flags & kSetTls) ut->start.gpr[13] = c.a[3];
  ut->start.msr &= ~kMsrFP;
  {  // the parent's floating-point registers, as fork and clone copy them
    u64 f = irq_save();
    if (g_fp_owner[cpu_id()] == c.t) user_fp_save(ut->fp);
    else memcpy(ut->fp, c.t->fp, sizeof ut->fp);
    irq_restore(f);
  }
  if (flags & kChildClearTid) ut->clear_child_tid = c.a[4];
  ut->sigmask = c.t->sigmask;
  memcpy(ut->name, c.t->name, sizeof ut->name);
  if ((flags & kParentSetTid) && !put_u32(p, c.a[2], u32(ut->tid))) {
    kfree(ut);
    return -kEFAULT;
  }
  if ((flags & kChildSetTid) && !put_u32(p, c.a[4], u32(ut->tid))) {
    kfree(ut);
    return -kEFAULT;
  }
  if (!add_thread(p, ut)) {
    kfree(ut);
    return -kEAGAIN;
  }
  atomic_fetch_add(&p->live, u64(1));
  if (p->obj) g_hooks->thread_added(p->obj);
  ThreadOptions to;
  to.cpu = int(cpu);
  to.name = p->name;
  to.aspace = p->as;
  if (!Thread::create(thread_start, ut, to)) {
    atomic_fetch_add(&p->live, u64(-1));
    if (p->obj) g_hooks->thread_removed(p->obj);
    remove_thread(p, ut);
    kfree(ut);
    return -kEAGAIN;
  }
  return s64(ut->tid);
}

s64 dispatch(Call& c, u64 nr) {
  switch (nr) {
    case 1: {  // exit: this thread; the last one ends the process with the code
      if (c.p->live == 1) set_status_once(c.p, int(c.a[0] & 0xff));
      end_thread();
    }
    case 234:  // exit_group
      set_status_once(c.p, int(c.a[0] & 0xff));
      end_thread();
    case 120: return sys_clone(c);
    case 3: return sys_read(c);
    case 4: return sys_write(c);
    case 146: return sys_rwv(c, true);
    case 145: return sys_rwv(c, false);
    case 179: return sys_prw(c, false);  // pread64
    case 180: return sys_prw(c, true);   // pwrite64
    case 41: case 63: case 316: return sys_dup(c, nr);
    case 55: return sys_fcntl(c);
    case 5: return do_openat(c, -100, c.a[0], c.a[1]);
    case 286: return do_openat(c, s64(c.a[0]), c.a[1], c.a[2]);
    case 6: return sys_close(c);
    case 19: return sys_lseek(c);
    case 140: return sys_llseek(c);
    case 108: return sys_fstat(c);
    case 291: return do_fstatat(c, c.a[0], c.a[1], c.a[2], c.a[3]);
    case 106: return do_fstatat(c, u64(-100), c.a[0], c.a[1], 0);      // stat
    case 107: return do_fstatat(c, u64(-100), c.a[0], c.a[1], 0x100);  // lstat
    case 202: return sys_getdents64(c);
    case 85: return do_readlinkat(c, u64(-100), c.a[0], c.a[1], c.a[2]);  // readlink
    case 296: return do_readlinkat(c, c.a[0], c.a[1], c.a[2], c.a[3]);
    case 33: return do_faccessat(c, u64(-100), c.a[0], c.a[1], 0);        // access
    case 298: return do_faccessat(c, c.a[0], c.a[1], c.a[2], 0);          // faccessat
    case 439: return do_faccessat(c, c.a[0], c.a[1], c.a[2], c.a[3]);     // faccessat2
    case 12: return sys_chdir(c);
    case 133: return sys_fchdir(c);
    case 182: return sys_getcwd(c);
    case 45: return sys_brk(c);
    case 90: return sys_mmap(c);
    case 91: return sys_munmap(c);
    case 125: return sys_mprotect(c);
    case 163: return sys_mremap(c);
    case 205: return sys_madvise(c);
    case 122: return sys_uname(c);
    case 325: return sys_prlimit64(c);
    case 359: return sys_getrandom(c);
    case 246: return sys_clock_gettime(c);
    case 247: return sys_clock_getres(c);
    case 78: return sys_gettimeofday(c);
    case 13: return sys_time(c);
    case 43: return sys_times(c);
    case 162: return sys_nanosleep(c);
    case 248: return sys_clock_nanosleep(c);
    case 221: return sys_futex(c);
    case 232: c.t->clear_child_tid = c.a[0]; return s64(c.t->tid);  // set_tid_address
    case 300: return -kENOSYS;               // set_robust_list: as qemu-ppc64 and run-elf
    case 387: return -kENOSYS;               // rseq: the kernel may say so
    case 20: case 65:                        // getpid, getpgrp: the process object's
      return g_hooks && c.p->obj ? s64(g_hooks->pid(c.p->obj)) : s64(c.p->pid);
    case 207: return s64(c.t->tid);          // gettid
    case 64: return 1;                       // getppid
    case 24: case 47: case 49: case 50: return 0;  // getuid, getgid, geteuid, getegid: root
    case 132: case 147: return sys_getpgid(c);     // getpgid, getsid
    case 165: case 170: return sys_getresid(c);    // getresuid, getresgid
    case 80: return 0;                             // getgroups: none
    case 76: case 190: return sys_getrlimit(c);    // getrlimit, ugetrlimit
    case 75: return sys_setrlimit(c);
    case 77: return sys_getrusage(c);
    case 116: return sys_sysinfo(c);
    case 223: return sys_sched_getaffinity(c);
    case 222: return valid_target(c.p, c.a[0]) ? 0 : -kESRCH;  // sched_setaffinity: accepted
    case 302: return sys_getcpu(c);
    case 114: return -kECHILD;                     // wait4: no children
    case 60: {                                     // umask
      const u64 old = c.p->umask;
      c.p->umask = u32(c.a[0] & 0777);
      return s64(old);
    }
    case 171: return sys_prctl(c);
    case 54: {  // ioctl: no terminal
      FileDesc d;
      return desc_of(c.p, c.a[0], &d) ? -kEBADF : -kENOTTY;
    }
    case 173: return sys_rt_sigaction(c);
    case 174: return sys_rt_sigprocmask(c);
    case 172:  // rt_sigreturn
      return sigreturn(c.t, c.f) ? kRestored : (kill_process(c.f, kSIGSEGV, "rt_sigreturn found no signal frame"), 0);
    case 185: return sys_sigaltstack(c);
    case 175: return sys_rt_sigpending(c);
    case 178: return sys_rt_sigsuspend(c);
    case 249: return sys_swapcontext(c);
    case 158: Thread::yield(); return 0;     // sched_yield
    case 37: return sys_kill_self(c, c.a[0], c.a[1]);
    case 208: return s32(c.a[0]) <= 0 ? -kEINVAL : sys_kill_thread(c, c.a[0], c.a[1]);  // tkill
    case 250:  // tgkill
      if (s32(c.a[0]) <= 0 || s32(c.a[1]) <= 0) return -kEINVAL;
      return c.a[0] == c.p->pid ? sys_kill_thread(c, c.a[1], c.a[2]) : -kESRCH;
    default:
      atomic_fetch_add(&c.p->st.unknown_syscalls, u64(1));
      return -kENOSYS;
  }
}

void syscall(TrapFrame* f) {
  UThread* ut = current_uthread();
  Process* p = ut->proc;
  u64 t0 = mach::cycles();
  Thread::quiescent_end();  // a call is a request: it belongs to the current generation
  irq_enable();
  Call c{p, ut, f, {f->gpr[3], f->gpr[4], f->gpr[5], f->gpr[6], f->gpr[7], f->gpr[8]}};
  u64 nr = f->gpr[0];
  s64 r = dispatch(c, nr);
  if (r == kRestored) {
  } else if (r < 0 && r > -4096) {
    f->gpr[3] = u64(-r);
    f->cr |= kCr0So;
  } else {
    f->gpr[3] = u64(r);
    f->cr &= ~kCr0So;
  }
  irq_disable();
  u64 lat = mach::cycles() - t0;
  // (the thread's own counters: added to the process's when it ends)
  u64 n = ++ut->syscalls;
  ut->syscall_cycles += lat;
  if (p->sample && n % p->sample == 0)
    ev::emit(ev::PROGRAM_SYSCALL, p->index, nr, lat, Thread::current()->id, f->gpr[3]);
}

// On the way back to problem state (interrupts off): the thread's kernel
// stack for its next trap, the program's segments, out of any generation.
// MSR[FE0 FE1] turning on while FPSCR[FEX] is set takes the enabled-
// exception interrupt at once (Book III-S 6.5.9), and every return to a
// program turns them on (the kernel runs with them off). qemu-ppc64 and
// run-elf raise an enabled exception only at the instruction that causes
// it: so while a thread's FPSCR holds an exception it was already told of
// (its SIGFPE's handler returned, or its registers came back with one:
// ut->fe_off), it returns with FE0 FE1 off, until it clears the exception.
void fe_guard(UThread* ut, TrapFrame* f) {
  u64 fl = irq_save();
  if (g_fp_owner[cpu_id()] == ut) user_fp_save(ut->fp);
  irq_restore(fl);
  if (ut->fp[32] & kFpscrFEX) {
    f->msr &= ~(kMsrFE0 | kMsrFE1);
  } else {
    f->msr |= kMsrFE0 | kMsrFE1;
    ut->fe_off = false;
  }
}

void prepare_return(TrapFrame* f) {
  PerCpu* c = this_cpu();
  Thread* t = c->current;
  UThread* ut = static_cast<UThread*>(t->user);
  if (ut->proc->dying) end_thread();
  if (ut->pending) deliver_pending(ut, f);
  if (ut->suspended) {  // rt_sigsuspend's signal ran no handler: its old mask is back now
    ut->sigmask = ut->suspend_mask;
    ut->suspended = false;
  }
  if (g_fp_owner[c->cpu] != ut) f->msr &= ~kMsrFP;  // another thread's registers are in the FPU now
  if (ut->fe_off) fe_guard(ut, f);
  c->user_kstack = t->stack_base + (uval(t->stack_pages) << kPageShift);
  mmu::load_low(t->aspace);
  Thread::quiescent_begin();
}

void thread_start(void* arg) {
  UThread* ut = static_cast<UThread*>(arg);
  Thread::current()->user = ut;
  ev::emit(ev::PROGRAM_THREAD, ut->proc->index, Thread::current()->id, ut->tid);
  TrapFrame f = ut->start;
  irq_disable();
  mmu::enter_mode(0);  // to problem state through rfid, from real mode (load_low changes slots 0-15)
  prepare_return(&f);
  user_resume(&f);
}

}  // namespace

void trap(TrapFrame* f) {
  Thread* t = Thread::current();
  switch (f->vector) {
    case vec::kExternal:
    case vec::kDecrementer:
      serve_interrupt(f);
      break;
    case vec::kSystemCall:
      t->interrupted = f;
      syscall(f);
      t->interrupted = nullptr;
      break;
    case vec::kDataStorage:
    case vec::kInstStorage: {
      t->interrupted = f;
      UThread* ut = current_uthread();
      u64 t0 = mach::cycles();
      Thread::quiescent_end();  // the fault may go through objects (a region, a memory object)
      ut->fault_region = ut->fault_memory = 0;
      bool ok = mmu::handle_fault(f);
      u64 lat = mach::cycles() - t0;
      ut->fault_cycles += lat;
      ev::emit(ev::PROGRAM_FAULT, ut->proc->index, f->vector == vec::kDataStorage ? f->dar : f->pc, lat,
               ut->fault_memory, ok ? 0 : 1, ut->fault_region);
      t->interrupted = nullptr;
      if (!ok && ut->proc->out_of_memory) kill_process(f, kSIGKILL, "out of memory (no free page for a fault)");
      Area a;
      const bool mapped = area_at(ut->proc, f->vector == vec::kDataStorage ? f->dar : f->pc, &a);
      if (!ok)  // SEGV_ACCERR where an area is (its protection refused the access), else SEGV_MAPERR
        fault_signal(f, kSIGSEGV, mapped ? 2 : 1,
                     f->vector == vec::kDataStorage ? "data storage fault" : "instruction storage fault");
      break;
    }
    case 0x380:
    case 0x480:
      fault_signal(f, kSIGSEGV, 1, f->vector == 0x380 ? "data segment fault (address above 4 GiB)"
                                                      : "instruction segment fault (address above 4 GiB)");
      break;
    case vec::kProgram:
      if (f->msr & (1ull << 17)) fault_signal(f, kSIGTRAP, 1, "trap instruction");
      else if (f->msr & (1ull << 18)) fault_signal(f, kSIGILL, 5, "privileged instruction");
      else if (f->msr & (1ull << 20)) fault_signal(f, kSIGFPE, fpe_code(), "floating-point enabled exception");
      else fault_signal(f, kSIGILL, 1, "illegal instruction");
      break;
    case vec::kFpUnavailable: {
      UThread* ut = current_uthread();
      UThread*& owner = g_fp_owner[cpu_id()];
      if (owner != ut) {
        if (owner) user_fp_save(owner->fp);
        user_fp_load(ut->fp);
        owner = ut;
        if (ut->fp[32] & kFpscrFEX) ut->fe_off = true;  // (prepare_return: fe_guard)
      }
      f->msr |= kMsrFP;
      break;
    }
    case vec::kAlignment:
      fault_signal(f, kSIGBUS, 1, "alignment interrupt");
      break;
    default:
      kill_process(f, kSIGILL, "unexpected interrupt in problem state");
  }
  prepare_return(f);
}

Process* spawn(const char* path, const SpawnOptions& o, char* err, unsigned err_size) {
  auto fail = [&](const char* why, Process* p) -> Process* {
    ksnprintf(err, err_size, "%s: %s", path, why);
    if (p) release(p);
    return nullptr;
  };
  if (!mmu::enabled()) return fail("programs need the MMU (boot argument mmu=on)", nullptr);
  if (!g_hooks) return fail("no kernel objects for programs in this kernel", nullptr);
  initrd::File file;
  if (!initrd::find(path, &file)) return fail(initrd::present() ? "no such file in the initial image" : "no initial image", nullptr);
  auto* p = static_cast<Process*>(kzalloc(sizeof(Process)));
  if (!p) return fail("no memory", nullptr);
  new (&p->lock) SpinLock();
  new (&p->done_wq) WaitQueue();
  new (&p->mm) Mutex();
  p->elf = file.data;
  p->elf_size = file.size;
  ksnprintf(p->path, sizeof p->path, "/%s", file.name);
  const char* base = file.name;
  for (const char* s = file.name; *s; ++s)
    if (*s == '/') base = s + 1;
  ksnprintf(p->name, sizeof p->name, "%s", o.name ? o.name : base);
  p->index = o.index;
  p->sample = o.sample;
  p->pid = kPid + o.index;
  p->next_tid = p->pid;
  p->random_state = 0x2545f4914f6cdd1dull;
  p->umask = 022;
  default_rlimits(p);
  p->cwd = initrd::root();
  if (o.cwd) {
    initrd::File d;
    if (initrd::resolve(p->cwd, o.cwd, true, &d) != 0 || !initrd::is_dir(d))
      return fail("its working directory is not a directory of the initial image", p);
    p->cwd = d;
  }
  p->start_tb = mach::mftb();
  if (const char* why = load_elf(p)) return fail(why, p);
  const unsigned stack_area = p->nareas;
  if (!add_area(p, kStackTop - kStackBytes, kStackTop, kRead | kWrite | (p->stack_exec ? u32(kExec) : 0u)))
    return fail("too many segments", p);
  p->as = AddressSpace::create(true);
  if (!p->as) return fail("no address space left", p);
  if (p->as->add_mapping(0, mmu::kLowEnd, process_fault, p) != kOk) return fail("no memory", p);
  auto* ut = static_cast<UThread*>(kzalloc(sizeof(UThread)));
  if (!ut) return fail("no memory", p);
  ut->proc = p;
  ut->tid = p->next_tid++;
  ksnprintf(ut->name, sizeof ut->name, "%s", p->name);
  {  // its objects, before anything touches its memory
    p->obj = g_hooks->create(p->pid, o.echo, p->start_tb);
    if (!p->obj) {
      kfree(ut);
      return fail("no process object could be made", p);
    }
    g_hooks->thread_added(p->obj);
    if (!open_standard(p, o.stdin_path)) {
      kfree(ut);
      return fail(o.stdin_path ? "its standard input is not in the initial image" : "no memory for its file table", p);
    }
    p->mem_pages = g_hooks->memory_pages(p->obj);
    p->mem_touched = p->mem_pages ? static_cast<u64*>(kzalloc((p->mem_pages + 63) / 64 * 8)) : nullptr;
    if (p->mem_pages && !p->mem_touched) p->mem_pages = 0;  // (then every fault is the kernel's own)
    attach_segments(p);
    // The signal trampoline's page (the kernel's own frame, read and execute).
    if (!add_area(p, kSigTramp, kSigTramp + kPage, kRead | kExec, kTrampoline, kSigTramp, sizeof kTrampoline)) {
      kfree(ut);
      return fail("too many segments", p);
    }
    // The stack and the brk heap: a memory object each (zeros), the
    // heap's of program_heap_pages pages (default 32768, 128 MiB).
    Area& stack = p->area[stack_area];
    const u32 stack_pages = u32(kStackBytes >> kPageShift);
    attach_own(stack, g_hooks->memory_create(p->obj, 0, 0, 0, 0, stack_pages), stack_pages, kMemoryStack);
    const u32 heap_pages = u32(bootargs::get_u64("program_heap_pages", 32768));
    if (heap_pages && (p->heap_obj = g_hooks->memory_create(p->obj, 0, 0, 0, 0, heap_pages))) p->heap_pages = heap_pages;
  }
  if (const char* why = build_stack(p, o, &ut->start)) {
    kfree(ut);
    return fail(why, p);
  }
  p->live = 1;
  add_thread(p, ut);  // (the list is empty: there is room)
  p->first_cpu = o.cpu < 0 ? cpu_id() : unsigned(o.cpu);
  ThreadOptions to;
  to.cpu = int(p->first_cpu);
  to.name = p->name;
  to.aspace = p->as;
  if (!Thread::create(thread_start, ut, to)) {
    remove_thread(p, ut);
    kfree(ut);
    return fail("no memory for its thread", p);
  }
  ev::emit(ev::PROGRAM_START, p->index, p->as->asid, p->elf_size, p->pid);
  return p;
}

int wait(Process* p) {
  u64 f = p->done_wq.lock.lock_irqsave();
  while (!p->done) {
    p->done_wq.sleep_locked(f);
    f = p->done_wq.lock.lock_irqsave();
  }
  p->done_wq.lock.unlock_irqrestore(f);
  return p->status;
}

ProcessStats stats(const Process* p) { return p->st; }

uval heap_start(const Process* p) { return p->brk_start; }

PageInfo page_info(Process* p, uval ea) {
  u32 prot = 0, region = 0, memory = 0;
  bool no_memory;
  uval fr = frame_for(p, ea & ~(kPage - 1), &prot, &no_memory, &region, &memory);
  return PageInfo{fr, memory, (prot & kWrite) != 0};
}

void release(Process* p) {
  if (p->as) {
    for (u64 i = 0; i < p->pt.cap; ++i)
      if (p->pt.keys[i]) {
        uval page = uval(p->pt.keys[i]) << kPageShift;
        mmu::unmap(p->as, page, p->as->cpus);
        page_allocator().deallocPages(p->pt.frames[i], kPage);
      }
    for (unsigned i = 0; i < p->nareas; ++i) {  // the memory objects' pages (their frames stay with them)
      const Area& a = p->area[i];
      if (a.mem) unmap_touched(p, a, a.base, a.end);
    }
    p->as->remove_mapping(0);
    p->as->destroy();
  }
  // Its objects, now that nothing maps their pages.
  if (g_hooks) {
    if (p->elf_obj) g_hooks->file_close(p->elf_obj);
    if (p->obj) g_hooks->destroy(p->obj);
  }
  for (unsigned i = 0; i < p->nareas; ++i) {  // an area's own bitmap, once (mprotect splits share one)
    const Area& a = p->area[i];
    bool first = a.kind != kMemoryFileMap;  // (those are map_bitmaps')
    for (unsigned j = 0; j < i && first; ++j) first = p->area[j].touched != a.touched;
    if (first) kfree(const_cast<u64*>(a.touched));
  }
  for (unsigned i = 0; i < p->nmap_bitmaps; ++i) kfree(const_cast<u64*>(p->map_bitmaps[i]));
  kfree(const_cast<u64*>(p->mem_touched));
  kfree(p->pt.keys);
  kfree(p->pt.frames);
  kfree(p);
}

void set_object_hooks(const ObjectHooks* h) { g_hooks = h; }

namespace {
struct Launch {
  unsigned index;
  char path[64];
  char args[256];
  int cpu;
  u64 at_us, sample;
  char stdin_path[64];
  char cwd[64];
};
Latch* g_programs_done;

// Splits `args` (modified) at spaces into argv after argv[0].
unsigned split_args(char* args, const char* argv0, const char** argv, unsigned max);

// A program of the initial image started with the arguments in `args`
// (split at spaces, modified), PATH=/ and HOME=/; nullptr with the reason
// in err (what launcher and run_init share).
Process* start(const char* path, char* args, SpawnOptions o, char* err, unsigned err_size) {
  const char* argv[32];
  static const char* const envp[] = {"PATH=/", "HOME=/"};
  o.argv = argv;
  o.argc = split_args(args, path, argv, 32);
  o.envp = envp;
  o.envc = 2;
  return spawn(path, o, err, err_size);
}

unsigned split_args(char* args, const char* argv0, const char** argv, unsigned max) {
  unsigned argc = 0;
  argv[argc++] = argv0;
  for (char* s = args; *s && argc < max;) {
    while (*s == ' ') *s++ = 0;
    if (!*s) break;
    argv[argc++] = s;
    while (*s && *s != ' ') ++s;
  }
  return argc;
}

void launcher(void* arg) {
  Launch* l = static_cast<Launch*>(arg);
  Thread::quiescent_begin();
  u64 at = l->at_us * (sched::clock_hz() / 1000000);
  u64 now = mach::cycles();
  if (at > now) Thread::sleep_cycles(at - now);
  Thread::quiescent_end();
  SpawnOptions o;
  o.cpu = l->cpu;
  o.index = l->index;
  o.sample = l->sample;
  if (l->stdin_path[0]) o.stdin_path = l->stdin_path;
  if (l->cwd[0]) o.cwd = l->cwd;
  char err[160];
  Process* p = start(l->path, l->args, o, err, sizeof err);
  if (!p) {
    kprintf("program %u: %s\n", l->index, err);
    ev::emit(ev::PROGRAM_END, l->index, 127, 0, 0, 0, 0);
  } else {
    Thread::quiescent_begin();
    int status = wait(p);
    Thread::quiescent_end();
    if (!bootargs::get_bool("quiet", false)) {
      ProcessStats st = stats(p);
      kprintf("program %u: %s exited with status %d (%lu system calls, %lu page faults)\n", l->index, l->path, status,
              st.syscalls, st.faults);
    }
    release(p);
  }
  g_programs_done->count_down();
}
}  // namespace

unsigned start_programs() {
  u64 n = bootargs::get_u64("programs", 0);
  if (!n) return 0;
  if (n > 64) n = 64;
  g_programs_done = new Latch(n);
  for (unsigned i = 0; i < n; ++i) {
    auto* l = static_cast<Launch*>(kzalloc(sizeof(Launch)));
    KASSERT(l);
    char key[32];
    l->index = i;
    ksnprintf(key, sizeof key, "p%u.path", i);
    const char* path = bootargs::get(key);
    ksnprintf(l->path, sizeof l->path, "%s", path ? path : "?");
    ksnprintf(key, sizeof key, "p%u.args", i);
    const char* a = bootargs::get(key);
    ksnprintf(l->args, sizeof l->args, "%s", a ? a : "");
    ksnprintf(key, sizeof key, "p%u.cpu", i);
    l->cpu = int(bootargs::get_u64(key, 0) % ncpus());
    ksnprintf(key, sizeof key, "p%u.at_us", i);
    l->at_us = bootargs::get_u64(key, 0);
    ksnprintf(key, sizeof key, "p%u.sample", i);
    l->sample = bootargs::get_u64(key, 1);
    ksnprintf(key, sizeof key, "p%u.stdin", i);
    if (const char* in = bootargs::get(key)) ksnprintf(l->stdin_path, sizeof l->stdin_path, "%s", in);
    ksnprintf(key, sizeof key, "p%u.cwd", i);
    if (const char* wd = bootargs::get(key)) ksnprintf(l->cwd, sizeof l->cwd, "%s", wd);
    ThreadOptions to;
    to.name = "program launcher";
    if (!Thread::create(launcher, l, to)) panic("no memory for a program launcher");
  }
  return unsigned(n);
}

void wait_programs() {
  if (!g_programs_done) return;
  Thread::quiescent_begin();
  g_programs_done->wait();
  Thread::quiescent_end();
}

bool run_init(int* status) {
  const char* path = bootargs::get("init");
  if (!path) return false;
  // init_args: the program's arguments after argv[0], separated by spaces.
  static char args[512];
  const char* a = bootargs::get("init_args");
  ksnprintf(args, sizeof args, "%s", a ? a : "");
  SpawnOptions o;
  o.cpu = int(bootargs::get_u64("init_cpu", 0));
  if (o.cpu >= int(ncpus())) o.cpu = 0;
  o.stdin_path = bootargs::get("init_stdin");
  o.cwd = bootargs::get("init_cwd");
  char err[160];
  Process* p = start(path, args, o, err, sizeof err);
  if (!p) {
    kprintf("init: %s\n", err);
    *status = 127;
    return true;
  }
  *status = wait(p);
  if (!bootargs::get_bool("quiet", false)) {
    ProcessStats st = stats(p);
    kprintf("init: %s exited with status %d (%lu system calls, %lu page faults, %lu pages)\n", path, *status,
            st.syscalls, st.faults, st.pages);
  }
  release(p);
  return true;
}

}  // namespace user
