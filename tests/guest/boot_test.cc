// Boot and power-off: every CPU came up, its idle thread runs, the symbol
// table is present and the page allocator and heap work.
#include "kernel/heap.h"
#include "kernel/ksym.h"
#include "kernel/ktest.h"
#include "kernel/page_allocator.h"
#include "kernel/percpu.h"
#include "kernel/thread.h"

extern u64 boot_done_cycles();

KTEST(boot, "1,2,4,16,64") {
  for (unsigned n = 0; n < ncpus(); ++n) {
    KEXPECT(cpu_area(n)->self == cpu_area(n), "CPU %u has no per-CPU area", n);
    KEXPECT(cpu_area(n)->idle != nullptr, "CPU %u has no idle thread", n);
  }
  KEXPECT(ksym::present(), "no embedded symbol table");
  ksym::Symbol s;
  KEXPECT(ksym::lookup("kernel_boot", &s) && s.kind == ksym::kDescriptor, "kernel_boot not in the symbol table");
  KEXPECT(page_allocator().freeBytes() > 0, "no free memory");
  void* p = kmalloc(100);
  KEXPECT(p != nullptr, "kmalloc failed");
  kfree(p);
  KEXPECT(boot_done_cycles() > 0, "boot time not recorded");
}
