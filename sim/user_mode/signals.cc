// Signals as 64-bit PowerPC Linux delivers them: pending sets per thread,
// default actions, and the handler frame of arch/powerpc/kernel/signal_64.c
// (an rt_sigframe holding the ucontext, siginfo and the handler's dummy
// caller frame below it), entered through the vDSO-style trampoline that
// calls the handler and then rt_sigreturn.
#include <cstring>
#include <vector>

#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"

namespace dusim {

using namespace linux_abi;

namespace {
constexpr uint64_t bit(int sig) { return 1ull << (sig - 1); }
constexpr uint64_t kUnblockable = bit(kSIGKILL) | bit(kSIGSTOP);

// Default action "ignore" (job-control stops are ignored too: there is no shell).
bool ignored_by_default(int sig) {
  switch (sig) {
    case kSIGCHLD: case kSIGCONT: case kSIGURG: case kSIGWINCH:
    case kSIGSTOP: case kSIGTSTP: case kSIGTTIN: case kSIGTTOU:
      return true;
    default:
      return false;
  }
}

void put64(uint8_t* p, uint64_t v) { ppc::to_be<uint64_t>(p, v); }
void put32(uint8_t* p, uint32_t v) { ppc::to_be<uint32_t>(p, v); }
uint64_t get64(const uint8_t* p) { return ppc::from_be<uint64_t>(p); }

// The part of struct sigcontext the kernel writes without AltiVec: up to
// and including v_regs.
constexpr unsigned kSigcontextWritten = sc::kVRegs + 8;

// Fills sigcontext `out` (at guest address `at`) from the thread's registers.
void encode_sigcontext(const ppc::Cpu& c, uint64_t at, uint64_t nip, int sig, uint64_t handler, const SigInfo& info,
                       uint8_t* out) {
  std::memset(out, 0, kSigcontextWritten);
  put32(out + sc::kSignal, uint32_t(sig));
  put64(out + sc::kHandler, handler);
  put64(out + sc::kRegs, at + sc::kGpRegs);
  uint8_t* gp = out + sc::kGpRegs;
  for (unsigned k = 0; k < 32; ++k) put64(gp + 8 * k, c.gpr[k]);
  put64(gp + 8 * kPT_NIP, nip);
  put64(gp + 8 * kPT_MSR, c.msr);
  put64(gp + 8 * kPT_ORIG_R3, c.gpr[3]);
  put64(gp + 8 * kPT_CTR, c.ctr);
  put64(gp + 8 * kPT_LNK, c.lr);
  put64(gp + 8 * kPT_XER, c.xer());
  put64(gp + 8 * kPT_CCR, c.cr);
  put64(gp + 8 * kPT_SOFTE, 1);  // users always see interrupts enabled
  put64(gp + 8 * kPT_TRAP, info.trap);
  put64(gp + 8 * kPT_DAR, info.dar);
  put64(gp + 8 * kPT_DSISR, info.dsisr);
  // f0-f31, then the FPSCR in the 33rd doubleword; v_regs stays null (no AltiVec).
  for (unsigned k = 0; k < 32; ++k) put64(out + sc::kFpRegs + 8 * k, c.fpr[k]);
  put64(out + sc::kFpRegs + 8 * 32, c.fpscr);
}
}  // namespace

void LinuxProcess::send_signal(Thread& t, const SigInfo& info, uint64_t now) {
  int sig = info.signo;
  const SigAction& a = action(sig);
  bool blocked = t.sig_mask & bit(sig);
  // Linux discards an ignored signal at once unless it is blocked.
  if (!blocked && (a.handler == kSIG_IGN || (a.handler == kSIG_DFL && ignored_by_default(sig)))) return;
  t.sig_pending |= bit(sig);
  t.pending_info[sig - 1] = info;
  if (blocked || t.state != Thread::State::Blocked) return;
  // The signal interrupts the wait: EINTR (a sleep also reports what is left).
  if (t.wait == Thread::Wait::Sleep && t.sleep_rem && t.deadline) {
    uint64_t left = cycles_to_ns(*t.deadline > now ? *t.deadline - now : 0);
    put_u64(t.sleep_rem, left / 1'000'000'000u);
    put_u64(t.sleep_rem + 8, left % 1'000'000'000u);
  }
  wake(t, -kEINTR, now);
}

void LinuxProcess::deliver_pending(Thread& t, bool in_syscall) {
  for (unsigned guard = 0; guard < 64 && !ended_; ++guard) {
    uint64_t ready = t.sig_pending & ~t.sig_mask;
    if (!ready) return;
    int sig = __builtin_ctzll(ready) + 1;
    t.sig_pending &= ~bit(sig);
    act_on(t, sig, in_syscall);
  }
  // rt_sigsuspend's temporary mask lasts until a handler is set up; if none was, it ends here.
  if (t.suspend_saved_mask && t.state == Thread::State::Runnable) {
    t.sig_mask = *t.suspend_saved_mask;
    t.suspend_saved_mask.reset();
  }
}

void LinuxProcess::act_on(Thread& t, int sig, bool in_syscall) {
  SigAction& a = action(sig);
  if (a.handler == kSIG_IGN) return;
  if (a.handler == kSIG_DFL) {
    if (ignored_by_default(sig)) return;
    end(Result{Outcome::Killed, 128 + sig, "", ppc::FaultKind::GuestPanic, sig});
    return;
  }
  if (!setup_frame(t, sig, t.pending_info[sig - 1], in_syscall)) {
    // Linux kills with SIGSEGV when the frame cannot be written.
    end(Result{Outcome::Faulted, 0,
               report(t, "the signal frame for signal " + std::to_string(sig) + " could not be written on the stack"),
               ppc::FaultKind::BadAccess});
  }
}

bool LinuxProcess::setup_frame(Thread& t, int sig, const SigInfo& info, bool in_syscall) {
  SigAction& a = action(sig);
  ppc::Cpu& c = t.cpu;
  uint64_t& resume = in_syscall ? c.npc : c.pc;
  uint64_t sp = c.gpr[1];
  if ((a.flags & kSA_ONSTACK) && t.alt_enabled && !t.on_alt_stack(sp)) sp = t.alt_sp + t.alt_size;
  uint64_t frame_at = (sp - frame::kSize) & ~uint64_t(15);

  std::vector<uint8_t> f(frame::kSize, 0);
  uint8_t* uc = f.data() + frame::kUc;
  put64(uc + uc::kStack, t.alt_sp);
  put32(uc + uc::kStack + 8, !t.alt_enabled ? kSS_DISABLE : t.on_alt_stack(c.gpr[1]) ? kSS_ONSTACK : 0);
  put64(uc + uc::kStack + 16, t.alt_size);
  // rt_sigsuspend's handler returns to the mask from before the call.
  uint64_t old_mask = t.suspend_saved_mask.value_or(t.sig_mask);
  put64(uc + uc::kSigmask, old_mask);
  encode_sigcontext(c, frame_at + frame::kUc + uc::kMcontext, resume, sig, a.handler, info, uc + uc::kMcontext);
  uint8_t* si = f.data() + frame::kInfo;
  put32(si + 0, uint32_t(sig));
  put32(si + 8, uint32_t(info.code));
  if (info.code > 0) {
    put64(si + 16, info.addr);  // faults: si_addr
  } else {
    put32(si + 16, uint32_t(info.pid));  // kill, tkill: si_pid, si_uid
    put32(si + 20, uint32_t(info.uid));
  }
  put64(f.data() + frame::kPinfo, frame_at + frame::kInfo);
  put64(f.data() + frame::kPuc, frame_at + frame::kUc);

  // The handler is a function descriptor (ELFv1): entry and TOC.
  uint64_t entry = 0, toc = 0;
  uint64_t newsp = frame_at - kSignalFrameSize;
  // Everything but the ABI gap at its top, which keeps the interrupted
  // code's red zone (below its stack pointer) as it was.
  if (!copy_out(frame_at, f.data(), frame::kAbiGap) || !get_u64(a.handler, entry) || !get_u64(a.handler + 8, toc) ||
      !put_u64(newsp, c.gpr[1]))
    return false;
  c.ctr = entry;
  c.fpscr = 0;  // as Linux: the handler gets no spurious FP exceptions
  c.gpr[2] = toc;
  c.gpr[1] = newsp;
  c.gpr[3] = uint64_t(sig);
  if (a.flags & kSA_SIGINFO) {
    c.gpr[4] = frame_at + frame::kInfo;
    c.gpr[5] = frame_at + frame::kUc;
    c.gpr[6] = frame_at;
  } else {
    c.gpr[4] = frame_at + frame::kUc + uc::kMcontext;
  }
  resume = kVdsoBase;
  c.resv_valid = false;
  t.suspend_saved_mask.reset();
  t.sig_mask |= a.mask | ((a.flags & kSA_NODEFER) ? 0 : bit(sig));
  t.sig_mask &= ~kUnblockable;
  if (a.flags & kSA_RESETHAND) a = SigAction{};
  return true;
}

bool LinuxProcess::save_context(Thread& t, uint64_t uc_addr, uint64_t nip) {
  uint8_t mc[kSigcontextWritten];
  encode_sigcontext(t.cpu, uc_addr + uc::kMcontext, nip, 0, 0, SigInfo{}, mc);
  uint8_t mask[8];
  put64(mask, t.sig_mask);
  return copy_out(uc_addr + uc::kMcontext, mc, sizeof mc) && copy_out(uc_addr + uc::kSigmask, mask, 8);
}

bool LinuxProcess::restore_context(Thread& t, uint64_t uc_addr, bool signal_return) {
  std::vector<uint8_t> u(uc::kMcontext + kSigcontextWritten);
  if (!copy_in(uc_addr, u.data(), u.size())) return false;
  ppc::Cpu& c = t.cpu;
  t.sig_mask = get64(u.data() + uc::kSigmask) & ~kUnblockable;
  const uint8_t* gp = u.data() + uc::kMcontext + sc::kGpRegs;
  for (unsigned k = 0; k < 32; ++k) {
    if (k == 13 && !signal_return) continue;  // swapcontext keeps the thread pointer
    c.gpr[k] = get64(gp + 8 * k);
  }
  c.npc = get64(gp + 8 * kPT_NIP);
  c.ctr = get64(gp + 8 * kPT_CTR);
  c.lr = get64(gp + 8 * kPT_LNK);
  c.set_xer(get64(gp + 8 * kPT_XER));
  c.cr = uint32_t(get64(gp + 8 * kPT_CCR));
  const uint8_t* fp = u.data() + uc::kMcontext + sc::kFpRegs;
  for (unsigned k = 0; k < 32; ++k) c.fpr[k] = get64(fp + 8 * k);
  c.fpscr = get64(fp + 8 * 32);
  c.resv_valid = false;
  if (signal_return && !t.on_alt_stack(c.gpr[1])) {
    // The alternate stack as the frame recorded it (errors ignored, as Linux).
    const uint8_t* st = u.data() + uc::kStack;
    uint64_t sp = get64(st), size = get64(st + 16);
    uint32_t flags = ppc::from_be<uint32_t>(st + 8);
    if (flags & kSS_DISABLE) {
      t.alt_enabled = false;
      t.alt_sp = t.alt_size = 0;
    } else if (size >= kMINSIGSTKSZ) {
      t.alt_enabled = true;
      t.alt_sp = sp;
      t.alt_size = size;
    }
  }
  return true;
}

}  // namespace dusim
