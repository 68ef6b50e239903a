#include "user_mode/linux_process.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "cpu_ppc64/fault_report.h"
#include "user_mode/linux_abi.h"
#include "user_mode/syscall_table.h"

namespace dusim {

using ppc::Access;
using ppc::AccessResult;
using namespace linux_abi;

namespace {
constexpr uint64_t kPage = 1ull << LinuxProcess::kPageShift;
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

// Auxiliary vector tags.
enum : uint64_t {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9,
  AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
  AT_DCACHEBSIZE = 19, AT_ICACHEBSIZE = 20, AT_UCACHEBSIZE = 21, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26,
  AT_EXECFN = 31,
};
// PPC_FEATURE_64 | PPC_FEATURE_HAS_FPU | PPC_FEATURE_HAS_MMU | PPC_FEATURE_POWER5 (no AltiVec, no VSX).
constexpr uint64_t kHwcap = 0x40000000u | 0x08000000u | 0x00000040u | 0x00040000u;

// The signal trampoline, as the ppc64 vDSO's __kernel_start_sigtramp_rt64:
// call the handler (CTR), pop the dummy frame, rt_sigreturn.
constexpr uint32_t kTrampoline[] = {
    0x4e800421,                           // bctrl
    0x38210000 | uint32_t(kSignalFrameSize),  // addi r1,r1,__SIGNAL_FRAMESIZE
    0x38000000 | 172,                     // li r0,__NR_rt_sigreturn
    0x44000002,                           // sc
};
}  // namespace

LinuxProcess::LinuxProcess(const std::string& elf_path, const std::vector<std::string>& argv,
                           const std::vector<std::string>& envp, const Options& options)
    : opts_(options),
      image_(ElfImage::load(elf_path)),
      code_([this](uint64_t page) {
        // A page holding decoded code loses its write grants on every CPU.
        for (auto& t : threads_) t->cpu.mem.revoke(page, true);
      }),
      files_(options.root) {
  if (opts_.cpus == 0) opts_.cpus = 1;
  if (opts_.quantum_cycles == 0) opts_.quantum_cycles = 1;
  // Resource limits as a default Linux login has them (recorded, not enforced).
  for (auto& l : misc_.rlimits) l = {kRlimInfinity, kRlimInfinity};
  misc_.rlimits[kRLIMIT_STACK] = {8ull << 20, kRlimInfinity};
  misc_.rlimits[kRLIMIT_NOFILE] = {uint64_t(FileTable::kMaxFds), uint64_t(FileTable::kMaxFds)};
  misc_.rlimits[4] = {0, kRlimInfinity};              // RLIMIT_CORE
  misc_.rlimits[8] = {8ull << 20, 8ull << 20};        // RLIMIT_MEMLOCK
  misc_.rlimits[13] = misc_.rlimits[14] = {0, 0};     // RLIMIT_NICE, RLIMIT_RTPRIO
  mm_.set_on_change([this](uint64_t start, uint64_t end, bool code) {
    flush_fast_paths();
    if (code) code_.invalidate(start, end - start);
  });
  place_image();

  threads_.push_back(std::make_unique<Thread>(0, code_, *this));
  live_ = 1;
  Thread& t = *threads_[0];
  attach(t);
  ppc::Cpu& c = t.cpu;
  // MSR[FP]: the FPU is available. FE0|FE1: enabled FP exceptions trap
  // (precisely), as qemu-ppc64 does for user programs.
  c.msr = ppc::msr::SF | ppc::msr::EE | ppc::msr::PR | ppc::msr::FP | ppc::msr::ME | ppc::msr::FE0 | ppc::msr::FE1 |
          ppc::msr::IR | ppc::msr::DR | ppc::msr::RI;
  uint64_t entry = 0, toc = 0;
  if (!image_.read64(image_.entry_descriptor(), entry) || !image_.read64(image_.entry_descriptor() + 8, toc))
    throw BadElf(elf_path + ": entry point is not a function descriptor inside the image (ELFv1)");
  c.pc = entry;
  c.gpr[2] = toc;
  build_stack(argv, envp);
  round_end_ = opts_.quantum_cycles;
}

LinuxProcess::~LinuxProcess() = default;

void LinuxProcess::place_image() {
  uint64_t lo = image_.lowest() & ~(kPage - 1);
  uint64_t hi = align_up(image_.highest(), kPage);
  if (hi <= lo || hi + kHeapReserve > kMmapBase)
    throw BadElf(image_.path() + ": segments do not fit the user address space");
  try {
    mm_.add_area("image+heap", lo, hi - lo + kHeapReserve);
  } catch (const std::runtime_error& e) {  // the host's address space (a ulimit -v, say): the image's, not ours
    throw BadElf(image_.path() + ": its segments span " + std::to_string(hi - lo) +
                 " bytes, more host address space than could be reserved (" + e.what() + ")");
  }
  mm_.add_area("mmap", kMmapBase, kMmapSize);
  mm_.add_area("stack", kStackTop - kStackSize, kStackSize);
  mm_.add_area("vdso", kVdsoBase, kPage);
  mm_.set_mmap_area(kMmapBase, kMmapSize);

  // Each segment's pages with its permissions (a page two segments share
  // gets both), then the contents. Mapped range by range, not page by page:
  // a huge .bss costs nothing until the program touches it.
  auto prot_of = [](const ElfImage::Segment& s) {
    return uint8_t(AddressSpace::kRead | (s.write ? AddressSpace::kWrite : 0) | (s.exec ? AddressSpace::kExec : 0));
  };
  std::vector<uint64_t> cuts;  // page-aligned ends of the segments: between two cuts, one set of permissions
  for (const ElfImage::Segment& s : image_.segments()) {
    cuts.push_back(s.vaddr & ~(kPage - 1));
    cuts.push_back(align_up(s.vaddr + s.memsz, kPage));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    uint8_t prot = 0;
    for (const ElfImage::Segment& s : image_.segments())
      if (s.memsz && (s.vaddr & ~(kPage - 1)) < cuts[k + 1] && align_up(s.vaddr + s.memsz, kPage) > cuts[k]) prot |= prot_of(s);
    if (prot) mm_.map(cuts[k], cuts[k + 1] - cuts[k], prot, true, false, image_.path());
  }
  image_.place(mm_.backing(), false);
  mm_.set_brk_range(hi, hi + kHeapReserve);
  mm_.map(kStackTop - kStackSize, kStackSize, AddressSpace::kRead | AddressSpace::kWrite, true, false, "[stack]");
  mm_.map(kVdsoBase, kPage, AddressSpace::kRead | AddressSpace::kExec, true, false, "[vdso]");
  for (size_t k = 0; k < std::size(kTrampoline); ++k) ppc::to_be<uint32_t>(mm_.host(kVdsoBase + 4 * k, 4), kTrampoline[k]);
}

void LinuxProcess::attach(Thread& t) { t.cpu.mem.attach(mem_target_, t.index, kPageShift, &t.cpu.cycles); }

void LinuxProcess::interpose_memory(ppc::MemTarget* filter) {
  mem_target_ = filter ? filter : this;
  for (auto& t : threads_) attach(*t);
}

void LinuxProcess::flush_fast_paths() {
  for (auto& t : threads_) t->cpu.mem.flush();
}

// Stack at entry, from the stack pointer up: argc, argv[], 0, envp[], 0,
// auxv pairs, AT_NULL; the strings and AT_RANDOM's bytes sit above them.
void LinuxProcess::build_stack(const std::vector<std::string>& argv, const std::vector<std::string>& envp) {
  uint64_t sp = kStackTop;
  auto push_bytes = [&](const void* p, size_t n) {
    sp -= n;
    std::memcpy(mm_.host(sp, n), p, n);
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
  for (size_t k = 0; k < words.size(); ++k) ppc::to_be<uint64_t>(mm_.host(sp + 8 * k, 8), words[k]);
  ppc::Cpu& c = threads_[0]->cpu;
  c.gpr[1] = sp;
  c.gpr[3] = argp.size();
  c.gpr[4] = sp + 8;
  c.gpr[5] = sp + 8 * (argp.size() + 2);
  c.gpr[6] = sp + 8 * (argp.size() + envpp.size() + 3);
  c.gpr[7] = 0;
}

// ---- memory ----------------------------------------------------------------

AccessResult LinuxProcess::access(unsigned, uint64_t addr, unsigned size, Access kind, uint8_t* data) {
  AccessResult r;
  switch (kind) {
    case Access::Read:
    case Access::Fetch:
    case Access::Write: {
      if (size == 0) {  // fetch timing only
        r.ok = true;
        return r;
      }
      uint8_t need = kind == Access::Fetch ? AddressSpace::kExec
                     : kind == Access::Write ? AddressSpace::kWrite
                                             : AddressSpace::kRead;
      // Usually inside one mapping (one lookup, cached); else it straddles two.
      const AddressSpace::Mapping* m = mm_.find(addr);
      bool inside = m && addr + size <= m->end && m->permits(need);
      if (!inside && !mm_.allows(addr, size, need)) return r;
      uint8_t* p = inside ? m->host + (addr - m->start) : mm_.host(addr, size);
      if (kind == Access::Write) {
        if (code_.holds_code(addr) || code_.holds_code(addr + size - 1)) code_.invalidate(addr, size);
        std::memcpy(p, data, size);
      } else {
        std::memcpy(data, p, size);
      }
      r.ok = true;
      // Mappings are page-aligned: the whole page has the mapping's permissions.
      // Fetches need no grant (decoded code is cached); pages holding code get no write grant.
      bool one_page = (addr & (kPage - 1)) + size <= kPage;
      if (inside && one_page && kind != Access::Fetch && !(kind == Access::Write && code_.holds_code(addr)))
        r.grant = m->host + ((addr & ~(kPage - 1)) - m->start);
      return r;
    }
    case Access::BlockZero: {
      uint64_t line = addr & ~uint64_t(127);
      if (!mm_.allows(line, 128, AddressSpace::kWrite)) return r;
      code_.invalidate(line, 128);
      std::memset(mm_.host(line, 128), 0, 128);
      r.ok = true;
      return r;
    }
    case Access::ICacheInvalidate:
      code_.invalidate(addr & ~uint64_t(127), 128);
      r.ok = true;
      return r;
    case Access::TlbInvalidate:  // never sent: a process runs untranslated
    case Access::PteUpdate:
    case Access::StoreConditional:
      return r;
    case Access::BlockTouch:
    case Access::Reserve:
    case Access::Barrier:
    case Access::Order:
      r.ok = true;  // hints; reservations are dropped when another thread runs (run_slice)
      return r;
    case Access::BlockFlush:
    case Access::BlockClean:
    case Access::BlockInvalidate:
      r.ok = mm_.mapped(addr, 1);
      return r;
  }
  return r;
}

bool LinuxProcess::copy_in(uint64_t addr, void* dst, uint64_t len) const {
  if (!mm_.allows(addr, len, AddressSpace::kRead)) return false;
  if (len) std::memcpy(dst, mm_.host(addr, len), len);
  return true;
}

bool LinuxProcess::copy_out(uint64_t addr, const void* src, uint64_t len) {
  if (!mm_.allows(addr, len, AddressSpace::kWrite)) return false;
  if (!len) return true;
  code_.invalidate(addr, len);
  std::memcpy(mm_.host(addr, len), src, len);
  return true;
}

bool LinuxProcess::get_u32(uint64_t addr, uint32_t& v) const {
  uint8_t b[4];
  if (!copy_in(addr, b, 4)) return false;
  v = ppc::from_be<uint32_t>(b);
  return true;
}
bool LinuxProcess::get_u64(uint64_t addr, uint64_t& v) const {
  uint8_t b[8];
  if (!copy_in(addr, b, 8)) return false;
  v = ppc::from_be<uint64_t>(b);
  return true;
}
bool LinuxProcess::put_u32(uint64_t addr, uint32_t v) {
  uint8_t b[4];
  ppc::to_be<uint32_t>(b, v);
  return copy_out(addr, b, 4);
}
bool LinuxProcess::put_u64(uint64_t addr, uint64_t v) {
  uint8_t b[8];
  ppc::to_be<uint64_t>(b, v);
  return copy_out(addr, b, 8);
}

std::optional<std::string> LinuxProcess::get_string(uint64_t addr, size_t max, bool* too_long) const {
  std::string s;
  for (;;) {
    // Page by page: a string may end just before an unmapped page.
    uint64_t chunk = kPage - (addr & (kPage - 1));
    if (!mm_.allows(addr, chunk, AddressSpace::kRead)) return std::nullopt;
    const char* p = reinterpret_cast<const char*>(mm_.host(addr, chunk));
    const void* nul = std::memchr(p, 0, chunk);
    size_t n = nul ? size_t(static_cast<const char*>(nul) - p) : chunk;
    if (s.size() + n >= max) {
      if (too_long) *too_long = true;
      return std::nullopt;
    }
    s.append(p, n);
    if (nul) return s;
    addr += chunk;
  }
}

// ---- time ------------------------------------------------------------------

uint64_t LinuxProcess::cycles_to_ns(uint64_t cycles) {
  return uint64_t((unsigned __int128)cycles * 1'000'000'000u / kClockHz);
}
uint64_t LinuxProcess::ns_to_cycles(uint64_t ns) {
  unsigned __int128 c = ((unsigned __int128)ns * kClockHz + 999'999'999u) / 1'000'000'000u;
  return c > ~uint64_t(0) ? ~uint64_t(0) : uint64_t(c);
}

uint64_t LinuxProcess::total_instructions() const {
  uint64_t n = 0;
  for (const auto& t : threads_) n += t->cpu.icount;
  return n;
}
uint64_t LinuxProcess::total_cycles() const {
  uint64_t n = 0;
  for (const auto& t : threads_) n += t->cpu.cycles;
  return n;
}

// ---- system calls ------------------------------------------------------------

void LinuxProcess::note(const std::string& text) {
  if (opts_.verbose && notes_.insert(text).second) std::fprintf(stderr, "dusim: %s\n", text.c_str());
}

void LinuxProcess::note_missing(uint64_t nr, const char* name, uint64_t pc) {
  if (!opts_.verbose || !noted_.insert(nr).second) return;
  std::fprintf(stderr, "dusim: system call %llu (%s) at pc %#llx is not implemented: -ENOSYS (noted once)\n",
               (unsigned long long)nr, name, (unsigned long long)pc);
}

int64_t LinuxProcess::dispatch(SysCall& s) {
  uint64_t nr = s.cpu.gpr[0];
  const SyscallInfo* info = find_syscall(nr);
  if (!info || info->status == SyscallStatus::Missing) {
    const char* name = info ? info->name : "unknown";
    if (opts_.strict_syscalls)
      throw ppc::GuestFault(ppc::FaultKind::UnsupportedSyscall,
                            fmt::format("unsupported system call {} ({}) at PC {:#x}", nr, name, s.cpu.pc));
    note_missing(nr, name, s.cpu.pc);
    return -kENOSYS;
  }
  if (info->status == SyscallStatus::NoSys) return -kENOSYS;
  return info->handler(s);
}

void LinuxProcess::set_result(ppc::Cpu& c, int64_t r) {
  // Linux ppc64: on error r3 = errno and CR0[SO] set; on success SO clear.
  if (r < 0 && r >= -4095) {
    c.gpr[3] = uint64_t(-r);
    c.cr |= 1u << 28;
  } else {
    c.gpr[3] = uint64_t(r);
    c.cr &= ~(1u << 28);
  }
}

void LinuxProcess::system_call(ppc::Cpu& c) {
  Thread& t = *threads_[c.id];
  SysCall s{*this, t, c, {c.gpr[3], c.gpr[4], c.gpr[5], c.gpr[6], c.gpr[7], c.gpr[8]}};
  int64_t r = dispatch(s);
  if (r != kNoResult) set_result(c, r);
  if (ended_ || t.state != Thread::State::Runnable) {
    c.stop();
    return;
  }
  deliver_pending(t, true);
  if (ended_) c.stop();
}

}  // namespace dusim
