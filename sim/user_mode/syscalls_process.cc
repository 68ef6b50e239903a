// System calls on the process and its threads: identity, limits, clone,
// exit, scheduling, and the few facts about the machine a program asks for.
#include <cstring>

#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"
#include "user_mode/syscall_table.h"
#include "user_mode/syscall_util.h"

namespace dusim {

using namespace linux_abi;

int64_t sys_exit(SysCall& s) {
  s.proc.exit_thread(s.thread, int(s.arg[0] & 0xff));
  return LinuxProcess::kNoResult;
}

int64_t sys_exit_group(SysCall& s) {
  s.proc.exit_process(int(s.arg[0] & 0xff));
  return LinuxProcess::kNoResult;
}

int64_t sys_getpid(SysCall&) { return Thread::kPid; }
int64_t sys_gettid(SysCall& s) { return s.thread.tid; }
int64_t sys_getppid(SysCall&) { return 1; }
int64_t sys_getid(SysCall&) { return 0; }  // uid, gid, euid, egid: root, as the auxiliary vector says

int64_t sys_getpgid(SysCall& s) {
  int64_t pid = int32_t(s.arg[0]);
  return pid == 0 || pid == Thread::kPid ? Thread::kPid : -kESRCH;
}

int64_t sys_getresid(SysCall& s) {
  for (unsigned k = 0; k < 3; ++k)
    if (!s.proc.put_u32(s.arg[k], 0)) return -kEFAULT;
  return 0;
}

int64_t sys_getgroups(SysCall&) { return 0; }

int64_t sys_umask(SysCall& s) {
  uint64_t old = s.proc.misc().umask;
  s.proc.misc().umask = s.arg[0] & 0777;
  return int64_t(old);
}

int64_t sys_uname(SysCall& s) {
  const char* fields[6] = {"Linux", "dusim", "6.1.0", "#1 SMP dusim", "ppc64", "(none)"};
  char buf[6 * kUtsField] = {};
  for (unsigned k = 0; k < 6; ++k) std::strncpy(buf + k * kUtsField, fields[k], kUtsField - 1);
  return s.proc.copy_out(s.arg[0], buf, sizeof buf) ? 0 : -kEFAULT;
}

int64_t sys_prctl(SysCall& s) {
  constexpr uint64_t kPR_SET_NAME = 15, kPR_GET_NAME = 16;
  if (s.arg[0] == kPR_SET_NAME) {
    char name[16] = {};
    for (unsigned k = 0; k < 15; ++k) {
      uint8_t c;
      if (!s.proc.copy_in(s.arg[1] + k, &c, 1)) return -kEFAULT;
      if (!c) break;
      name[k] = char(c);
    }
    s.thread.name = name;
    return 0;
  }
  if (s.arg[0] == kPR_GET_NAME) {
    char name[16] = {};
    std::strncpy(name, s.thread.name.c_str(), 15);
    return s.proc.copy_out(s.arg[1], name, 16) ? 0 : -kEFAULT;
  }
  return -kEINVAL;
}

namespace {
int64_t put_rlimit(LinuxProcess& p, uint64_t resource, uint64_t addr) {
  auto [cur, max] = p.misc().rlimits[resource];
  return p.put_u64(addr, cur) && p.put_u64(addr + 8, max) ? 0 : -kEFAULT;
}
int64_t set_rlimit(LinuxProcess& p, uint64_t resource, uint64_t addr) {
  uint64_t cur = 0, max = 0;
  if (!p.get_u64(addr, cur) || !p.get_u64(addr + 8, max)) return -kEFAULT;
  if (cur > max) return -kEINVAL;
  p.misc().rlimits[resource] = {cur, max};  // the guest is root: it may raise hard limits too
  return 0;
}
}  // namespace

int64_t sys_getrlimit(SysCall& s) {
  if (s.arg[0] >= kRlimNlimits) return -kEINVAL;
  return put_rlimit(s.proc, s.arg[0], s.arg[1]);
}

int64_t sys_setrlimit(SysCall& s) {
  if (s.arg[0] >= kRlimNlimits) return -kEINVAL;
  return set_rlimit(s.proc, s.arg[0], s.arg[1]);
}

int64_t sys_prlimit64(SysCall& s) {
  int64_t pid = int32_t(s.arg[0]);
  uint64_t resource = s.arg[1], new_lim = s.arg[2], old_lim = s.arg[3];
  if (pid != 0 && pid != Thread::kPid && !s.proc.find_thread(pid)) return -kESRCH;
  if (resource >= kRlimNlimits) return -kEINVAL;
  auto before = s.proc.misc().rlimits[resource];
  if (new_lim)
    if (int64_t e = set_rlimit(s.proc, resource, new_lim); e < 0) return e;
  if (old_lim && !(s.proc.put_u64(old_lim, before.first) && s.proc.put_u64(old_lim + 8, before.second)))
    return -kEFAULT;
  return 0;
}

int64_t sys_set_tid_address(SysCall& s) {
  s.thread.clear_child_tid = s.arg[0];
  return s.thread.tid;
}

int64_t sys_clone(SysCall& s) {
  // ppc64 has CLONE_BACKWARDS: flags, stack, parent_tid, tls, child_tid.
  uint64_t flags = s.arg[0], stack = s.arg[1], ptid = s.arg[2], tls = s.arg[3], ctid = s.arg[4];
  constexpr uint64_t kThread = kCLONE_VM | kCLONE_THREAD | kCLONE_SIGHAND;
  if ((flags & kThread) != kThread || (flags & kCLONE_VFORK)) {
    s.proc.note("clone: only new threads (CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) are supported, not new processes (ENOSYS)");
    return -kENOSYS;
  }
  int64_t tid = s.proc.new_thread(s.thread);
  if (tid < 0) {
    s.proc.note("clone: every CPU already runs a thread (--cpus): EAGAIN");
    return tid;
  }
  Thread& child = *s.proc.find_thread(tid);
  LinuxProcess::set_result(child.cpu, 0);
  if (stack) child.cpu.gpr[1] = stack;
  if (flags & kCLONE_SETTLS) child.cpu.gpr[13] = tls;
  if (flags & kCLONE_PARENT_SETTID) s.proc.put_u32(ptid, uint32_t(tid));
  if (flags & kCLONE_CHILD_SETTID) s.proc.put_u32(ctid, uint32_t(tid));
  if (flags & kCLONE_CHILD_CLEARTID) child.clear_child_tid = ctid;
  s.cpu.stop();  // the scheduler takes the new thread into its rounds
  return tid;
}

int64_t sys_getcpu(SysCall& s) {
  if (s.arg[0] && !s.proc.put_u32(s.arg[0], s.thread.index)) return -kEFAULT;
  if (s.arg[1] && !s.proc.put_u32(s.arg[1], 0)) return -kEFAULT;
  return 0;
}

int64_t sys_sched_yield(SysCall& s) {
  // Every thread has its own CPU: yielding idles to the end of the quantum.
  s.proc.idle_until(s.thread, s.proc.next_quantum(s.cpu.cycles));
  s.cpu.stop();
  return 0;
}

namespace {
bool valid_target(SysCall& s, uint64_t pid) {
  int64_t p = int32_t(pid);
  return p == 0 || p == Thread::kPid || s.proc.find_thread(p);
}
}  // namespace

int64_t sys_sched_getaffinity(SysCall& s) {
  uint64_t size = s.arg[1];
  if (!valid_target(s, s.arg[0])) return -kESRCH;
  if (size < 8 || (size & 7)) return -kEINVAL;
  unsigned cpus = s.proc.options().cpus;
  uint64_t mask = cpus >= 64 ? ~uint64_t(0) : (1ull << cpus) - 1;
  return s.proc.put_u64(s.arg[2], mask) ? 8 : -kEFAULT;
}

int64_t sys_sched_setaffinity(SysCall& s) { return valid_target(s, s.arg[0]) ? 0 : -kESRCH; }

int64_t sys_wait4(SysCall&) { return -kECHILD; }

int64_t sys_times(SysCall& s) {
  constexpr uint64_t kNsPerTick = 10'000'000;  // AT_CLKTCK = 100
  uint64_t cpu = 0;
  sys::clock_ns(s.proc, s.thread, kCLOCK_PROCESS_CPUTIME_ID, cpu);
  if (s.arg[0]) {
    uint8_t b[32] = {};
    ppc::to_be<uint64_t>(b, cpu / kNsPerTick);
    if (!s.proc.copy_out(s.arg[0], b, sizeof b)) return -kEFAULT;
  }
  return int64_t(sys::now_ns(s.thread) / kNsPerTick);
}

int64_t sys_getrusage(SysCall& s) {
  int64_t who = int32_t(s.arg[0]);
  constexpr int64_t kSelf = 0, kChildren = -1, kThreadOnly = 1;
  if (who != kSelf && who != kChildren && who != kThreadOnly) return -kEINVAL;
  uint64_t ns = 0;
  if (who == kSelf) sys::clock_ns(s.proc, s.thread, kCLOCK_PROCESS_CPUTIME_ID, ns);
  if (who == kThreadOnly) sys::clock_ns(s.proc, s.thread, kCLOCK_THREAD_CPUTIME_ID, ns);
  uint8_t b[144] = {};
  ppc::to_be<uint64_t>(b, ns / sys::kNsPerSec);
  ppc::to_be<uint64_t>(b + 8, ns % sys::kNsPerSec / 1000);
  return s.proc.copy_out(s.arg[1], b, sizeof b) ? 0 : -kEFAULT;
}

int64_t sys_sysinfo(SysCall& s) {
  // struct sysinfo (112 bytes): uptime, loads[3], totalram, freeram,
  // sharedram, bufferram, totalswap, freeswap, procs (u16), totalhigh,
  // freehigh, mem_unit (u32). Fixed sizes: 4 GiB of RAM, 3 GiB free.
  uint8_t b[112] = {};
  ppc::to_be<uint64_t>(b, sys::now_ns(s.thread) / sys::kNsPerSec);
  ppc::to_be<uint64_t>(b + 32, 4ull << 30);
  ppc::to_be<uint64_t>(b + 40, 3ull << 30);
  ppc::to_be<uint16_t>(b + 80, uint16_t(s.proc.live_threads()));
  ppc::to_be<uint32_t>(b + 104, 1);
  return s.proc.copy_out(s.arg[0], b, sizeof b) ? 0 : -kEFAULT;
}

int64_t sys_getrandom(SysCall& s) {
  uint64_t buf = s.arg[0], len = std::min<uint64_t>(s.arg[1], (32u << 20) - 1);
  if (s.arg[2] & ~uint64_t(7)) return -kEINVAL;  // GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE
  if (!s.proc.memory().allows(buf, len, AddressSpace::kWrite)) return -kEFAULT;
  // splitmix64: the same bytes on every run.
  std::vector<uint8_t> bytes(len);
  uint64_t& x = s.proc.misc().random_state;
  for (uint64_t k = 0; k < len; k += 8) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (unsigned b = 0; b < 8 && k + b < len; ++b) bytes[k + b] = uint8_t(z >> (8 * b));
  }
  s.proc.copy_out(buf, bytes.data(), len);
  return int64_t(len);
}

}  // namespace dusim
