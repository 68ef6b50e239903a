// System calls on simulated time (clocks, sleeps) and futexes. Time is the
// calling thread's cycle count at the clock rate; nothing depends on the host.
#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"
#include "user_mode/syscall_table.h"
#include "user_mode/syscall_util.h"

namespace dusim {

using namespace linux_abi;
using sys::kNsPerSec;

int64_t sys_time(SysCall& s) {
  uint64_t ns = 0;
  sys::clock_ns(s.proc, s.thread, kCLOCK_REALTIME, ns);
  uint64_t t = ns / kNsPerSec;
  if (s.arg[0] && !s.proc.put_u64(s.arg[0], t)) return -kEFAULT;
  return int64_t(t);
}

int64_t sys_gettimeofday(SysCall& s) {
  uint64_t ns = 0;
  sys::clock_ns(s.proc, s.thread, kCLOCK_REALTIME, ns);
  if (s.arg[0] && !sys::put_timeval(s.proc, s.arg[0], ns)) return -kEFAULT;
  if (s.arg[1] && !(s.proc.put_u32(s.arg[1], 0) && s.proc.put_u32(s.arg[1] + 4, 0))) return -kEFAULT;  // UTC
  return 0;
}

int64_t sys_clock_gettime(SysCall& s) {
  uint64_t ns = 0;
  if (!sys::clock_ns(s.proc, s.thread, s.arg[0], ns)) return -kEINVAL;
  return sys::put_timespec(s.proc, s.arg[1], ns) ? 0 : -kEFAULT;
}

int64_t sys_clock_getres(SysCall& s) {
  uint64_t ns = 0;
  if (!sys::clock_ns(s.proc, s.thread, s.arg[0], ns)) return -kEINVAL;
  if (s.arg[1] && !sys::put_timespec(s.proc, s.arg[1], 1)) return -kEFAULT;
  return 0;
}

namespace {
// Blocks the caller until `deadline_ns` on the monotonic clock.
int64_t sleep_until(SysCall& s, uint64_t deadline_ns, uint64_t rem) {
  if (deadline_ns <= sys::now_ns(s.thread)) return 0;
  s.thread.sleep_rem = rem;
  s.proc.block(s.thread, Thread::Wait::Sleep, LinuxProcess::ns_to_cycles(deadline_ns));
  return LinuxProcess::kNoResult;
}
}  // namespace

int64_t sys_nanosleep(SysCall& s) {
  uint64_t ns = 0;
  if (int64_t e = sys::get_timespec(s.proc, s.arg[0], ns); e < 0) return e;
  return sleep_until(s, sys::now_ns(s.thread) + ns, s.arg[1]);
}

int64_t sys_clock_nanosleep(SysCall& s) {
  uint64_t clock = s.arg[0], flags = s.arg[1], ns = 0;
  if (clock != kCLOCK_REALTIME && clock != kCLOCK_MONOTONIC && clock != kCLOCK_BOOTTIME) return -kEINVAL;
  if (int64_t e = sys::get_timespec(s.proc, s.arg[2], ns); e < 0) return e;
  if (!(flags & kTIMER_ABSTIME)) return sleep_until(s, sys::now_ns(s.thread) + ns, s.arg[3]);
  uint64_t epoch = clock == kCLOCK_REALTIME ? LinuxProcess::kRealtimeEpoch * kNsPerSec : 0;
  return sleep_until(s, ns > epoch ? ns - epoch : 0, 0);
}

int64_t sys_futex(SysCall& s) {
  uint64_t addr = s.arg[0], val = s.arg[2], timeout = s.arg[3], addr2 = s.arg[4];
  uint32_t val3 = uint32_t(s.arg[5]);
  unsigned op = unsigned(s.arg[1]);
  unsigned cmd = op & ~(kFUTEX_PRIVATE_FLAG | kFUTEX_CLOCK_REALTIME);
  if (addr & 3) return -kEINVAL;
  bool priv = op & kFUTEX_PRIVATE_FLAG;
  uint64_t now = s.cpu.cycles;
  int64_t count = int32_t(val);  // the kernel reads counts as int
  switch (cmd) {
    case kFUTEX_WAIT:
    case kFUTEX_WAIT_BITSET: {
      uint32_t bitset = cmd == kFUTEX_WAIT ? kFUTEX_BITSET_MATCH_ANY : val3;
      if (!bitset) return -kEINVAL;
      std::optional<uint64_t> deadline;
      if (timeout) {
        uint64_t ns = 0;
        if (int64_t e = sys::get_timespec(s.proc, timeout, ns); e < 0) return e;
        if (cmd == kFUTEX_WAIT) {
          ns += sys::now_ns(s.thread);  // relative, on the monotonic clock
        } else if (op & kFUTEX_CLOCK_REALTIME) {
          uint64_t epoch = LinuxProcess::kRealtimeEpoch * kNsPerSec;
          ns = ns > epoch ? ns - epoch : 0;  // absolute, on the realtime clock
        }
        deadline = LinuxProcess::ns_to_cycles(ns);
      }
      uint32_t v = 0;
      if (!s.proc.get_u32(addr, v)) return -kEFAULT;
      if (v != uint32_t(val)) return -kEAGAIN;
      if (deadline && *deadline <= now) return -kETIMEDOUT;
      s.thread.futex_addr = addr;
      s.thread.futex_bitset = bitset;
      s.thread.futex_private = priv;
      s.proc.block(s.thread, Thread::Wait::Futex, deadline);
      return LinuxProcess::kNoResult;
    }
    case kFUTEX_WAKE:
    case kFUTEX_WAKE_BITSET: {
      uint32_t bitset = cmd == kFUTEX_WAKE ? kFUTEX_BITSET_MATCH_ANY : val3;
      if (!bitset) return -kEINVAL;
      return s.proc.futex_wake(addr, priv, count, bitset, now);
    }
    case kFUTEX_REQUEUE:
    case kFUTEX_CMP_REQUEUE: {
      int64_t move = int32_t(timeout);  // val2 travels in the timeout argument
      if (count < 0 || move < 0) return -kEINVAL;
      if (cmd == kFUTEX_CMP_REQUEUE) {
        uint32_t v = 0;
        if (!s.proc.get_u32(addr, v)) return -kEFAULT;
        if (v != val3) return -kEAGAIN;
      }
      int64_t n = s.proc.futex_requeue(addr, addr2, priv, count, move, now);
      if (cmd == kFUTEX_REQUEUE) return std::min<int64_t>(n, count);  // only those woken
      return n;
    }
    case kFUTEX_WAKE_OP: {
      // val3 = op:4 (bit 3: oparg is a shift) cmp:4 oparg:12 cmparg:12.
      unsigned wop = (val3 >> 28) & 7, wcmp = (val3 >> 24) & 15;
      int32_t oparg = int32_t(val3 << 8) >> 20, cmparg = int32_t(val3 << 20) >> 20;
      if ((val3 >> 31) & 1) oparg = int32_t(1u << (oparg & 31));
      if (addr2 & 3) return -kEINVAL;
      uint32_t old = 0;
      if (!s.proc.get_u32(addr2, old)) return -kEFAULT;
      uint32_t nv;
      switch (wop) {
        case 0: nv = uint32_t(oparg); break;
        case 1: nv = old + uint32_t(oparg); break;
        case 2: nv = old | uint32_t(oparg); break;
        case 3: nv = old & ~uint32_t(oparg); break;
        case 4: nv = old ^ uint32_t(oparg); break;
        default: return -kENOSYS;
      }
      bool hit;
      int32_t o = int32_t(old);
      switch (wcmp) {
        case 0: hit = o == cmparg; break;
        case 1: hit = o != cmparg; break;
        case 2: hit = o < cmparg; break;
        case 3: hit = o <= cmparg; break;
        case 4: hit = o > cmparg; break;
        case 5: hit = o >= cmparg; break;
        default: return -kENOSYS;
      }
      if (!s.proc.put_u32(addr2, nv)) return -kEFAULT;
      int64_t n = s.proc.futex_wake(addr, priv, count, kFUTEX_BITSET_MATCH_ANY, now);
      if (hit) n += s.proc.futex_wake(addr2, priv, int32_t(timeout), kFUTEX_BITSET_MATCH_ANY, now);
      return n;
    }
    default:
      s.proc.note("futex: operation " + std::to_string(cmd) + " (priority inheritance or other) is not supported (ENOSYS)");
      return -kENOSYS;
  }
}

}  // namespace dusim
