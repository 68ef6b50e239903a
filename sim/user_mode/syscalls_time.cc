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

namespace {

// The arguments of futex(2), by the names the kernel gives them.
struct FutexArgs {
  uint64_t addr, val, timeout, addr2;
  uint32_t val3;
  unsigned op, cmd;
  bool priv;
  uint64_t now;
  int64_t count;  // the kernel reads counts as int
};

int64_t futex_wait(SysCall& s, const FutexArgs& a) {
  uint32_t bitset = a.cmd == kFUTEX_WAIT ? kFUTEX_BITSET_MATCH_ANY : a.val3;
  if (!bitset) return -kEINVAL;
  std::optional<uint64_t> deadline;
  if (a.timeout) {
    uint64_t ns = 0;
    if (int64_t e = sys::get_timespec(s.proc, a.timeout, ns); e < 0) return e;
    if (a.cmd == kFUTEX_WAIT) {
      ns += sys::now_ns(s.thread);  // relative, on the monotonic clock
    } else if (a.op & kFUTEX_CLOCK_REALTIME) {
      uint64_t epoch = LinuxProcess::kRealtimeEpoch * kNsPerSec;
      ns = ns > epoch ? ns - epoch : 0;  // absolute, on the realtime clock
    }
    deadline = LinuxProcess::ns_to_cycles(ns);
  }
  uint32_t v = 0;
  if (!s.proc.get_u32(a.addr, v)) return -kEFAULT;
  if (v != uint32_t(a.val)) return -kEAGAIN;
  if (deadline && *deadline <= a.now) return -kETIMEDOUT;
  s.thread.futex_addr = a.addr;
  s.thread.futex_bitset = bitset;
  s.thread.futex_private = a.priv;
  s.proc.block(s.thread, Thread::Wait::Futex, deadline);
  return LinuxProcess::kNoResult;
}

int64_t futex_requeue(SysCall& s, const FutexArgs& a) {
  int64_t move = int32_t(a.timeout);  // val2 travels in the timeout argument
  if (a.count < 0 || move < 0) return -kEINVAL;
  if (a.cmd == kFUTEX_CMP_REQUEUE) {
    uint32_t v = 0;
    if (!s.proc.get_u32(a.addr, v)) return -kEFAULT;
    if (v != a.val3) return -kEAGAIN;
  }
  int64_t n = s.proc.futex_requeue(a.addr, a.addr2, a.priv, a.count, move, a.now);
  if (a.cmd == kFUTEX_REQUEUE) return std::min<int64_t>(n, a.count);  // only those woken
  return n;
}

// FUTEX_WAKE_OP's operation on the old value: the new value, or nothing for an unknown op.
std::optional<uint32_t> wake_op_apply(unsigned wop, uint32_t old, int32_t oparg) {
  switch (wop) {
    case 0: return uint32_t(oparg);
    case 1: return old + uint32_t(oparg);
    case 2: return old | uint32_t(oparg);
    case 3: return old & ~uint32_t(oparg);
    case 4: return old ^ uint32_t(oparg);
    default: return std::nullopt;
  }
}

// FUTEX_WAKE_OP's comparison of the old value, or nothing for an unknown comparison.
std::optional<bool> wake_op_compare(unsigned wcmp, int32_t o, int32_t cmparg) {
  switch (wcmp) {
    case 0: return o == cmparg;
    case 1: return o != cmparg;
    case 2: return o < cmparg;
    case 3: return o <= cmparg;
    case 4: return o > cmparg;
    case 5: return o >= cmparg;
    default: return std::nullopt;
  }
}

int64_t futex_wake_op(SysCall& s, const FutexArgs& a) {
  // val3 = op:4 (bit 3: oparg is a shift) cmp:4 oparg:12 cmparg:12.
  unsigned wop = (a.val3 >> 28) & 7, wcmp = (a.val3 >> 24) & 15;
  int32_t oparg = int32_t(a.val3 << 8) >> 20, cmparg = int32_t(a.val3 << 20) >> 20;
  if ((a.val3 >> 31) & 1) oparg = int32_t(1u << (oparg & 31));
  if (a.addr2 & 3) return -kEINVAL;
  uint32_t old = 0;
  if (!s.proc.get_u32(a.addr2, old)) return -kEFAULT;
  std::optional<uint32_t> nv = wake_op_apply(wop, old, oparg);
  std::optional<bool> hit = wake_op_compare(wcmp, int32_t(old), cmparg);
  if (!nv || !hit) return -kENOSYS;
  if (!s.proc.put_u32(a.addr2, *nv)) return -kEFAULT;
  int64_t n = s.proc.futex_wake(a.addr, a.priv, a.count, kFUTEX_BITSET_MATCH_ANY, a.now);
  if (*hit) n += s.proc.futex_wake(a.addr2, a.priv, int32_t(a.timeout), kFUTEX_BITSET_MATCH_ANY, a.now);
  return n;
}

}  // namespace

int64_t sys_futex(SysCall& s) {
  FutexArgs a;
  a.addr = s.arg[0];
  a.val = s.arg[2];
  a.timeout = s.arg[3];
  a.addr2 = s.arg[4];
  a.val3 = uint32_t(s.arg[5]);
  a.op = unsigned(s.arg[1]);
  a.cmd = a.op & ~(kFUTEX_PRIVATE_FLAG | kFUTEX_CLOCK_REALTIME);
  a.priv = a.op & kFUTEX_PRIVATE_FLAG;
  a.now = s.cpu.cycles;
  a.count = int32_t(a.val);
  if (a.addr & 3) return -kEINVAL;
  switch (a.cmd) {
    case kFUTEX_WAIT:
    case kFUTEX_WAIT_BITSET:
      return futex_wait(s, a);
    case kFUTEX_WAKE:
    case kFUTEX_WAKE_BITSET: {
      uint32_t bitset = a.cmd == kFUTEX_WAKE ? kFUTEX_BITSET_MATCH_ANY : a.val3;
      if (!bitset) return -kEINVAL;
      return s.proc.futex_wake(a.addr, a.priv, a.count, bitset, a.now);
    }
    case kFUTEX_REQUEUE:
    case kFUTEX_CMP_REQUEUE:
      return futex_requeue(s, a);
    case kFUTEX_WAKE_OP:
      return futex_wake_op(s, a);
    default:
      s.proc.note("futex: operation " + std::to_string(a.cmd) + " (priority inheritance or other) is not supported (ENOSYS)");
      return -kENOSYS;
  }
}

}  // namespace dusim
