// Programs: unmodified static ppc64 Linux executables (ELFv1, big-endian)
// run as processes in problem state (kernel/user.cc).
//
// A program comes from the initial image (kernel/initrd.h). spawn() checks
// it is a static 64-bit PowerPC executable whose segments fit below the
// stack, gives it a Linux-layout address space (AddressSpace::low: EA 0 -
// 4 GiB in SLB slots 0-15 while it runs), describes its memory as areas
// (the ELF's segments, the brk heap, anonymous mmaps, the stack) whose pages
// are filled by its page faults, builds the stack Linux builds (argc, argv,
// envp, the auxiliary vector) and starts a thread that enters the program
// in problem state with translation on.
//
// A trap from problem state arrives on the thread's kernel stack
// (entry.S); user::trap serves it in real mode: system calls (the calling
// thread joins the current generation for the call's duration and leaves it
// again on the way back, so a program that runs for ever holds no update
// up), page faults, interrupts; anything else kills the process with a
// report (CPU, PC, symbol from the program's own ELF, address, cause), and
// the kernel goes on.
//
// Locking: a process's areas, page table and output under its lock (a
// spinlock, interrupts off, never held across a page allocation's sleep —
// the page allocator does not sleep).
#pragma once

#include "kernel/sync.h"
#include "kernel/types.h"

struct TrapFrame;

