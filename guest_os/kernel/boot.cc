// Boot on every CPU (entry.S enters kernel_boot).
//
// CPU 0 checks the boot-information block, reads the boot arguments, runs
// the static constructors and sets up the page allocator and the heap while
// the other CPUs wait; then every CPU makes its boot context its idle
// thread, starts its decrementer and meets the others at a barrier. CPU 0
// then starts the main kernel thread, which runs the selected guest test or
// workload.
//
// Memory map (real mode, flat): vectors at 0, the kernel image from 0x4000
// to _end (the symbol table last), then the page allocator's memory up to
// the lowest boot stack; the boot stacks (64 KiB per CPU) and the
// boot-information block with the argument area sit at the top of RAM.
// The .bss is not cleared: RAM starts zeroed and the loader loads only the
// file-backed bytes, so it is zero already (clearing it here would race
// with the other CPUs, which start at the same moment).
#include "kernel/bootargs.h"
#include "kernel/console.h"
#include "kernel/cxxrt.h"
#include "kernel/events.h"
#include "kernel/generation.h"
#include "kernel/heap.h"
#include "kernel/initrd.h"
#include "kernel/irq.h"
#include "kernel/ksym.h"
#include "kernel/ktest.h"
#include "kernel/machine.h"
#include "kernel/mmu.h"
#include "kernel/string.h"
#include "kernel/page_allocator.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/user.h"
#include "kernel/workload.h"

PerCpu g_percpu[kMaxCpus];
u64 g_ncpus;

extern "C" char _end[];

namespace {

volatile u64 g_boot_released = 0;
const mach::BootInfo* g_bootinfo;
u64 g_boot_done_cycles;

}  // namespace

u64 mach::memory_bytes() { return g_bootinfo->memory_bytes; }

namespace {

void kernel_main(void*) {
  if (ktest::run_selected()) power_off(0);  // (run_selected powers off itself)
  int status;
  if (user::run_init(&status)) power_off(status);
  unsigned programs = user::start_programs();  // beside the workloads
  if (!bootargs::get_u64("workloads", 0) && !bootargs::get("workload") && programs) {
    user::wait_programs();
    if (bootargs::get_bool("stay", true)) {
      kprintf("kernel: programs finished; staying up\n");
      return;
    }
    power_off(0);
  }
  if (workload::run_selected()) {
    if (bootargs::get_bool("stay", false)) {
      kprintf("kernel: workload finished; staying up (stay=1)\n");
      return;
    }
    power_off(0);
  }
  if (bootargs::get_bool("stay", false)) return;
  kprintf("kernel: no test= or workload= boot argument; powering off\n");
  power_off(0);
}

void boot_cpu0(u64 ncpus, const mach::BootInfo* bi) {
  g_bootinfo = bi;
  g_ncpus = ncpus;
  if (bi->magic != mach::kBootInfoMagic) {
    static const char msg[] = "kernel: bad boot-information block\n";
    console_write_unlocked(msg, sizeof msg - 1);
    power_off(125);
  }
  bootargs::init(bi->args, bi->args_size);
  // dcbz zeroes exactly one line of this size; only a sane power of two.
  if (bi->line_size >= 16 && bi->line_size <= 4096 && !(bi->line_size & (bi->line_size - 1)))
    g_zero_line_bytes = bi->line_size;
  ev::trace_threads = bootargs::get_bool("trace_threads", false);
  ev::trace_switches = bootargs::get_bool("trace_switches", false);
  ev::trace_ipis = bootargs::get_bool("trace_ipis", false);
  ev::trace_locks = bootargs::get_bool("trace_locks", false);
  sched::set_clock(bi->clock_hz, bi->timebase_divider);
  run_static_constructors();
  uval lowest_stack = bi->stack_top - ncpus * bi->stack_size;
  uval free_base = mmu::boot_reserve(uval(_end), bi->memory_bytes);  // the hashed page table, with mmu=on
  // The initial image, if any, sits just below the boot stacks (the host
  // put it there): the page allocator's memory ends below it.
  uval free_top = lowest_stack;
  if (bi->initrd && bi->initrd_size && bi->initrd > free_base && bi->initrd + bi->initrd_size <= lowest_stack) {
    initrd::init(bi->initrd, bi->initrd_size);
    free_top = bi->initrd & ~uval(0xffff);
  }
  pages_init(free_base, free_top);
  heap_init();
  mmu::boot_map_kernel(uval(_end), lowest_stack, bi->memory_bytes);
  ev::name_range("kernel image", 0, uval(_end));
  if (!bootargs::get_bool("quiet", false))
    kprintf("dusim kernel: %lu CPUs, %lu MiB, %lu MHz, %lu KiB free, %lu symbols\n", ncpus, bi->memory_bytes >> 20,
            bi->clock_hz / 1000000, page_allocator().freeBytes() >> 10, ksym::count());
}

}  // namespace

extern "C" [[noreturn]] void kernel_boot(u64 cpu, u64 ncpus, const mach::BootInfo* bi) {
  if (cpu >= kMaxCpus) {
    if (cpu == kMaxCpus) {
      static const char msg[] = "kernel: more CPUs than kMaxCpus; the extra CPUs stay parked\n";
      console_write_unlocked(msg, sizeof msg - 1);
    }
    for (;;) mach::cpu_relax();
  }
  if (ncpus > kMaxCpus) ncpus = kMaxCpus;
  PerCpu* c = &g_percpu[cpu];
  asm volatile("mr 13,%0\n mtsprg 0,%0" ::"r"(c) : "memory");
  c->self = c;
  c->cpu = cpu;
  asm volatile("std 2,%0" : "=m"(c->kernel_toc));
  if (cpu == 0) {
    boot_cpu0(ncpus, bi);
    mach::lwsync();  // everything CPU 0 set up before the release; partner: isync below
    g_boot_released = 1;
  } else {
    while (!g_boot_released) mach::cpu_relax();
    mach::isync();
  }
  mmu::init_cpu();
  mmu::enter_mode(mmu::thread_mode());  // the boot context becomes the idle thread: translated too
  gen::init_cpu(unsigned(cpu));
  sched::init_cpu(unsigned(cpu));
  ev::emit(ev::BOOT_CPU_UP, cpu, ncpus);
  cpu_barrier();
  if (cpu == 0) {
    g_boot_done_cycles = mach::cycles();
    ev::emit(ev::BOOT_DONE, ncpus, bi->memory_bytes, page_allocator().freeBytes() >> kPageShift);
    if (mmu::enabled()) ev::emit(ev::MMU_ON, mmu::hpt_base(), mmu::hpt_bytes(), u64(mmu::tlbi_method()));
    if (!bootargs::get_bool("quiet", false))
      kprintf("boot: %lu CPUs up at %lu cycles (%lu us simulated)\n", ncpus, g_boot_done_cycles,
              g_boot_done_cycles / (bi->clock_hz / 1000000));
    ThreadOptions o;
    o.name = "kernel main";
    if (!Thread::create(kernel_main, nullptr, o)) panic("no memory for the main kernel thread");
  }
  sched::idle_loop();
}

u64 boot_done_cycles() { return g_boot_done_cycles; }
