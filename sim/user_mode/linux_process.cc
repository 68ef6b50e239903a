#include "user_mode/linux_process.h"

#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "cpu_ppc64/disasm.h"
#include "cpu_ppc64/fault_report.h"

namespace dusim {

using ppc::Access;
using ppc::AccessResult;

namespace {
constexpr uint64_t kPage = 1ull << LinuxProcess::kPageShift;
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

// Linux ppc64 system call numbers and errno values used here.
constexpr uint64_t kSysExit = 1, kSysWrite = 4, kSysBrk = 45, kSysExitGroup = 234;
constexpr uint64_t kEbadf = 9, kEfault = 14;

// Auxiliary vector tags.
enum : uint64_t {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9,
  AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
  AT_DCACHEBSIZE = 19, AT_ICACHEBSIZE = 20, AT_UCACHEBSIZE = 21, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26,
  AT_EXECFN = 31,
};
// PPC_FEATURE_64 | PPC_FEATURE_HAS_MMU | PPC_FEATURE_POWER5 (no FPU: the model has none).
constexpr uint64_t kHwcap = 0x40000000u | 0x00000040u | 0x00040000u;
}  // namespace

LinuxProcess::LinuxProcess(const std::string& elf_path, const std::vector<std::string>& argv,
                           const std::vector<std::string>& envp)
    : image_(ElfImage::load(elf_path)),
      code_([this](uint64_t page) { cpu_.mem.revoke(page, true); }),
      cpu_(0, code_, *this) {
  uint64_t lo = image_.lowest() & ~(kPage - 1);
  uint64_t hi = align_up(image_.highest(), kPage);
  if (hi <= lo || hi > kStackTop - kStackSize - kHeapReserve)
    throw BadElf(elf_path + ": segments do not fit the user address space");
  mem_.add_region("image+heap", lo, hi - lo + kHeapReserve);
  mem_.add_region("stack", kStackTop - kStackSize, kStackSize);
  image_.place(mem_, false);
  brk_start_ = brk_ = hi;
  brk_limit_ = hi + kHeapReserve;

  cpu_.mem.attach(this, 0, kPageShift, &cpu_.cycles);
  // MSR[FP]: the FPU is available. FE0|FE1: enabled FP exceptions trap
  // (precisely), as qemu-ppc64 does for user programs.
  cpu_.msr = ppc::msr::SF | ppc::msr::EE | ppc::msr::PR | ppc::msr::FP | ppc::msr::ME | ppc::msr::FE0 |
             ppc::msr::FE1 | ppc::msr::IR | ppc::msr::DR | ppc::msr::RI;
  uint64_t entry = 0, toc = 0;
  if (!image_.read64(image_.entry_descriptor(), entry) || !image_.read64(image_.entry_descriptor() + 8, toc))
    throw BadElf(elf_path + ": entry point is not a function descriptor inside the image (ELFv1)");
  cpu_.pc = entry;
  cpu_.gpr[2] = toc;
  build_stack(argv, envp);
}

// Stack at entry, from the stack pointer up: argc, argv[], 0, envp[], 0,
// auxv pairs, AT_NULL; the strings and AT_RANDOM's bytes sit above them.
void LinuxProcess::build_stack(const std::vector<std::string>& argv, const std::vector<std::string>& envp) {
  uint64_t sp = kStackTop;
  auto push_bytes = [&](const void* p, size_t n) {
    sp -= n;
    mem_.write(sp, p, n);
    return sp;
  };
  auto push_str = [&](const std::string& s) { return push_bytes(s.c_str(), s.size() + 1); };
  std::vector<uint64_t> argp, envpp;
  std::string execfn = argv.empty() ? image_.path() : argv[0];
  uint64_t execfn_at = push_str(execfn);
  for (const auto& s : envp) envpp.push_back(push_str(s));
  for (const auto& s : argv) argp.push_back(push_str(s));
  uint64_t platform = push_str("power5");
  uint8_t random[16];
  for (unsigned k = 0; k < 16; ++k) random[k] = uint8_t(0x5a + 13 * k);  // fixed: runs are deterministic
  uint64_t random_at = push_bytes(random, 16);
  sp &= ~uint64_t(15);

  std::vector<uint64_t> words;
  words.push_back(argp.size());
  words.insert(words.end(), argp.begin(), argp.end());
  words.push_back(0);
  words.insert(words.end(), envpp.begin(), envpp.end());
  words.push_back(0);
  uint64_t entry = 0;
  image_.read64(image_.entry_descriptor(), entry);
  const std::pair<uint64_t, uint64_t> aux[] = {
      {AT_DCACHEBSIZE, 128}, {AT_ICACHEBSIZE, 128}, {AT_UCACHEBSIZE, 0}, {AT_PHDR, image_.phdr_vaddr()},
      {AT_PHENT, 56}, {AT_PHNUM, image_.phnum()}, {AT_PAGESZ, kPage}, {AT_BASE, 0}, {AT_FLAGS, 0},
      {AT_ENTRY, image_.entry_descriptor()}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0},
      {AT_HWCAP, kHwcap}, {AT_HWCAP2, 0}, {AT_CLKTCK, 100}, {AT_SECURE, 0}, {AT_RANDOM, random_at},
      {AT_PLATFORM, platform}, {AT_EXECFN, execfn_at}, {AT_NULL, 0}};
  for (auto [k, v] : aux) {
    words.push_back(k);
    words.push_back(v);
  }
  sp -= words.size() * 8;
  sp &= ~uint64_t(15);
  for (size_t k = 0; k < words.size(); ++k) {
    uint8_t b[8];
    ppc::to_be<uint64_t>(b, words[k]);
    mem_.write(sp + 8 * k, b, 8);
  }
  cpu_.gpr[1] = sp;
  cpu_.gpr[3] = argp.size();
  cpu_.gpr[4] = sp + 8;
  cpu_.gpr[5] = sp + 8 * (argp.size() + 2);
  cpu_.gpr[6] = sp + 8 * (argp.size() + envpp.size() + 3);
  cpu_.gpr[7] = 0;
}

