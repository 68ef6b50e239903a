// Small helpers the system-call handlers share: timespec and timeval
// transfers, and the clock readings of simulated time.
#pragma once

#include <cstdint>

#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"

namespace dusim::sys {

constexpr uint64_t kNsPerSec = 1'000'000'000;

// struct timespec {int64 tv_sec; int64 tv_nsec} at `addr` into nanoseconds:
// 0, -EFAULT, or -EINVAL for a negative or non-normalized value.
inline int64_t get_timespec(const LinuxProcess& p, uint64_t addr, uint64_t& ns) {
  uint64_t sec = 0, nsec = 0;
  if (!p.get_u64(addr, sec) || !p.get_u64(addr + 8, nsec)) return -linux_abi::kEFAULT;
  if (int64_t(sec) < 0 || nsec >= kNsPerSec) return -linux_abi::kEINVAL;
  unsigned __int128 v = (unsigned __int128)sec * kNsPerSec + nsec;
  ns = v > ~uint64_t(0) ? ~uint64_t(0) : uint64_t(v);
  return 0;
}
inline bool put_timespec(LinuxProcess& p, uint64_t addr, uint64_t ns) {
  return p.put_u64(addr, ns / kNsPerSec) && p.put_u64(addr + 8, ns % kNsPerSec);
}
inline bool put_timeval(LinuxProcess& p, uint64_t addr, uint64_t ns) {
  return p.put_u64(addr, ns / kNsPerSec) && p.put_u64(addr + 8, ns % kNsPerSec / 1000);
}

// The thread's simulated time since the process began, in nanoseconds.
inline uint64_t now_ns(const Thread& t) { return LinuxProcess::cycles_to_ns(t.cpu.cycles); }

// A clock's reading for `t`; false for an unknown clock.
inline bool clock_ns(const LinuxProcess& p, const Thread& t, uint64_t clock, uint64_t& ns) {
  using namespace linux_abi;
  switch (clock) {
    case kCLOCK_REALTIME:
    case kCLOCK_REALTIME_COARSE: ns = LinuxProcess::kRealtimeEpoch * kNsPerSec + now_ns(t); return true;
    case kCLOCK_MONOTONIC:
    case kCLOCK_MONOTONIC_RAW:
    case kCLOCK_MONOTONIC_COARSE:
    case kCLOCK_BOOTTIME: ns = now_ns(t); return true;
    case kCLOCK_PROCESS_CPUTIME_ID: {
      uint64_t c = 0;
      for (const auto& o : p.threads()) c += p.cpu_time_cycles(*o);
      ns = LinuxProcess::cycles_to_ns(c);
      return true;
    }
    case kCLOCK_THREAD_CPUTIME_ID: ns = LinuxProcess::cycles_to_ns(p.cpu_time_cycles(t)); return true;
    default: return false;
  }
}

}  // namespace dusim::sys
