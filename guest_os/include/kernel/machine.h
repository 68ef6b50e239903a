// The machine as the kernel sees it: device registers, the boot-information
// block, special-purpose registers, the machine state register and the time
// base. Register maps come from the simulator's device headers
// (sim/devices/*.h); every register is a 64-bit big-endian doubleword.
#pragma once

#include "kernel/types.h"

namespace mach {

// Physical addresses of the devices. Built as 64-bit constants: `lis` would
// sign-extend 0xf000.
constexpr uval kUart = 0xf0000000ul;
constexpr uval kIntc = 0xf0001000ul;
constexpr uval kSimControl = 0xf0002000ul;
constexpr uval kMailbox = 0xf0003000ul;

namespace uart { enum : uval { kTx = 0x00, kStatus = 0x08 }; }
namespace intc {
enum : uval { kIpiSend = 0x00, kPending = 0x08, kAck = 0x10, kEnable = 0x18, kWhoAmI = 0x20 };
enum : u64 { kSrcIpi = 1, kSrcMailbox = 2 };
constexpr u64 kAllOthers = 0xffff;
}  // namespace intc
namespace simctl {
enum : uval {
  kEvent = 0x00, kArg0 = 0x08, kPowerOff = 0x38, kRangeBase = 0x40, kRangeSize = 0x48, kRangeName = 0x50,
  kCycles = 0x58, kTestResult = 0x60, kPanic = 0x68,
};
}
namespace mailbox { enum : uval { kSize = 0x00, kCopy = 0x08, kAck = 0x10, kSeq = 0x18 }; }

inline volatile u64& reg(uval base, uval off) { return *reinterpret_cast<volatile u64*>(base + off); }

// The boot-information block (sim/platform/machine.h, namespace bootinfo).
struct BootInfo {
  u64 magic, version, memory_bytes, cpus, clock_hz, timebase_divider;
  u64 uart, intc, simctl, mailbox, stack_top, stack_size, args, args_size, line_size;
  u64 initrd, initrd_size;  // the initial image (kernel/initrd.h), or 0, 0
};
u64 memory_bytes();  // the machine's RAM (boot information)
constexpr u64 kBootInfoMagic = 0x4455'5349'4d42'4931ull;  // "DUSIMBI1"

// Machine state register bits.
namespace msr { enum : u64 { kSF = 1ull << 63, kEE = 0x8000, kPR = 0x4000, kME = 0x1000, kRI = 0x2 }; }

inline u64 mfmsr() { u64 v; asm volatile("mfmsr %0" : "=r"(v)); return v; }
inline u64 mftb() { u64 v; asm volatile("mftb %0" : "=r"(v)); return v; }
inline void mtdec(u64 v) { asm volatile("mtspr 22,%0" ::"r"(v)); }
inline u64 mfdec() { u64 v; asm volatile("mfspr %0,22" : "=r"(v)); return v; }

// The calling CPU's local cycle count (sim-control, free in simulated time).
inline u64 cycles() { return reg(kSimControl, simctl::kCycles); }

inline void cpu_relax() { asm volatile("or 1,1,1" ::: "memory"); }  // low SMT priority hint
inline void sync() { asm volatile("sync" ::: "memory"); }
inline void lwsync() { asm volatile("lwsync" ::: "memory"); }
inline void isync() { asm volatile("isync" ::: "memory"); }

}  // namespace mach
