#include "platform/machine.h"

#include <fmt/format.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cpu_ppc64/fault_report.h"
#include "platform/event_catalog.h"

namespace dusim {

using ppc::Access;
using ppc::AccessResult;

namespace {
constexpr uint64_t kPage = 4096;
unsigned log2u(uint64_t v) { return unsigned(63 - __builtin_clzll(v)); }
}  // namespace

sc_core::sc_time Machine::time_of(uint64_t cycles) const {
  return sc_core::sc_time::from_value(cfg_.cycles_to_ps(cycles));
}

Machine::Machine(sc_core::sc_module_name name, const MachineConfig& cfg, const ElfImage& image,
                 const std::vector<uint8_t>& boot_args)
    : sc_module(name), cfg_(cfg), image_(image), code_([this](uint64_t page) { code_page_created(page); }) {
  mem_.add_region("ram", 0, cfg_.memory_bytes);
  uint64_t reserved_low = bootinfo_addr() - uint64_t(cfg_.cpus) * bootinfo::kStackPerCpu;
  for (const auto& s : image_.segments()) {
    if (s.paddr + s.memsz > reserved_low)
      throw BadElf(fmt::format("{}: segment at {:#x} overlaps the boot stacks and boot-information block at {:#x} (memory is {} MiB)",
                               image_.path(), s.paddr, reserved_low, cfg_.memory_bytes >> 20));
  }
  image_.place(mem_, true);
  block_shift_ = cfg_.caches ? log2u(cfg_.hierarchy.line_size) : log2u(kPage);
  if (cfg_.caches) msys_ = std::make_unique<coherence::MemorySystem>(cfg_.hierarchy);

  uart_ = std::make_unique<Uart>(cfg_.console);
  intc_ = std::make_unique<InterruptController>(cfg_.cpus);
  simctl_ = std::make_unique<SimControl>(
      cfg_.cpus, mem_, log_,
      SimControl::Hooks{[this](int code, unsigned cpu) { power_off(code, cpu); },
                        [this](const std::string& n, uint64_t base, uint64_t size) {
                          for (auto& m : cpus_) m->cpu.add_pc_range(base, size);
                          pc_range_names_.push_back(n);
                          if (!msys_) return;
                          try {
                            msys_->add_range(n, base, size);
                          } catch (const std::invalid_argument& e) {  // full, or empty
                            std::fprintf(stderr, "dusim: warning: address range %s not registered: %s\n", n.c_str(), e.what());
                          }
                        },
                        [this](unsigned cpu, const std::string& n, bool passed, const std::string& msg) {
                          tests_.push_back({n, passed, msg, cpu});
                          std::fprintf(stderr, "[guest-test] %s %s%s%s\n", passed ? "PASS" : "FAIL", n.c_str(),
                                       msg.empty() ? "" : ": ", msg.c_str());
                        },
                        [this](unsigned cpu, const std::string& msg, uint64_t frame) { guest_panic(cpu, msg, frame); },
                        [this](unsigned, uint64_t cycles, uint32_t id) {
                          if (sample_period_ && std::find(sample_events_.begin(), sample_events_.end(), id) != sample_events_.end())
                            sample_traffic_at(cycles);
                        }});
  mailbox_ = std::make_unique<ModuleMailbox>(*this);

  uint64_t entry = 0, toc = 0;
  if (!image_.read64(image_.entry_descriptor(), entry) || !image_.read64(image_.entry_descriptor() + 8, toc))
    throw BadElf(image_.path() + ": entry point is not a function descriptor inside the image (ELFv1)");
  write_bootinfo(boot_args);
  for (unsigned n = 0; n < cfg_.cpus; ++n) {
    cpus_.push_back(std::make_unique<CpuModule>(fmt::format("cpu{}", n).c_str(), n, *this, code_));
    ppc::Cpu& c = cpus_.back()->cpu;
    c.mem.attach(this, n, block_shift_, &c.cycles);
    for (size_t k = 0; k < c.latency.size(); ++k) c.latency[k] = cfg_.latency[k];
    if (msys_) {
      msys_->set_listener(int(n), this);
      c.set_fetch_timing(log2u(cfg_.hierarchy.line_size));
    }
    c.pc = entry;
    c.gpr[1] = bootinfo_addr() - uint64_t(n) * bootinfo::kStackPerCpu - 128;
    c.gpr[2] = toc;
    c.gpr[3] = n;
    c.gpr[4] = cfg_.cpus;
    c.gpr[5] = bootinfo_addr();
    c.msr = ppc::msr::SF | ppc::msr::ME | ppc::msr::RI;
  }
  SC_HAS_PROCESS(Machine);
  SC_THREAD(mailbox_thread);
  set_stack_size(kThreadStackBytes);
}

Machine::CpuTraffic Machine::traffic(unsigned cpu) const {
  CpuTraffic t;
  t.instructions = cpus_[cpu]->cpu.icount;
  if (!msys_) return t;
  const coherence::CacheCounters& d = msys_->l1d_stats(int(cpu));
  const coherence::CacheCounters& i = msys_->l1i_stats(int(cpu));
  t.misses = d.misses() + i.misses();
  t.invalidations = d.invalidations_received + i.invalidations_received;
  t.c2c = d.c2c_received + i.c2c_received;
  t.bus_transactions = d.misses() + d.upgrades + d.writebacks + i.misses();
  return t;
}

void Machine::sample_traffic_at(uint64_t cycles, bool periodic) {
  TrafficSample s{cycles, {}, periodic};
  for (unsigned n = 0; n < cpus_.size(); ++n) s.cpus.push_back(traffic(n));
  auto at = std::upper_bound(samples_.begin(), samples_.end(), cycles,
                             [](uint64_t c, const TrafficSample& x) { return c < x.cycles; });
  samples_.insert(at, std::move(s));
}

void Machine::take_periodic_samples(uint64_t now_cycles) {
  for (; next_sample_ <= now_cycles; next_sample_ += sample_period_) sample_traffic_at(next_sample_, true);
}

Machine::~Machine() = default;

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
  if (!args.empty()) mem_.write(at + kArgs, args.data(), args.size());
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
    intc_->raise(s.cpu, InterruptController::kMailbox);
    if (sample_period_) sample_traffic_at(s.at_cycles);
  }
}

