// Minimal runtime for bare-metal test images on the dusim machine: the boot
// protocol's arguments, console output, sim-control, the interrupt
// controller, and the few atomics the tests need. Freestanding C, ppc64.
#pragma once

typedef unsigned long u64;
typedef unsigned int u32;

struct bootinfo {
  u64 magic, version, memory_bytes, cpus, clock_hz, timebase_divider;
  u64 uart, intc, simctl, mailbox, stack_top, stack_size, args, args_size, line_size;
};

#define MMIO(addr) (*(volatile u64*)(addr))
#define UART_BASE 0xf0000000ul
#define INTC_BASE 0xf0001000ul
#define SIMCTL_BASE 0xf0002000ul

// Entry point each image defines: runs on every CPU.
void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi);
// Registers an interrupt saved; the handler may change srr0/srr1.
struct frame {
  u64 r0, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, lr, ctr, cr, xer, srr0, srr1;
};
// Called from every vector with MSR[EE] off. The default handles 0x500 by
// calling bare_external_interrupt, ignores 0x900 and 0xc00, and powers off
// with code 99 on anything else.
void bare_interrupt(u64 cpu, u64 vector, struct frame* f);
void bare_external_interrupt(u64 cpu);

static inline void putc_(char c) { MMIO(UART_BASE) = (u64)(unsigned char)c; }
void puts_(const char* s);
void putu(u64 v);
void puthex(u64 v);
void printf_(const char* fmt, ...);  // %d %u %x %s %c, and %lu etc. as 64-bit

static inline u64 cycles(void) { return MMIO(SIMCTL_BASE + 0x58); }
static inline void power_off(u64 code) {
  MMIO(SIMCTL_BASE + 0x38) = code;
  for (;;) {
  }
}
static inline void event(u64 id, u64 a0, u64 a1) {
  MMIO(SIMCTL_BASE + 0x08) = a0;
  MMIO(SIMCTL_BASE + 0x10) = a1;
  MMIO(SIMCTL_BASE + 0x00) = id;
}

static inline u64 atomic_add(volatile u64* p, u64 v) {
  u64 old, tmp;
  __asm__ volatile("1: ldarx %0,0,%3\n add %1,%0,%4\n stdcx. %1,0,%3\n bne- 1b"
                   : "=&r"(old), "=&r"(tmp), "+m"(*p)
                   : "r"(p), "r"(v)
                   : "cr0", "memory");
  return old;
}
static inline void sync_(void) { __asm__ volatile("sync" ::: "memory"); }
static inline void enable_interrupts(void) {
  u64 msr;
  __asm__ volatile("mfmsr %0" : "=r"(msr));
  msr |= 0x8000;  // EE
  __asm__ volatile("mtmsrd %0" ::"r"(msr) : "memory");
}
// The value of --arg KEY=N (decimal), or `fallback`.
u64 bare_arg(const struct bootinfo* bi, const char* key, u64 fallback);
// All CPUs meet here (a sense-reversing barrier on one counter).
void barrier(u64 ncpus);