void LinuxProcess::system_call(ppc::Cpu& c) {
  uint64_t nr = c.gpr[0];
  uint64_t ret = 0, err = 0;
  switch (nr) {
    case kSysExit:
    case kSysExitGroup:
      exit_code_ = int(c.gpr[3] & 0xff);
      c.stop();
      return;
    case kSysWrite: {
      uint64_t fd = c.gpr[3], buf = c.gpr[4], len = c.gpr[5];
      if (fd != 1 && fd != 2) {
        err = kEbadf;
        break;
      }
      const uint8_t* p = mem_.host(buf, len);
      if (!p && len) {
        err = kEfault;
        break;
      }
      uint64_t done = 0;
      while (done < len) {
        ssize_t n = ::write(int(fd), p + done, len - done);
        if (n <= 0) break;
        done += uint64_t(n);
      }
      ret = done;
      break;
    }
    case kSysBrk: {
      uint64_t want = c.gpr[3];
      if (want >= brk_start_ && want <= brk_limit_) {
        // Memory released by a shrinking brk reads as zero when regrown.
        if (want < brk_) std::memset(mem_.host(want, brk_ - want), 0, brk_ - want);
        brk_ = want;
      }
      ret = brk_;
      break;
    }
    default:
      throw ppc::GuestFault(ppc::FaultKind::UnsupportedSyscall,
                            "unsupported system call " + std::to_string(nr) + " at PC " + fmt::format("{:#x}", c.pc));
  }
  // Linux ppc64: on error r3 = errno and CR0[SO] set; on success SO clear.
  if (err) {
    c.gpr[3] = err;
    c.cr |= 1u << 28;
  } else {
    c.gpr[3] = ret;
    c.cr &= ~(1u << 28);
  }
}