void Machine::interpose_memory(unsigned cpu, ppc::MemTarget* target) {
  ppc::Cpu& c = cpus_[cpu]->cpu;
  c.mem.attach(target ? target : this, cpu, block_shift_, &c.cycles);
}

void Machine::run_for(uint64_t cycles) {
  if (!quantum_set_) tlm_utils::tlm_quantumkeeper::set_global_quantum(time_of(cfg_.quantum_cycles));
  quantum_set_ = true;
  if (!halted_) sc_core::sc_start(time_of(cycles));
}

Machine::Result Machine::result() {
  flush_fast_hit_counts();
  uint64_t end = 0;
  for (auto& c : cpus_) end = std::max(end, c->cpu.cycles);
  Result r = result_ ? *result_ : Result{Outcome::LimitReached, 0, "", 0};
  r.end_cycles = end;
  return r;
}

Machine::Result Machine::run(uint64_t max_cycles, const std::function<void(uint64_t)>& progress, uint64_t progress_every) {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(time_of(cfg_.quantum_cycles));
  if (!progress || !progress_every) {
    sc_core::sc_start(time_of(max_cycles));
  } else {
    // In steps, so the caller can report progress; the simulation is the same.
    for (uint64_t at = 0; at < max_cycles && !halted_;) {
      uint64_t next = std::min(max_cycles, at + progress_every);
      sc_core::sc_start(time_of(next) - sc_core::sc_time_stamp());
      at = next;
      progress(at);
    }
  }
  flush_fast_hit_counts();
  uint64_t end = 0;
  for (auto& c : cpus_) end = std::max(end, c->cpu.cycles);
  if (!result_) result_ = Result{Outcome::LimitReached, 0, "", 0};
  result_->end_cycles = end;
  return *result_;
}

