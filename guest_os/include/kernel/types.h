// Fixed-width types and small helpers for the freestanding kernel.
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef int32_t s32;
typedef uintptr_t uval;  // K42's "unsigned value": an address or a size

// Status returned by operations that can fail (Zircon/K42 style): 0 is
// success, negative values name the failure.
typedef s64 SysStatus;
enum : SysStatus {
  kOk = 0,
  kErrNoMemory = -1,
  kErrInvalid = -2,
  kErrTimedOut = -3,
  kErrBusy = -4,
  kErrNotFound = -5,
};

#define KERNEL_CACHE_LINE 128
#define cacheline_aligned __attribute__((aligned(KERNEL_CACHE_LINE)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

template <typename T>
constexpr T round_up(T v, T a) { return (v + a - 1) / a * a; }
template <typename T>
constexpr T min_of(T a, T b) { return a < b ? a : b; }
template <typename T>
constexpr T max_of(T a, T b) { return a > b ? a : b; }

// Placement new (no <new> in a freestanding build without libstdc++).
inline void* operator new(size_t, void* p) noexcept { return p; }
