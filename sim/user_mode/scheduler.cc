// Threads: the deterministic interleaving, blocking and waking, futex queues,
// and how faults end a slice (a signal handler, or the end of the process).
#include <algorithm>

#include <fmt/format.h>

#include "cpu_ppc64/disasm.h"
#include "cpu_ppc64/fault_report.h"
#include "cpu_ppc64/fpu.h"
#include "user_mode/linux_abi.h"
#include "user_mode/linux_process.h"

namespace dusim {

using namespace linux_abi;

namespace {
// A thread alone runs in slices this long; they end at its system calls
// that change the set of threads anyway, so the length changes nothing.
constexpr uint64_t kLongSlice = 1ull << 22;

void print_trace(ppc::Cpu& c, const ppc::Insn& i, void* ctx) {
  auto* symbols = static_cast<const SymbolTable*>(ctx);
  const SymbolTable::Symbol* s = symbols->find(c.pc);
  std::string sym = s ? s->name : "?";
  std::fprintf(stderr, "%u %016llx %-24s %08x  %s\n", c.id, (unsigned long long)c.pc, sym.c_str(), i.raw,
               ppc::disassemble(i.raw, c.pc).c_str());
}
// SIGFPE's si_code: the first enabled exception that occurred, in the
// order Linux's parse_fpe() tries them.
int fpe_code(uint64_t fpscr) {
  namespace fs = ppc::fpu::fpscr;
  if ((fpscr & fs::VE) && (fpscr & fs::VX)) return kFPE_FLTINV;
  if ((fpscr & fs::OE) && (fpscr & fs::OX)) return kFPE_FLTOVF;
  if ((fpscr & fs::UE) && (fpscr & fs::UX)) return kFPE_FLTUND;
  if ((fpscr & fs::ZE) && (fpscr & fs::ZX)) return kFPE_FLTDIV;
  if ((fpscr & fs::XE) && (fpscr & fs::XX)) return kFPE_FLTRES;
  return 0;
}
}  // namespace

LinuxProcess::Result LinuxProcess::run(uint64_t max_insns, bool trace) {
  for (;;) {
    Stop s = run_threads(0, max_insns, trace);
    if (s.kind == Stop::Kind::Ended) return *ended_;
    if (s.kind == Stop::Kind::Limit) return {Outcome::LimitReached, 0, ""};
    if (s.kind == Stop::Kind::Stopped) return {Outcome::Interrupted, 0, ""};
  }
}

LinuxProcess::Stop LinuxProcess::run_threads(uint64_t budget, uint64_t max_insns, bool trace, const AtInsn& at_insn) {
  uint64_t spent = 0;
  for (;;) {
    if (ended_) return {Stop::Kind::Ended};
    uint64_t done = max_insns ? total_instructions() : 0;
    if (max_insns && done >= max_insns) return {Stop::Kind::Limit};
    if (budget && spent >= budget) return {Stop::Kind::Budget};
    if (stop_flag_ && *stop_flag_) return {Stop::Kind::Stopped};
    uint64_t until = 0;
    Thread* t = pick(until);
    if (!t) continue;  // the process ended
    deliver_pending(*t, false);
    if (ended_ || t->state != Thread::State::Runnable) continue;
    ppc::Cpu& c = t->cpu;
    if (at_insn) {
      if (at_insn(t->index, c.pc)) return {Stop::Kind::AtInstruction, t->index};
      until = c.cycles + 1;  // every instruction takes a cycle at least: exactly one
    }
    // Cycles are at least instructions, so these bounds hold the limits.
    if (max_insns) until = std::min(until, c.cycles + (max_insns - done));
    if (budget) until = std::min(until, c.cycles + (budget - spent));
    uint64_t c0 = c.cycles;
    run_slice(*t, until, trace);
    spent += std::max<uint64_t>(c.cycles - c0, 1);
  }
}

void LinuxProcess::step_thread(unsigned n, bool trace) {
  Thread& t = *threads_[n];
  if (ended_ || t.state != Thread::State::Runnable) return;
  deliver_pending(t, false);
  if (ended_ || t.state != Thread::State::Runnable) return;
  run_slice(t, t.cpu.cycles + 1, trace);
}

Thread* LinuxProcess::pick(uint64_t& until) {
  if (live_ == 1) {
    auto it = std::find_if(threads_.begin(), threads_.end(), [](const auto& t) { return t->alive(); });
    if ((*it)->state == Thread::State::Runnable) {
      long_slice_ = true;
      until = (*it)->cpu.cycles + kLongSlice;
      return it->get();
    }
  }
  if (long_slice_) {
    // Back to rounds, aligned to where the lone thread's time has got to.
    long_slice_ = false;
    round_end_ = next_quantum(threads_[last_ran_]->cpu.cycles);
    cursor_ = last_ran_;
  }
  for (;;) {
    for (; cursor_ < threads_.size(); ++cursor_) {
      Thread& t = *threads_[cursor_];
      if (t.state == Thread::State::Runnable && t.cpu.cycles < round_end_) {
        until = round_end_;
        return &t;
      }
    }
    if (!next_round()) return nullptr;
  }
}

bool LinuxProcess::next_round() {
  round_end_ += opts_.quantum_cycles;
  cursor_ = 0;
  wake_expired(round_end_);
  auto due = [&] {
    for (const auto& t : threads_)
      if (t->state == Thread::State::Runnable && t->cpu.cycles < round_end_) return true;
    return false;
  };
  if (due()) return true;
  // Nothing to do in this round: skip to the round where something is,
  // the earliest runnable thread's time or the earliest timeout.
  std::optional<uint64_t> next;
  for (const auto& t : threads_) {
    std::optional<uint64_t> at;
    if (t->state == Thread::State::Runnable) at = t->cpu.cycles;
    else if (t->state == Thread::State::Blocked && t->deadline) at = *t->deadline;
    if (at && (!next || *at < *next)) next = at;
  }
  if (!next) {
    deadlock();
    return false;
  }
  round_end_ = std::max(round_end_, next_quantum(*next));
  wake_expired(round_end_);
  return true;
}

void LinuxProcess::wake_expired(uint64_t limit) {
  for (auto& t : threads_) {
    if (t->state != Thread::State::Blocked || !t->deadline || *t->deadline >= limit) continue;
    // A timed-out futex wait fails with ETIMEDOUT; a finished sleep returns 0.
    wake(*t, t->wait == Thread::Wait::Futex ? -kETIMEDOUT : 0, *t->deadline);
  }
}

void LinuxProcess::deadlock() {
  std::string s = "deadlock: every thread is blocked and none has a timeout\n";
  for (const auto& t : threads_) {
    if (!t->alive()) continue;
    const SymbolTable::Symbol* sym = image_.symbols().find(t->cpu.pc);
    std::string what = t->wait == Thread::Wait::Futex ? fmt::format("futex wait on {:#x}", t->futex_addr)
                       : t->wait == Thread::Wait::Signal ? std::string("waiting for a signal")
                                                         : std::string("sleeping");
    uint32_t v = 0;
    if (t->wait == Thread::Wait::Futex && get_u32(t->futex_addr, v)) what += fmt::format(" (holding {})", v);
    s += fmt::format("  thread {} (cpu {}): {}, at pc {:#x} <{}>\n", t->tid, t->index, what, t->cpu.pc,
                     sym ? sym->name : "?");
  }
  end(Result{Outcome::Faulted, 0, s, ppc::FaultKind::GuestPanic});
}

void LinuxProcess::run_slice(Thread& t, uint64_t until, bool trace) {
  ppc::Cpu& c = t.cpu;
  // Another thread may have stored to the reservation granule meanwhile:
  // drop the reservation, as a real one is lost on a context switch.
  if (last_ran_ != t.index) c.resv_valid = false;
  last_ran_ = t.index;
  try {
    if (trace) c.run_traced(until, print_trace, const_cast<SymbolTable*>(&image_.symbols()));
    else c.run(until);
  } catch (const ppc::GuestFault& f) {
    SigInfo info;
    info.addr = c.pc;
    info.trap = ppc::vec::kProgram;
    switch (f.kind) {
      case ppc::FaultKind::IllegalInstruction: info.signo = kSIGILL, info.code = kILL_ILLOPC; break;
      case ppc::FaultKind::PrivilegedInstruction: info.signo = kSIGILL, info.code = kILL_PRVOPC; break;
      case ppc::FaultKind::Trap: info.signo = kSIGTRAP, info.code = kTRAP_BRKPT; break;
      case ppc::FaultKind::FloatingPoint: info.signo = kSIGFPE, info.code = fpe_code(c.fpscr); break;
      default: break;  // no signal: the run ends
    }
    fault(t, f.kind, f.what(), info);
  } catch (const ppc::AccessFault& f) {
    SigInfo info;
    info.signo = kSIGSEGV;
    info.code = mm_.mapped(f.addr, 1) ? kSEGV_ACCERR : kSEGV_MAPERR;
    info.addr = f.addr;
    bool fetch = f.kind == ppc::Access::Fetch;
    info.trap = fetch ? ppc::vec::kInsnStorage : ppc::vec::kDataStorage;
    info.dar = fetch ? 0 : f.addr;
    std::string what = f.what();
    if (info.code == kSEGV_ACCERR) {
      const char* verb = fetch ? "instruction fetch" : f.kind == ppc::Access::Write ? "store" : "load";
      what = fmt::format("{} at {:#x} not permitted by its mapping", verb, f.addr);
    }
    fault(t, fetch ? ppc::FaultKind::BadFetch : ppc::FaultKind::BadAccess, what, info);
  }
}

void LinuxProcess::fault(Thread& t, ppc::FaultKind kind, const std::string& what, const SigInfo& info) {
  if (info.signo) {
    const SigAction& a = action(info.signo);
    bool blocked = t.sig_mask & (1ull << (info.signo - 1));
    // A handled, unblocked signal runs its handler; otherwise Linux forces
    // the default action, and the run ends with the report.
    if (a.handler > kSIG_IGN && !blocked && setup_frame(t, info.signo, info, false)) return;
  }
  std::string r = report(t, what);
  if (info.signo == kSIGSEGV) r += "  memory: " + mm_.describe(info.addr) + "\n";
  end(Result{Outcome::Faulted, 0, r, kind});
}

std::string LinuxProcess::report(Thread& t, const std::string& what) {
  ppc::MemoryReader read = [this](uint64_t addr, unsigned size, uint64_t& v) {
    uint8_t b[8];
    if (!mm_.mapped(addr, size)) return false;
    std::memcpy(b, mm_.host(addr, size), size);
    v = size == 8 ? ppc::from_be<uint64_t>(b) : ppc::from_be<uint32_t>(b);
    return true;
  };
  std::string s = ppc::fault_report(ppc::registers_of(t.cpu), what, &image_.symbols(), read);
  if (threads_.size() > 1) s += fmt::format("  thread {} (cpu {}) of {}\n", t.tid, t.index, threads_.size());
  return s;
}

void LinuxProcess::end(Result r) {
  if (!ended_) ended_ = std::move(r);
}

// ---- threads -------------------------------------------------------------------

Thread* LinuxProcess::find_thread(int64_t tid) {
  int64_t n = tid - Thread::kPid;
  if (n < 0 || n >= int64_t(threads_.size()) || !threads_[n]->alive()) return nullptr;
  return threads_[n].get();
}

int64_t LinuxProcess::new_thread(Thread& parent) {
  if (live_ >= opts_.cpus) return -kEAGAIN;
  threads_.push_back(std::make_unique<Thread>(unsigned(threads_.size()), code_, *this));
  Thread& t = *threads_.back();
  ++live_;
  attach(t);
  const ppc::Cpu& p = parent.cpu;
  ppc::Cpu& c = t.cpu;
  std::copy(std::begin(p.gpr), std::end(p.gpr), std::begin(c.gpr));
  std::copy(std::begin(p.fpr), std::end(p.fpr), std::begin(c.fpr));
  c.fpscr = p.fpscr;
  c.lr = p.lr;
  c.ctr = p.ctr;
  c.cr = p.cr;
  c.set_xer(p.xer());
  c.msr = p.msr;
  c.latency = p.latency;
  c.pc = p.npc;  // after the parent's sc
  c.cycles = t.born_cycles = p.cycles;
  t.sig_mask = parent.sig_mask;
  return t.tid;
}

void LinuxProcess::exit_thread(Thread& t, int status) {
  t.state = Thread::State::Exited;
  t.exit_status = status;
  --live_;
  if (t.clear_child_tid && put_u32(t.clear_child_tid, 0))
    futex_wake(t.clear_child_tid, false, 1, kFUTEX_BITSET_MATCH_ANY, t.cpu.cycles);
  if (live_ == 0) end(Result{Outcome::Exited, status & 0xff, ""});
}

void LinuxProcess::exit_process(int status) { end(Result{Outcome::Exited, status & 0xff, ""}); }

void LinuxProcess::block(Thread& t, Thread::Wait w, std::optional<uint64_t> deadline) {
  t.state = Thread::State::Blocked;
  t.wait = w;
  t.deadline = deadline;
  if (w == Thread::Wait::Futex) futex_waiters_.push_back(&t);
}

void LinuxProcess::wake(Thread& t, int64_t result, uint64_t now) {
  if (t.wait == Thread::Wait::Futex) futex_waiters_.erase(std::find(futex_waiters_.begin(), futex_waiters_.end(), &t));
  t.state = Thread::State::Runnable;
  t.wait = Thread::Wait::None;
  t.deadline.reset();
  set_result(t.cpu, result);
  idle_until(t, now);
}

void LinuxProcess::idle_until(Thread& t, uint64_t cycles) {
  if (cycles <= t.cpu.cycles) return;
  t.idle_cycles += cycles - t.cpu.cycles;
  t.cpu.cycles = cycles;
}

int64_t LinuxProcess::futex_wake(uint64_t addr, bool priv, int64_t count, uint32_t bitset, uint64_t now) {
  std::vector<Thread*> woken;
  for (Thread* w : futex_waiters_) {
    if (int64_t(woken.size()) >= count) break;
    if (w->futex_addr == addr && w->futex_private == priv && (w->futex_bitset & bitset)) woken.push_back(w);
  }
  for (Thread* w : woken) wake(*w, 0, now);
  return int64_t(woken.size());
}

int64_t LinuxProcess::futex_requeue(uint64_t from, uint64_t to, bool priv, int64_t wake_count, int64_t move_count,
                                    uint64_t now) {
  int64_t woken = futex_wake(from, priv, wake_count, kFUTEX_BITSET_MATCH_ANY, now);
  // The moved waiters queue behind those already waiting on `to`.
  std::vector<Thread*> moved;
  for (auto it = futex_waiters_.begin(); it != futex_waiters_.end() && int64_t(moved.size()) < move_count;) {
    if ((*it)->futex_addr == from && (*it)->futex_private == priv) {
      (*it)->futex_addr = to;
      moved.push_back(*it);
      it = futex_waiters_.erase(it);
    } else {
      ++it;
    }
  }
  futex_waiters_.insert(futex_waiters_.end(), moved.begin(), moved.end());
  return woken + int64_t(moved.size());
}

}  // namespace dusim