void Machine::power_off(int exit_code, unsigned cpu) {
  if (halted_) return;
  halted_ = true;
  result_ = Result{Outcome::PoweredOff, exit_code, "", 0, cpu};
  cpus_[cpu]->cpu.stop();
  sc_core::sc_stop();
}

bool Machine::read_guest(uint64_t a, unsigned size, uint64_t& value) const {
  const uint8_t* p = mem_.host(a, size);
  if (!p) return false;
  value = size == 4 ? ppc::from_be<uint32_t>(p) : ppc::from_be<uint64_t>(p);
  return true;
}

void Machine::finish_with_fault(unsigned cpu, std::string report) {
  auto last = log_.last_of_cpu(cpu, 16);
  if (!last.empty()) {
    report += fmt::format("  last events of cpu {}:\n", cpu);
    for (const Event& e : last) {
      const report::EventInfo* info = report::event_by_id(e.id);
      report += fmt::format("    {:>12} ns  {}", cfg_.cycles_to_ns(e.cycles), info ? info->name : fmt::format("event {:#x}", e.id));
      for (int k = 0; k < 6; ++k) {
        if (info && !info->args[k]) break;
        if (!info && k >= 3) break;
        report += fmt::format(" {}={:#x}", info ? info->args[k] : "arg", e.args[k]);
      }
      report += "\n";
    }
  }
  result_ = Result{Outcome::Faulted, 0, std::move(report), 0, cpu};
  sc_core::sc_stop();
}

void Machine::guest_fault(unsigned cpu, const std::string& reason) {
  if (halted_) return;
  halted_ = true;
  ppc::MemoryReader read = [this](uint64_t a, unsigned size, uint64_t& v) { return read_guest(a, size, v); };
  finish_with_fault(cpu, ppc::fault_report(ppc::registers_of(cpus_[cpu]->cpu), reason, &image_.symbols(), read));
}

void Machine::guest_panic(unsigned cpu, const std::string& message, uint64_t frame) {
  if (halted_) return;
  halted_ = true;
  cpus_[cpu]->cpu.stop();
  ppc::MemoryReader read = [this](uint64_t a, unsigned size, uint64_t& v) { return read_guest(a, size, v); };
  ppc::Registers r = ppc::registers_of(cpus_[cpu]->cpu);
  std::string reason = "guest panic: " + message;
  if (frame) {
    uint64_t v = 0;
    auto at = [&](uint64_t off) { return read_guest(frame + off, 8, v) ? v : 0; };
    for (unsigned k = 0; k < 32; ++k) r.gpr[k] = at(8 * k);
    r.pc = at(0x100);
    r.msr = at(0x108);
    r.lr = at(0x110);
    r.ctr = at(0x118);
    r.cr = uint32_t(at(0x120));
    r.xer = at(0x128);
    r.srr0 = r.pc;
    r.srr1 = r.msr;
    reason += fmt::format(" (registers from the frame at {:#x}: vector {:#x}, dar {:#x}, dsisr {:#x})", frame,
                          at(0x140), at(0x130), at(0x138));
  }
  finish_with_fault(cpu, ppc::fault_report(r, reason, &image_.symbols(), read));
}

bool Machine::vectors_installed() const {
  const uint8_t* p = mem_.host(ppc::vec::kProgram, 4);
  return p && (p[0] | p[1] | p[2] | p[3]);
}

// ---- memory target -------------------------------------------------------

AccessResult Machine::access(unsigned cpu, uint64_t a, unsigned size, Access kind, uint8_t* data) {
  if (a >= addr::kDeviceBase && a < addr::kDeviceBase + addr::kDeviceCount * addr::kDeviceStride)
    return device_access(cpu, a, size, kind, data);
  return ram_access(cpu, a, size, kind, data);
}