namespace user {

struct Process;

struct SpawnOptions {
  unsigned index = 0;         // its number in events (p<i>. of programs=N)
  u64 sample = 1;             // PROGRAM_SYSCALL for every sample-th system call (0: none)
  const char* const* argv = nullptr;  // argv[0] defaults to the path
  unsigned argc = 0;
  const char* const* envp = nullptr;
  unsigned envc = 0;
  int cpu = -1;               // its first thread's CPU (-1: the caller's)
  bool echo = true;           // its standard output and error also go to the console
  const char* name = nullptr; // for reports (default: the path's last part)
  const char* stdin_path = nullptr;  // a file of the initial image as its standard input (default: none, reads end at once)
  const char* cwd = nullptr;         // its working directory, a directory of the image (default: the root)
};

// An open file description: what one of a program's descriptors names
// (descriptors made by dup name the same one and share its position).
enum : u32 {
  kFdNull = 0,     // reads end at once (standard input without a file: /dev/null)
  kFdConsole = 1,  // the program's output: the console and its report (fds 1 and 2)
  kFdFile = 2,     // a file of the initial image, read-only
  kFdDir = 3,      // a directory of the initial image (data: its name there; pos: getdents64's next entry)
};
constexpr u32 kMaxFds = 256;  // descriptors per program (RLIMIT_NOFILE)
// ObjectHooks::fd_dup's `how`.
enum : u32 {
  kDupLowest = 0,   // the lowest free descriptor >= to (dup, F_DUPFD)
  kDupExact = 1,    // descriptor `to`, closing what it named (dup2, dup3)
  kDupCloexec = 2,  // the new descriptor is close-on-exec
};
struct FileDesc {
  u32 kind;
  u32 status;      // open(2)'s O_ACCMODE, O_APPEND, O_NONBLOCK (fcntl F_GETFL)
  const u8* data;  // kFdFile: its bytes, size, mode and inode number
  u64 size;
  u32 mode;
  u64 ino;
  u64 obj;         // kFdFile: its FCM (ObjectHooks::file_open), let go of with the description's last descriptor
  u64 pos;
};

// A thread waiting on a futex word: one record on its own kernel stack,
// in its program's futex table (ObjectHooks::fx_*) while it waits. A word
// is (address, shared or private): a private wait is not woken by a
// shared wake of the same address, as Linux keys them.
struct FutexWaiter {
  uval addr;
  bool shared;
  u32 bitset;
  const void* thread;       // which thread waits (a signal for it nudges the record)
  FutexWaiter* next;        // (the table's list, under its lock)
  volatile bool woken;      // a waker took it off the list
  WaitQueue wq;             // where it sleeps
  u64 irqs;                 // fx_enqueue: the interrupt state to sleep_locked with
};

// A signal's action: rt_sigaction's struct kernel_sigaction (handler 0:
// the default action, 1: ignored; else a function descriptor's address),
// kept in the program's signal table (ObjectHooks::sig_*).
struct SigAction {
  u64 handler, flags, restorer, mask;
};

// Loads `path` from the initial image and starts it. nullptr with a reason
// in err when the file is missing or is not a program this kernel runs.
Process* spawn(const char* path, const SpawnOptions& o, char* err, unsigned err_size);

// Blocks until every thread of p has ended; returns the exit status
// (exit_group's code & 0xff, or 128 + signal when it was killed).
int wait(Process* p);
// Statistics of its life.
struct ProcessStats {
  u64 syscalls, syscall_cycles, faults, fault_cycles, pages, threads, unknown_syscalls;
};
ProcessStats stats(const Process* p);
void release(Process* p);  // after wait(): frees its memory and address space, destroys its objects

// What backs page `ea` of p (a kernel debugger's view, for tests): its
// frame, faulted in as the program's access would (0: no area there or no
// memory), and where it came from: 0 the kernel's own frames, 1 the
// anonymous memory object (mmap), 2 its file's FCM, 3 a private copy of
// the file, 4 the stack's memory object, 5 the brk heap's, 6 a private
// mapping of a file (mmap).
struct PageInfo {
  uval frame;
  u32 memory;
  bool writable;
};
PageInfo page_info(Process* p, uval ea);
uval heap_start(const Process* p);  // the brk heap's first address
constexpr uval kStackTop = 0xffff0000;  // the main thread's stack grows down from here (8 MiB)

// Boot argument init=PATH (with init_args="A B ...", init_cpu=N,
// init_stdin=/FILE, its standard input from the initial image, and
// init_cwd=/DIR, its working directory there): runs
// that program, waits for it and returns true with its exit status (127
// when it cannot start); false without init=.
bool run_init(int* status);

// The objects behind each program (guest_os/objects/program_process.cc
// installs these at boot; without them no program can start): a handle
// made per program, then its calls through the translation table.
struct ObjectHooks {
  // Made at the program's start: echo, whether its output also goes to
  // the console; start_tb, the timebase then (its clocks' zero). 0: none
  // could be made.
  u64 (*create)(u64 pid, bool echo, u64 start_tb);
  u64 (*pid)(u64 handle);
  void (*thread_added)(u64 handle);
  void (*thread_removed)(u64 handle);
  // The program's memory is memory objects (FCMs) a region maps: its
  // anonymous memory object (mmap areas), the FCMs of the files it runs
  // and reads, private copies of parts of them (its data segments).
  // memory_pages: how many pages the anonymous one has (0: none, the
  // kernel serves those faults itself). memory_fault: the frame of page
  // `page` of memory object `memory` (0: the anonymous one) for a fault at
  // vpage, through the program's region (*region: 1 shared, 2
  // partitioned); memory_release: the region forgets [vpage, +n).
  u32 (*memory_pages)(u64 handle);
  SysStatus (*memory_fault)(u64 handle, u64 memory, uval vpage, u32 page, uval* frame, u32* region);
  void (*memory_release)(u64 handle, uval vpage, u32 n);
  // A file of the initial image as a memory object: its FCM, the cache of
  // its pages, one per file, shared by every program that runs or reads it
  // (counted: file_close drops one use; the last one destroys it). 0: none.
  u64 (*file_open)(const u8* bytes, u64 size);
  void (*file_close)(u64 file);
  SysStatus (*file_page)(u64 file, u32 page, uval* frame);  // (read: a call on the FCM)
  // A memory object of npages pages the program owns (0: none could be
  // made): zeros (file 0: its stack, its brk heap), or a private copy of
  // pages [first, first + npages) of `file` of which only byte offsets
  // [keep_lo, keep_hi) (from the copy's first page) are kept, the rest
  // zeros, each page copied at its first fault (a writable segment).
  u64 (*memory_create)(u64 handle, u64 file, u32 first, u64 keep_lo, u64 keep_hi, u32 npages);
  // Pages [first, first + n) of memory object `memory` (one the program
  // owns) give their frames back and read zeros again (brk shrinking);
  // nothing maps them any more.
  void (*memory_discard)(u64 handle, u64 memory, u32 first, u32 n);
  // Its descriptors: a file table object (objects/file_table.h, which says
  // what each call does; results are descriptors or negative errnos).
  // fd_close and an exact fd_dup let go of a file's FCM (file_close) with
  // its description's last descriptor.
  s64 (*fd_install)(u64 handle, const FileDesc& d, u32 min_fd, bool cloexec);
  s64 (*fd_get)(u64 handle, u32 fd, FileDesc* out);
  s64 (*fd_close)(u64 handle, u32 fd);
  s64 (*fd_dup)(u64 handle, u32 fd, u32 to, u32 how);
  s64 (*fd_flags)(u64 handle, u32 fd, s64 set);
  s64 (*fd_update)(u64 handle, u32 fd, u64 pos, s64 status);
  // Its futex waiters: a futex table object (objects/futex_table.h, which
  // says what each call does). The words are the program's, given as
  // kernel pointers to them (a frame of its memory).
  s64 (*fx_enqueue)(u64 handle, FutexWaiter* w, const volatile u32* word, u32 want);
  bool (*fx_leave)(u64 handle, FutexWaiter* w);
  u64 (*fx_wake)(u64 handle, uval addr, bool shared, u32 bitset, u64 n);
  s64 (*fx_requeue)(u64 handle, uval addr, uval to, bool shared, u64 n, u64 m, const volatile u32* word, u32 cmp);
  s64 (*fx_wake_op)(u64 handle, uval addr, uval addr2, bool shared, u64 n, u64 m, volatile u32* word2, u32 code);
  void (*fx_nudge)(u64 handle, const void* thread);
  // Its signal actions: a signal table object (objects/signal_table.h).
  // sig_action: rt_sigaction (sig checked by the caller); sig_deliver: the
  // action a delivery of sig takes (SA_RESETHAND's reset in the same step).
  s64 (*sig_action)(u64 handle, unsigned sig, const SigAction* nw, SigAction* old);
  void (*sig_deliver)(u64 handle, unsigned sig, SigAction* out);
  // Its clocks: a clock object (objects/program_clock.h): clock_now, a
  // clock's time in ns; clock_res, its resolution. false: no such clock.
  bool (*clock_now)(u64 handle, u64 clock, u64* ns);
  bool (*clock_res)(u64 handle, u64 clock, u64* ns);
  // Its standard output and error: a console stream object
  // (objects/console_stream.h): out_write, bytes written to a console
  // descriptor (a kernel copy, at most 256); out_totals, their count and
  // digest; out_flush at its end.
  void (*out_write)(u64 handle, const char* bytes, u64 n);
  void (*out_totals)(u64 handle, u64* bytes, u64* digest);
  void (*out_flush)(u64 handle);
  // After the program's end (no call can reach its objects any more):
  // closes its descriptors and destroys its file table, process object,
  // memory objects and regions.
  void (*destroy)(u64 handle);
};
void set_object_hooks(const ObjectHooks* h);

// Boot arguments programs=N and, for each i < N, p<i>.path=/NAME (in the
// initial image), p<i>.args="A B", p<i>.cpu=C, p<i>.at_us=T (start time
// after boot), p<i>.sample=K (every K-th system call is an event),
// p<i>.stdin=/FILE (its standard input), p<i>.cwd=/DIR: starts
// one launcher thread per program, which starts it at its time, waits for
// it and emits PROGRAM_END. Returns N (0 without programs=).
unsigned start_programs();
// Blocks until every program start_programs started has ended.
void wait_programs();

// Every trap from problem state (trap_dispatch).
void trap(TrapFrame* f);

}  // namespace user
