// Faults. panic() and a failed KASSERT reach the host through sim-control's
// PANIC register: the host prints the fault report (CPU, PC, symbol,
// disassembly, symbolized backtrace from the frame's r1, registers, the last
// events of that CPU) and ends the run with exit code 126. An unexpected
// exception does the same with the saved trap frame.
#pragma once

#include "kernel/types.h"

struct TrapFrame;

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void panic_frame(const TrapFrame* frame, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] void power_off(int exit_code);

#define KASSERT(cond)                                                                \
  do {                                                                               \
    if (unlikely(!(cond))) panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
  } while (0)
#define KASSERT_MSG(cond, ...)     \
  do {                             \
    if (unlikely(!(cond))) panic(__VA_ARGS__); \
  } while (0)