AccessResult Machine::device_access(unsigned cpu, uint64_t a, unsigned size, Access kind, uint8_t* data) {
  AccessResult r;
  Device* devs[addr::kDeviceCount] = {uart_.get(), intc_.get(), simctl_.get(), mailbox_.get()};
  Device* dev = devs[(a - addr::kDeviceBase) / addr::kDeviceStride];
  uint64_t offset = (a - addr::kDeviceBase) % addr::kDeviceStride;
  DeviceAccess da{cpu, cpus_[cpu]->cpu.cycles};
  if (kind == Access::Read && size) {
    uint8_t b[8];
    ppc::to_be<uint64_t>(b, dev->read(da, offset & ~uint64_t(7)));
    std::memcpy(data, b + 8 - size, size);
    r.ok = true;
  } else if (kind == Access::Write && size) {
    uint64_t v = 0;
    for (unsigned k = 0; k < size; ++k) v = (v << 8) | data[k];
    dev->write(da, offset & ~uint64_t(7), v);
    r.ok = true;
  } else {
    r.ok = kind != Access::Fetch;  // cache operations on device space are no-ops
  }
  return r;
}

void Machine::charge(unsigned cpu, uint64_t a, const coherence::AccessOutcome& o, unsigned already, AccessResult& r) {
  uint32_t stall = o.latency > already ? o.latency - already : 0;
  r.stall = stall;
  CpuModule& m = *cpus_[cpu];
  m.cpu.stall_cycles += stall;
  uint32_t wait = std::min(stall, o.bus_wait);
  m.stall_by_cause[unsigned(coherence::StallCause::BusWait)] += wait;
  m.stall_by_cause[unsigned(o.cause)] += stall - wait;
  if (stall && !msys_->ranges().all().empty()) {
    for (uint64_t mask = msys_->ranges().match(msys_->line_of(a), cfg_.hierarchy.line_size); mask; mask &= mask - 1)
      m.stall_by_range[unsigned(__builtin_ctzll(mask))] += stall;
  }
}

AccessResult Machine::ram_access(unsigned cpu, uint64_t a, unsigned size, Access kind, uint8_t* data) {
  AccessResult r;
  uint8_t* host = mem_.host(a, size ? size : 1);
  if (!host) {
    r.ok = kind == Access::BlockTouch || kind == Access::Barrier;
    return r;
  }
  r.ok = true;
  ppc::Cpu& c = cpus_[cpu]->cpu;
  const uint64_t block = uint64_t(1) << block_shift_;
  const uint64_t line = cfg_.hierarchy.line_size;
  const bool in_block = (a & (block - 1)) + size <= block;
  uint8_t* block_host = mem_.host(a & ~(block - 1), block);
  auto lat = [&](ppc::InsnClass k) { return unsigned(cfg_.latency[size_t(k)]); };
  uint64_t now = c.cycles;

  switch (kind) {
    case Access::Read:
      if (msys_) {
        coherence::AccessOutcome o = msys_->read(int(cpu), a, now);
        charge(cpu, a, o, lat(ppc::InsnClass::Load), r);
        bool crosses = (a & (line - 1)) + size > line;
        if (crosses) msys_->read(int(cpu), a + size - 1, now);
        if (in_block && !crosses && o.may_read_fast) r.grant = block_host;
      } else if (in_block) {
        r.grant = block_host;
      }
      std::memcpy(data, host, size);
      return r;
    case Access::Fetch:
      if (size == 0) {  // instruction-fetch timing for a new line
        if (msys_) charge(cpu, a, msys_->fetch(int(cpu), a, now), cfg_.hierarchy.l1i.hit_latency, r);
        return r;
      }
      std::memcpy(data, host, size);
      return r;
    case Access::Write: {
      bool grant_ok = in_block;
      if (msys_) {
        coherence::AccessOutcome o = msys_->write(int(cpu), a, now);
        charge(cpu, a, o, lat(ppc::InsnClass::Store), r);
        bool crosses = (a & (line - 1)) + size > line;
        if (crosses) msys_->write(int(cpu), a + size - 1, now);
        grant_ok = grant_ok && !crosses && o.may_write_fast;
      } else {
        clear_reservations(cpu, a, size);
        for (auto& m : cpus_)
          if (m->cpu.id != cpu && m->cpu.resv_valid && (m->cpu.resv_addr >> block_shift_) == (a >> block_shift_))
            grant_ok = false;
      }
      if (code_.holds_code(a) || code_.holds_code(a + size - 1)) {
        code_.invalidate(a, size);
        grant_ok = false;
      }
      std::memcpy(host, data, size);
      if (grant_ok) r.grant = block_host;
      return r;
    }
    case Access::Reserve:
      if (!msys_) {  // make other CPUs' stores to this block come through here
        for (auto& m : cpus_)
          if (m->cpu.id != cpu) m->cpu.mem.revoke(a, true);
      }
      return r;
    case Access::BlockZero: {
      uint64_t l = a & ~(line - 1);
      uint8_t* p = mem_.host(l, line);
      if (!p) return AccessResult{};
      if (msys_) charge(cpu, l, msys_->dcbz(int(cpu), l, now), lat(ppc::InsnClass::Store), r);
      else clear_reservations(cpu, l, unsigned(line));
      code_.invalidate(l, line);
      std::memset(p, 0, line);
      return r;
    }
    case Access::BlockFlush:
    case Access::BlockInvalidate:
      if (msys_) charge(cpu, a, msys_->dcbf(int(cpu), a, now), lat(ppc::InsnClass::Sync), r);
      return r;
    case Access::BlockClean:
      if (msys_) charge(cpu, a, msys_->dcbst(int(cpu), a, now), lat(ppc::InsnClass::Sync), r);
      return r;
    case Access::ICacheInvalidate:
      if (msys_) charge(cpu, a, msys_->icbi(int(cpu), a, now), lat(ppc::InsnClass::Sync), r);
      code_.invalidate(a & ~(line - 1), line);
      return r;
    case Access::Barrier:
      if (msys_) charge(cpu, ~uint64_t(0), msys_->sync(int(cpu), now), lat(ppc::InsnClass::Sync), r);
      return r;
    case Access::BlockTouch:
      return r;
  }
  return r;
}