AccessResult LinuxProcess::access(unsigned, uint64_t addr, unsigned size, Access kind, uint8_t* data) {
  AccessResult r;
  switch (kind) {
    case Access::Read:
    case Access::Fetch: {
      uint8_t* p = mem_.host(addr, size);
      if (!p) return r;
      std::memcpy(data, p, size);
      r.ok = true;
      if ((addr & (kPage - 1)) + size <= kPage) r.grant = mem_.host(addr & ~(kPage - 1), kPage);
      return r;
    }
    case Access::Write: {
      uint8_t* p = mem_.host(addr, size);
      if (!p) return r;
      if (code_.holds_code(addr) || code_.holds_code(addr + size - 1)) code_.invalidate(addr, size);
      std::memcpy(p, data, size);
      r.ok = true;
      if (!code_.holds_code(addr) && (addr & (kPage - 1)) + size <= kPage)
        r.grant = mem_.host(addr & ~(kPage - 1), kPage);
      return r;
    }
    case Access::BlockZero: {
      uint64_t line = addr & ~uint64_t(127);
      uint8_t* p = mem_.host(line, 128);
      if (!p) return r;
      code_.invalidate(line, 128);
      std::memset(p, 0, 128);
      r.ok = true;
      return r;
    }
    case Access::ICacheInvalidate:
      code_.invalidate(addr & ~uint64_t(127), 128);
      r.ok = true;
      return r;
    case Access::BlockTouch:
    case Access::Reserve:
    case Access::Barrier:
      r.ok = true;  // a hint, and one CPU: never faults
      return r;
    case Access::BlockFlush:
    case Access::BlockClean:
    case Access::BlockInvalidate:
      r.ok = mem_.host(addr, 1) != nullptr;
      return r;
  }
  return r;
}

namespace {
void print_trace(ppc::Cpu& c, const ppc::Insn& i, void* ctx) {
  auto* symbols = static_cast<const SymbolTable*>(ctx);
  const SymbolTable::Symbol* s = symbols->find(c.pc);
  std::string sym = s ? s->name : "?";
  std::fprintf(stderr, "%u %016llx %-24s %08x  %s\n", c.id, (unsigned long long)c.pc, sym.c_str(), i.raw,
               ppc::disassemble(i.raw, c.pc).c_str());
}
}  // namespace

LinuxProcess::Result LinuxProcess::run(uint64_t max_insns, bool trace) {
  // Run in slices so that an instruction limit can be honoured; cycles are
  // at least instructions, so a slice of N cycles runs at most N instructions.
  constexpr uint64_t kSlice = 1ull << 22;
  for (;;) {
    uint64_t budget = kSlice;
    if (max_insns) {
      if (cpu_.icount >= max_insns) return {Outcome::LimitReached, 0, ""};
      budget = std::min<uint64_t>(budget, max_insns - cpu_.icount);
    }
    if (std::optional<Result> r = run_slice(cpu_.cycles + budget, trace)) return *r;
  }
}

void LinuxProcess::interpose_memory(ppc::MemTarget* filter) {
  // As the constructor attaches the port, but to `filter`.
  cpu_.mem.attach(filter ? filter : this, 0, kPageShift, &cpu_.cycles);
}

std::optional<LinuxProcess::Result> LinuxProcess::run_slice(uint64_t until_cycles, bool trace) {
  try {
    if (!exit_code_) {
      if (trace) cpu_.run_traced(until_cycles, print_trace, const_cast<SymbolTable*>(&image_.symbols()));
      else cpu_.run(until_cycles);
    }
  } catch (const ppc::GuestFault& f) {
    return Result{Outcome::Faulted, 0, ppc::fault_report(cpu_, f.what(), &image_.symbols()), f.kind};
  } catch (const ppc::AccessFault& f) {
    return Result{Outcome::Faulted, 0, ppc::fault_report(cpu_, f.what(), &image_.symbols()),
                  f.kind == Access::Fetch ? ppc::FaultKind::BadFetch : ppc::FaultKind::BadAccess};
  }
  if (exit_code_) return Result{Outcome::Exited, *exit_code_, ""};
  return std::nullopt;
}

}  // namespace dusim
