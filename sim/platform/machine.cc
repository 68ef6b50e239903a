#include "platform/machine.h"

#include <fmt/format.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <algorithm>

#include "platform/asan_stack.h"

namespace dusim {

sc_core::sc_time Machine::time_of(uint64_t cycles) const {
  return sc_core::sc_time::from_value(cfg_.cycles_to_ps(cycles));
}

Machine::Machine(sc_core::sc_module_name name, const MachineConfig& cfg, const ElfImage& image,
                 const std::vector<uint8_t>& boot_args, const std::vector<uint8_t>& initrd)
    : sc_module(name),
      cfg_(cfg),
      image_(image),
      code_([this](uint64_t page) { map_.code_page_created(page); }),
      msys_(cfg_.caches ? std::make_unique<coherence::MemorySystem>(cfg_.hierarchy) : nullptr),
      map_(cfg_, mem_, code_, msys_.get(), cpus_),
      sampler_(cpus_, msys_.get()) {
  load_image();
  place_initrd(initrd);
  make_devices();
  write_bootinfo(boot_args);
  start_cpus();
  SC_HAS_PROCESS(Machine);
  SC_THREAD(mailbox_thread);
  set_stack_size(kThreadStackBytes);
}

Machine::~Machine() = default;

// RAM from address 0; the image's segments at their physical addresses,
// clear of the boot stacks and the boot-information block at the top.
void check_image_fits(const MachineConfig& cfg, const ElfImage& image) {
  const uint64_t ram = cfg.memory_bytes;
  const uint64_t reserved_low = ram - bootinfo::kSize - uint64_t(cfg.cpus) * bootinfo::kStackPerCpu;
  for (const auto& s : image.segments()) {
    if (s.paddr >= ram || s.memsz > ram - s.paddr)
      throw BadElf(fmt::format("{}: segment at {:#x} ({:#x} bytes) is outside RAM ({} MiB: up to {:#x})", image.path(), s.paddr,
                               s.memsz, ram >> 20, ram));
    if (s.paddr + s.memsz > reserved_low)
      throw BadElf(fmt::format("{}: segment at {:#x} ({:#x} bytes) overlaps the boot stacks and boot-information block at {:#x} "
                               "(memory is {} MiB)",
                               image.path(), s.paddr, s.memsz, reserved_low, ram >> 20));
  }
}

void Machine::load_image() {
  mem_.add_region("ram", 0, cfg_.memory_bytes);
  check_image_fits(cfg_, image_);
  image_.place(mem_, true);
}

// The initial image below the boot stacks, above every segment of the kernel.
void Machine::place_initrd(const std::vector<uint8_t>& initrd) {
  if (initrd.empty()) return;
  const uint64_t reserved_low = cfg_.memory_bytes - bootinfo::kSize - uint64_t(cfg_.cpus) * bootinfo::kStackPerCpu;
  uint64_t image_end = 0;
  for (const auto& s : image_.segments()) image_end = std::max(image_end, s.paddr + s.memsz);
  const uint64_t size = initrd.size();
  if (size >= reserved_low || ((reserved_low - size) & ~uint64_t(0xffff)) < image_end + (uint64_t(1) << 20))
    throw std::runtime_error(fmt::format("the initial image ({} bytes) does not fit in {} MiB of RAM beside the kernel", size,
                                         cfg_.memory_bytes >> 20));
  initrd_addr_ = (reserved_low - size) & ~uint64_t(0xffff);
  initrd_size_ = size;
  mem_.write(initrd_addr_, initrd.data(), size);
}

// The devices and where they sit in the address map (devices/device.h).
void Machine::make_devices() {
  uart_ = std::make_unique<Uart>(cfg_.console);
  intc_ = std::make_unique<InterruptController>(
      cfg_.cpus, cfg_.ipi_latency_cycles, [this](unsigned cpu, uint64_t at) { cpus_[cpu]->interrupt_raised(at); });
  simctl_ = std::make_unique<SimControl>(
      cfg_.cpus, mem_, log_,
      SimControl::Hooks{[this](int code, unsigned cpu) { power_off(code, cpu); },
                        [this](const std::string& n, uint64_t base, uint64_t size) { add_range(n, base, size); },
                        [this](unsigned cpu, const std::string& n, bool passed, const std::string& msg) {
                          record_test(cpu, n, passed, msg);
                        },
                        [this](unsigned cpu, const std::string& msg, uint64_t frame) { guest_panic(cpu, msg, frame); },
                        [this](unsigned, uint64_t cycles, uint32_t id) { sampler_.event(cycles, id); }});
  mailbox_ = std::make_unique<ModuleMailbox>(map_);
  map_.add_device(addr::kUart, addr::kDeviceSize, *uart_);
  map_.add_device(addr::kIntc, addr::kDeviceSize, *intc_);
  map_.add_device(addr::kSimControl, addr::kDeviceSize, *simctl_);
  map_.add_device(addr::kMailbox, addr::kDeviceSize, *mailbox_);
}

void Machine::write_bootinfo(const std::vector<uint8_t>& args) {
  using namespace bootinfo;
  uint64_t at = bootinfo_addr();
  if (args.size() > kSize - kArgs)
    throw std::runtime_error(fmt::format("boot arguments are {} bytes; at most {} fit", args.size(), kSize - kArgs));
  auto put = [&](uint64_t off, uint64_t v) {
    uint8_t b[8];
    ppc::to_be<uint64_t>(b, v);
    mem_.write(at + off, b, 8);
  };
  put(kMagicOff, kMagic);
  put(kVersion, 1);
  put(kMemoryBytes, cfg_.memory_bytes);
  put(kCpus, cfg_.cpus);
  put(kClockHz, cfg_.clock_hz);
  put(kTimebaseDivider, cfg_.timebase_divider);
  put(kUartAddr, addr::kUart);
  put(kIntcAddr, addr::kIntc);
  put(kSimControlAddr, addr::kSimControl);
  put(kMailboxAddr, addr::kMailbox);
  put(kStackTop, at);
  put(kStackSize, kStackPerCpu);
  put(kArgsAddr, at + kArgs);
  put(kArgsSize, args.size());
  put(kLineSize, cfg_.hierarchy.line_size);
  put(kInitrdAddr, initrd_addr_);
  put(kInitrdSize, initrd_size_);
  if (!args.empty()) mem_.write(at + kArgs, args.data(), args.size());
}

// The CPU modules, each in the boot state of the boot protocol (machine.h).
void Machine::start_cpus() {
  uint64_t entry = 0, toc = 0;
  if (!image_.read64(image_.entry_descriptor(), entry) || !image_.read64(image_.entry_descriptor() + 8, toc))
    throw BadElf(image_.path() + ": entry point is not a function descriptor inside the image (ELFv1)");
  for (unsigned n = 0; n < cfg_.cpus; ++n) {
    cpus_.push_back(std::make_unique<CpuModule>(fmt::format("cpu{}", n).c_str(), n, cfg_, *this, code_));
    ppc::Cpu& c = cpus_.back()->cpu;
    c.mem.attach(&map_, n, map_.block_shift(), &c.cycles);
    c.mem.mmu().configure(mmu::Params{cfg_.slb_entries, cfg_.tlb_entries, cfg_.tlb_ways});
    if (cfg_.mmu_events) trace_mmu(n);
    for (size_t k = 0; k < c.latency.size(); ++k) c.latency[k] = cfg_.latency[k];
    if (msys_) {
      msys_->set_listener(int(n), &map_);
      c.set_fetch_timing(map_.block_shift());  // a cache line
    }
    c.pc = entry;
    c.gpr[1] = bootinfo_addr() - uint64_t(n) * bootinfo::kStackPerCpu - 128;
    c.gpr[2] = toc;
    c.gpr[3] = n;
    c.gpr[4] = cfg_.cpus;
    c.gpr[5] = bootinfo_addr();
    c.msr = ppc::msr::SF | ppc::msr::ME | ppc::msr::RI;
    c.msr_written();
  }
}

namespace {
namespace event_id {
#define EVENT(NAME, ID, ...) constexpr uint32_t NAME = ID;
#include "dusim/events.def"
}  // namespace event_id
}  // namespace

// mmu.trace_events: the MMU's walks and the interconnect's tlbies in the
// event log, at the CPU's local time (a tlbie's arrival at the issuer's).
void Machine::trace_mmu(unsigned n) {
  ppc::Cpu& c = cpus_[n]->cpu;
  c.mem.mmu().on_walk = [this, &c, n](uint64_t ea, bool found, uint64_t cycles, unsigned reads, unsigned restarts) {
    log_.record(n, c.cycles, event_id::TLB_MISS, {ea, found ? 1u : 0u, cycles, reads, restarts, 0});
  };
  if (n != 0) return;
  map_.set_tlbie_observer([this](unsigned issuer, unsigned cpu, uint64_t rb, unsigned dropped) {
    const uint64_t at = cpus_[issuer]->cpu.cycles;
    if (cpu == issuer) log_.record(issuer, at, event_id::TLBIE_ISSUED, {rb, 0, 0, 0, 0, 0});
    log_.record(cpu, at, event_id::TLBIE_RECEIVED, {issuer, rb, dropped, 0, 0, 0});
  });
}

// RANGE_NAME from sim-control: statistics per range, as data and as code.
void Machine::add_range(const std::string& name, uint64_t base, uint64_t size) {
  for (auto& m : cpus_) m->cpu.add_pc_range(base, size);
  pc_range_names_.push_back(name);
  if (!msys_) return;
  try {
    msys_->add_range(name, base, size);
  } catch (const std::invalid_argument& e) {  // full, or empty
    std::fprintf(stderr, "dusim: warning: address range %s not registered: %s\n", name.c_str(), e.what());
  }
}

void Machine::record_test(unsigned cpu, const std::string& name, bool passed, const std::string& message) {
  tests_.push_back({name, passed, message, cpu});
  std::fprintf(stderr, "[guest-test] %s %s%s%s\n", passed ? "PASS" : "FAIL", name.c_str(), message.empty() ? "" : ": ",
               message.c_str());
}

void Machine::schedule_blob(uint64_t at_cycles, std::vector<uint8_t> blob, unsigned cpu) {
  scheduled_.push_back({at_cycles, std::move(blob), cpu});
  std::stable_sort(scheduled_.begin(), scheduled_.end(),
                   [](const Scheduled& a, const Scheduled& b) { return a.at_cycles < b.at_cycles; });
}

void Machine::mailbox_thread() {
  for (Scheduled& s : scheduled_) {
    sc_core::sc_time at = time_of(s.at_cycles);
    if (at > sc_core::sc_time_stamp()) sc_core::wait(at - sc_core::sc_time_stamp());
    mailbox_->deliver(std::move(s.blob));
    intc_->raise(s.cpu, InterruptController::kMailbox, s.at_cycles);
    sampler_.delivery(s.at_cycles);
  }
}

void Machine::interpose_memory(unsigned cpu, ppc::MemTarget* target) {
  ppc::Cpu& c = cpus_[cpu]->cpu;
  c.mem.attach(target ? target : &map_, cpu, map_.block_shift(), &c.cycles);
}

// The one way simulated time moves: SystemC runs on by `by` unless the
// machine has halted.
void Machine::advance(sc_core::sc_time by) {
  if (!quantum_set_) tlm_utils::tlm_quantumkeeper::set_global_quantum(time_of(cfg_.quantum_cycles));
  quantum_set_ = true;
  if (!halted_) sc_core::sc_start(by);
  asan_back_on_main_stack();  // a sanitized build: SystemC left ASan the wrong main-stack bounds (asan_stack.h)
}

void Machine::run_for(uint64_t cycles) { advance(time_of(cycles)); }

Machine::Result Machine::run(uint64_t max_cycles, const std::function<void(uint64_t)>& progress, uint64_t progress_every) {
  // With progress, in steps ending at whole multiples of progress_every from
  // the start; the simulation is the same either way.
  const uint64_t step = progress && progress_every ? progress_every : max_cycles;
  uint64_t at = 0;
  do {
    at = std::min(max_cycles, at + step);
    advance(time_of(at) - sc_core::sc_time_stamp());
    if (progress && progress_every) progress(at);
  } while (at < max_cycles && !halted_);
  return result();
}

Machine::Result Machine::result() {
  map_.flush_fast_hit_counts();
  uint64_t end = 0;
  for (auto& c : cpus_) end = std::max(end, c->cpu.cycles);
  Result r = result_ ? *result_ : Result{Outcome::LimitReached, 0, "", 0};
  r.end_cycles = end;
  return r;
}

void Machine::power_off(int exit_code, unsigned cpu) {
  if (halted_) return;
  halted_ = true;
  result_ = Result{Outcome::PoweredOff, exit_code, "", 0, cpu};
  cpus_[cpu]->cpu.stop();
  sc_core::sc_stop();
}

void Machine::interrupt() {
  if (halted_) return;
  halted_ = true;
  result_ = Result{Outcome::Interrupted, 0, "", 0};
  sc_core::sc_stop();
}

uint64_t Machine::interrupt_horizon(unsigned cpu) {
  if (cfg_.sync_policy != SyncPolicy::Ordered) return ~uint64_t(0);
  const uint64_t least = map_.others_min(cpu);
  return least > ~uint64_t(0) - cfg_.ipi_latency_cycles ? ~uint64_t(0) : least + cfg_.ipi_latency_cycles;
}

bool Machine::vectors_installed() const {
  const uint8_t* p = mem_.host(ppc::vec::kProgram, 4);
  return p && (p[0] | p[1] | p[2] | p[3]);
}

}  // namespace dusim