void Machine::clear_reservations(unsigned writer, uint64_t a, unsigned size) {
  const uint64_t g = cfg_.hierarchy.line_size;
  for (auto& m : cpus_) {
    ppc::Cpu& c = m->cpu;
    if (c.id == writer || !c.resv_valid) continue;
    uint64_t rg = c.resv_addr & ~(g - 1);
    if (rg + g > a && a + std::max(size, 1u) > rg) c.resv_valid = false;
  }
}

void Machine::revoke(int cpu, uint64_t line_addr, bool keep_read) {
  ppc::Cpu& c = cpus_[unsigned(cpu)]->cpu;
  c.mem.revoke(line_addr, keep_read);
  if (!keep_read && c.resv_valid && (c.resv_addr & ~uint64_t(cfg_.hierarchy.line_size - 1)) == line_addr)
    c.resv_valid = false;
}

void Machine::code_page_created(uint64_t page) {
  const uint64_t block = uint64_t(1) << block_shift_;
  for (auto& m : cpus_)
    for (uint64_t b = page; b < page + kPage; b += block) m->cpu.mem.revoke(b, true);
}

bool Machine::host_write(uint64_t a, const uint8_t* data, uint64_t len) {
  if (!mem_.write(a, data, len)) return false;
  code_.invalidate(a, len);
  for (auto& m : cpus_) m->cpu.resv_valid = false;
  return true;
}

void Machine::flush_fast_hit_counts() {
  if (!msys_) return;
  for (auto& m : cpus_) {
    ppc::MemPort& p = m->cpu.mem;
    msys_->count_fast_hits(int(m->cpu.id), p.fast_reads, p.fast_writes, 0);
    p.fast_reads = p.fast_writes = 0;
  }
}

// ---- statistics ------------------------------------------------------------

namespace {
const char* const kCauseNames[kStallCauses] = {"l1_hit", "l2_hit", "memory", "cache_to_cache",
                                               "upgrade", "cache_op", "sync", "bus_wait"};
}

