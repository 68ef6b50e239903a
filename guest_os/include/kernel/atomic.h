// Atomic read-modify-write on doublewords with ldarx/stdcx. (load-reserve /
// store-conditional). None of these imply a barrier; callers that publish or
// consume data pair them with mach::lwsync()/sync()/isync() and name the
// partner barrier in a comment.
#pragma once

#include "kernel/types.h"

// atomic_fetch_add, atomic_fetch_or, atomic_fetch_and: *p = *p OP v; return the old value.
#define DUSIM_ATOMIC_FETCH_OP(name, insn)                \
  inline u64 name(volatile u64* p, u64 v) {              \
    u64 old, tmp;                                        \
    asm volatile("1: ldarx %0,0,%3\n"                    \
                 "   " insn " %1,%0,%4\n"                \
                 "   stdcx. %1,0,%3\n"                   \
                 "   bne- 1b"                            \
                 : "=&r"(old), "=&r"(tmp), "+m"(*p)      \
                 : "r"(p), "r"(v)                        \
                 : "cr0", "memory");                     \
    return old;                                          \
  }
DUSIM_ATOMIC_FETCH_OP(atomic_fetch_add, "add")
DUSIM_ATOMIC_FETCH_OP(atomic_fetch_or, "or")
DUSIM_ATOMIC_FETCH_OP(atomic_fetch_and, "and")
#undef DUSIM_ATOMIC_FETCH_OP

inline u64 atomic_swap(volatile u64* p, u64 v) {
  u64 old;
  asm volatile("1: ldarx %0,0,%2\n"
               "   stdcx. %3,0,%2\n"
               "   bne- 1b"
               : "=&r"(old), "+m"(*p)
               : "r"(p), "r"(v)
               : "cr0", "memory");
  return old;
}
// Stores `desired` if *p == expected; returns the value seen.
inline u64 atomic_cas(volatile u64* p, u64 expected, u64 desired) {
  u64 old;
  asm volatile("1: ldarx %0,0,%2\n"
               "   cmpd %0,%3\n"
               "   bne- 2f\n"
               "   stdcx. %4,0,%2\n"
               "   bne- 1b\n"
               "2:"
               : "=&r"(old), "+m"(*p)
               : "r"(p), "r"(expected), "r"(desired)
               : "cr0", "memory");
  return old;
}
inline u64 atomic_inc(volatile u64* p) { return atomic_fetch_add(p, 1) + 1; }
inline u64 atomic_dec(volatile u64* p) { return atomic_fetch_add(p, u64(-1)) - 1; }

template <typename T>
inline T load_once(const T& v) { return *static_cast<const volatile T*>(&v); }
template <typename T, typename U>
inline void store_once(T& v, U x) { *const_cast<volatile T*>(static_cast<volatile T*>(&v)) = x; }
