// System calls on signals: dispositions, masks, the alternate stack,
// sending to the process's own threads, returning from handlers, and
// swapcontext (glibc's getcontext/setcontext/swapcontext on ppc64).
#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"
#include "user_mode/syscall_table.h"

namespace dusim {

using namespace linux_abi;

namespace {
constexpr uint64_t bit(int sig) { return 1ull << (sig - 1); }
constexpr uint64_t kUnblockable = bit(kSIGKILL) | bit(kSIGSTOP);
constexpr uint64_t kSigsetSize = 8;

// Sends `sig` to thread `to` from `from` (SI_USER for kill, SI_TKILL otherwise).
int64_t send(SysCall& s, Thread& to, int64_t sig, int code) {
  if (sig < 0 || sig > kNSIG) return -kEINVAL;
  if (sig == 0) return 0;  // only the check that the target exists
  SigInfo info;
  info.signo = int(sig);
  info.code = code;
  info.pid = Thread::kPid;
  s.proc.send_signal(to, info, s.cpu.cycles);
  return 0;
}
}  // namespace

int64_t sys_rt_sigaction(SysCall& s) {
  int64_t sig = int32_t(s.arg[0]);
  uint64_t act = s.arg[1], oact = s.arg[2];
  if (s.arg[3] != kSigsetSize || sig < 1 || sig > kNSIG) return -kEINVAL;
  if (act && (sig == kSIGKILL || sig == kSIGSTOP)) return -kEINVAL;
  SigAction& a = s.proc.action(int(sig));
  SigAction old = a;
  if (act) {
    SigAction n;
    if (!s.proc.get_u64(act, n.handler) || !s.proc.get_u64(act + 8, n.flags) ||
        !s.proc.get_u64(act + 16, n.restorer) || !s.proc.get_u64(act + 24, n.mask))
      return -kEFAULT;
    n.mask &= ~kUnblockable;
    a = n;
    // A signal now ignored is discarded where it is pending (POSIX).
    if (n.handler == kSIG_IGN)
      for (const auto& t : s.proc.threads()) t->sig_pending &= ~bit(int(sig));
  }
  if (oact && !(s.proc.put_u64(oact, old.handler) && s.proc.put_u64(oact + 8, old.flags) &&
                s.proc.put_u64(oact + 16, old.restorer) && s.proc.put_u64(oact + 24, old.mask)))
    return -kEFAULT;
  return 0;
}

int64_t sys_rt_sigprocmask(SysCall& s) {
  int64_t how = int32_t(s.arg[0]);
  uint64_t set = s.arg[1], oset = s.arg[2];
  if (s.arg[3] != kSigsetSize) return -kEINVAL;
  uint64_t old = s.thread.sig_mask;
  if (set) {
    uint64_t m = 0;
    if (!s.proc.get_u64(set, m)) return -kEFAULT;
    switch (how) {
      case kSIG_BLOCK: s.thread.sig_mask |= m; break;
      case kSIG_UNBLOCK: s.thread.sig_mask &= ~m; break;
      case kSIG_SETMASK: s.thread.sig_mask = m; break;
      default: return -kEINVAL;
    }
    s.thread.sig_mask &= ~kUnblockable;
  }
  if (oset && !s.proc.put_u64(oset, old)) return -kEFAULT;
  return 0;  // newly unblocked pending signals arrive as the call returns
}

int64_t sys_rt_sigpending(SysCall& s) {
  if (s.arg[1] > kSigsetSize) return -kEINVAL;
  return s.proc.put_u64(s.arg[0], s.thread.sig_pending & s.thread.sig_mask) ? 0 : -kEFAULT;
}

int64_t sys_rt_sigsuspend(SysCall& s) {
  if (s.arg[1] != kSigsetSize) return -kEINVAL;
  uint64_t m = 0;
  if (!s.proc.get_u64(s.arg[0], m)) return -kEFAULT;
  s.thread.suspend_saved_mask = s.thread.sig_mask;
  s.thread.sig_mask = m & ~kUnblockable;
  if (s.thread.sig_pending & ~s.thread.sig_mask) return -kEINTR;  // one is already there
  s.proc.block(s.thread, Thread::Wait::Signal, std::nullopt);
  return LinuxProcess::kNoResult;
}

int64_t sys_rt_sigreturn(SysCall& s) {
  // The trampoline popped the dummy frame: r1 points at the ucontext.
  if (!s.proc.restore_context(s.thread, s.cpu.gpr[1], true))
    throw ppc::GuestFault(ppc::FaultKind::BadAccess,
                          "rt_sigreturn: no readable signal frame at r1 (Linux would kill the process with SIGSEGV)");
  return LinuxProcess::kNoResult;
}

int64_t sys_sigaltstack(SysCall& s) {
  uint64_t ss = s.arg[0], oss = s.arg[1];
  Thread& t = s.thread;
  bool on = t.on_alt_stack(s.cpu.gpr[1]);
  uint64_t old_sp = t.alt_sp, old_size = t.alt_size;
  uint32_t old_flags = !t.alt_enabled ? kSS_DISABLE : on ? kSS_ONSTACK : 0;
  if (ss) {
    uint64_t sp = 0, size = 0;
    uint32_t flags = 0;
    uint8_t b[4];
    if (!s.proc.get_u64(ss, sp) || !s.proc.copy_in(ss + 8, b, 4) || !s.proc.get_u64(ss + 16, size)) return -kEFAULT;
    flags = ppc::from_be<uint32_t>(b);
    if (on) return -kEPERM;
    constexpr uint32_t kSS_AUTODISARM = 1u << 31;
    uint32_t mode = flags & ~kSS_AUTODISARM;
    if (mode != 0 && mode != kSS_DISABLE && mode != kSS_ONSTACK) return -kEINVAL;
    if (mode == kSS_DISABLE) {
      t.alt_enabled = false;
      t.alt_sp = t.alt_size = 0;
    } else {
      if (size < kMINSIGSTKSZ) return -kENOMEM;
      t.alt_enabled = true;
      t.alt_sp = sp;
      t.alt_size = size;
    }
  }
  if (oss) {
    uint8_t b[kStackTSize] = {};
    ppc::to_be<uint64_t>(b, old_sp);
    ppc::to_be<uint32_t>(b + 8, old_flags);
    ppc::to_be<uint64_t>(b + 16, old_size);
    if (!s.proc.copy_out(oss, b, sizeof b)) return -kEFAULT;
  }
  return 0;
}

int64_t sys_kill(SysCall& s) {
  int64_t pid = int32_t(s.arg[0]), sig = int32_t(s.arg[1]);
  if (pid != Thread::kPid && pid != 0 && pid != -1 && pid != -Thread::kPid) return -kESRCH;
  // The process's signal goes to the caller unless it blocks it, then to
  // the first thread that does not (or stays pending on the caller).
  Thread* to = &s.thread;
  if (sig > 0 && sig <= kNSIG && (s.thread.sig_mask & bit(int(sig)))) {
    for (const auto& t : s.proc.threads())
      if (t->alive() && !(t->sig_mask & bit(int(sig)))) {
        to = t.get();
        break;
      }
  }
  return send(s, *to, sig, kSI_USER);
}

int64_t sys_tkill(SysCall& s) {
  int64_t tid = int32_t(s.arg[0]);
  if (tid <= 0) return -kEINVAL;
  Thread* t = s.proc.find_thread(tid);
  return t ? send(s, *t, int32_t(s.arg[1]), kSI_TKILL) : -kESRCH;
}

int64_t sys_tgkill(SysCall& s) {
  int64_t tgid = int32_t(s.arg[0]), tid = int32_t(s.arg[1]);
  if (tgid <= 0 || tid <= 0) return -kEINVAL;
  Thread* t = tgid == Thread::kPid ? s.proc.find_thread(tid) : nullptr;
  return t ? send(s, *t, int32_t(s.arg[2]), kSI_TKILL) : -kESRCH;
}

int64_t sys_swapcontext(SysCall& s) {
  uint64_t old_ctx = s.arg[0], new_ctx = s.arg[1], size = s.arg[2];
  constexpr uint64_t kSizeWithoutVsx = uc::kSize - 32 * 8;  // glibc's ucontext_t
  uint64_t msr = 0;
  if (new_ctx && !s.proc.get_u64(new_ctx + uc::kMcontext + sc::kGpRegs + 8 * kPT_MSR, msr)) return -kEFAULT;
  if (size < kSizeWithoutVsx) return -kEINVAL;
  if (old_ctx && !s.proc.save_context(s.thread, old_ctx, s.cpu.npc)) return -kEFAULT;
  if (!new_ctx) return 0;
  if (!s.proc.restore_context(s.thread, new_ctx, false)) return -kEFAULT;
  return LinuxProcess::kNoResult;  // it returns into the new context, registers and all
}

}  // namespace dusim