nlohmann::json Machine::stats_json() const {
  nlohmann::json j;
  j["descriptions"] = {
      {"instructions", "instructions completed"},
      {"cycles", "the CPU's local time in core cycles at the end of the run"},
      {"stall_cycles", "cycles spent waiting for memory beyond each instruction's class latency"},
      {"stall_by_cause", "stall cycles by where the access was served (bus_wait: waiting for the bus)"},
      {"interrupts", "interrupts delivered to the CPU (external, decrementer, system call, program)"},
      {"ipis_received", "inter-processor interrupts raised at this CPU"},
      {"ranges", "address ranges the guest registered; stall_cycles: per CPU, stalls on accesses to the range"},
      {"pc_ranges", "the same ranges as code: per CPU, instructions executed and cycles spent with the PC inside"},
  };
  j["machine"] = {{"cpus", cfg_.cpus}, {"clock_hz", cfg_.clock_hz}, {"quantum_cycles", cfg_.quantum_cycles},
                  {"caches", cfg_.caches}, {"protocol", std::string(coherence::to_string(cfg_.hierarchy.protocol))}};
  nlohmann::json cpus = nlohmann::json::array();
  for (const auto& m : cpus_) {
    nlohmann::json causes;
    for (unsigned k = 0; k < kStallCauses; ++k) causes[kCauseNames[k]] = m->stall_by_cause[k];
    cpus.push_back({{"cpu", m->cpu.id},
                    {"instructions", m->cpu.icount},
                    {"cycles", m->cpu.cycles},
                    {"stall_cycles", m->cpu.stall_cycles},
                    {"stall_by_cause", causes},
                    {"interrupts", m->interrupts_taken},
                    {"ipis_received", intc_->ipis_received(m->cpu.id)}});
  }
  j["cpus"] = cpus;
  // Instructions and cycles per CPU with the PC in each registered range.
  nlohmann::json code = nlohmann::json::array();
  for (size_t k = 0; k < pc_range_names_.size() && !cpus_.empty(); ++k) {
    const ppc::Cpu::PcRanges& first = cpus_[0]->cpu.pc_ranges();
    if (k >= first.count) break;
    nlohmann::json insns = nlohmann::json::array(), cyc = nlohmann::json::array();
    for (const auto& m : cpus_) {
      insns.push_back(m->cpu.pc_ranges().instructions[k]);
      cyc.push_back(m->cpu.pc_ranges().cycles[k]);
    }
    code.push_back({{"name", pc_range_names_[k]}, {"base", first.base[k]}, {"size", first.size[k]},
                    {"instructions", insns}, {"cycles", cyc}});
  }
  j["pc_ranges"] = code;
  if (msys_) {
    j["memory"] = msys_->stats_json();
    nlohmann::json ranges = nlohmann::json::array();
    const auto& all = msys_->ranges().all();
    for (size_t k = 0; k < all.size(); ++k) {
      nlohmann::json per_cpu = nlohmann::json::array();
      for (const auto& m : cpus_) per_cpu.push_back(m->stall_by_range[k]);
      ranges.push_back({{"name", all[k].name}, {"base", all[k].base}, {"size", all[k].size}, {"stall_cycles", per_cpu}});
    }
    j["ranges"] = ranges;
  }
  return j;
}

std::string Machine::stats_table() const {
  std::string s = fmt::format("{:>4} {:>14} {:>14} {:>12} {:>7}  {}\n", "cpu", "instructions", "cycles", "stalls",
                              "IPC", "stall cycles by cause");
  for (const auto& m : cpus_) {
    const ppc::Cpu& c = m->cpu;
    std::string causes;
    for (unsigned k = 0; k < kStallCauses; ++k)
      if (m->stall_by_cause[k]) causes += fmt::format("{}={} ", kCauseNames[k], m->stall_by_cause[k]);
    s += fmt::format("{:>4} {:>14} {:>14} {:>12} {:>7.3f}  {}\n", c.id, c.icount, c.cycles, c.stall_cycles,
                     c.cycles ? double(c.icount) / double(c.cycles) : 0.0, causes);
  }
  if (msys_) {
    std::ostringstream os;
    msys_->print_stats(os);
    s += os.str();
  }
  return s;
}

}  // namespace dusim
