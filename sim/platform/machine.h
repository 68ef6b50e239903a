// The machine, assembled in one place: functional memory, the predecoded
// code cache, the coherent memory hierarchy, the devices and N CPU modules,
// wired through the memory map (memory_map.h). Its other jobs live beside it:
// fault and panic reports (machine_faults.cc), the traffic sampler
// (traffic_sampler.h) and the statistics (machine_stats.cc).
//
// Boot protocol (sim/platform/README.md): the image's segments are loaded
// at their physical addresses; every CPU starts in 64-bit real mode
// (MSR = SF|ME|RI) at the entry descriptor's code address with r2 = its TOC,
// r1 = the top of its boot stack, r3 = its CPU number, r4 = the number of
// CPUs and r5 = the address of the boot-information block.
#pragma once

#include <systemc>

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cache_coherence/memory_system.h"
#include "cpu_ppc64/code_cache.h"
#include "cpu_ppc64/mem_port.h"
#include "devices/intc.h"
#include "devices/mailbox.h"
#include "devices/sim_control.h"
#include "devices/uart.h"
#include "loader/elf_image.h"
#include "memory/phys_memory.h"
#include "platform/cpu_module.h"
#include "platform/event_log.h"
#include "platform/machine_config.h"
#include "platform/memory_map.h"
#include "platform/traffic_sampler.h"

namespace dusim {

// Boot-information block: big-endian doublewords at these offsets.
namespace bootinfo {
constexpr uint64_t kMagic = 0x4455'5349'4d42'4931ull;  // "DUSIMBI1"
constexpr uint64_t kSize = 0x10000;                      // block + argument area, at the top of RAM
constexpr uint64_t kStackPerCpu = 0x10000;               // boot stacks sit below the block
enum Offset : uint64_t {
  kMagicOff = 0x00, kVersion = 0x08, kMemoryBytes = 0x10, kCpus = 0x18, kClockHz = 0x20, kTimebaseDivider = 0x28,
  kUartAddr = 0x30, kIntcAddr = 0x38, kSimControlAddr = 0x40, kMailboxAddr = 0x48, kStackTop = 0x50,
  kStackSize = 0x58, kArgsAddr = 0x60, kArgsSize = 0x68, kLineSize = 0x70, kInitrdAddr = 0x78, kInitrdSize = 0x80,
  kArgs = 0x100,
};
}  // namespace bootinfo

// Throws BadElf unless every segment of `image` lies in RAM, below the boot
// stacks and the boot-information block at its top (what the Machine
// checks when it loads the image; `validate` checks it without a machine).
void check_image_fits(const MachineConfig& cfg, const ElfImage& image);

class Machine final : public sc_core::sc_module, public CpuHost {
 public:
  // Builds the machine and loads the image; throws BadElf or std::runtime_error.
  // `initrd`: the initial image (loader/initrd.h), placed 64 KiB-aligned
  // just below the boot stacks; none when empty.
  Machine(sc_core::sc_module_name name, const MachineConfig& cfg, const ElfImage& image,
          const std::vector<uint8_t>& boot_args, const std::vector<uint8_t>& initrd = {});
  ~Machine() override;

  enum class Outcome { PoweredOff, Faulted, LimitReached, Interrupted };
  struct Result {
    Outcome outcome;
    int exit_code = 0;
    std::string fault;
    uint64_t end_cycles = 0;  // the furthest CPU's local time
    unsigned cpu = 0;         // the CPU that powered off or faulted
  };
  // Runs until power-off, a fault, or `max_cycles` of simulated time.
  // `progress`, if given, is called about every `progress_every` cycles of
  // simulated time with the time reached.
  Result run(uint64_t max_cycles, const std::function<void(uint64_t cycles)>& progress = {},
             uint64_t progress_every = 0);
  // Runs simulated time on by up to `cycles` (the first call starts the
  // simulation); returns early when the machine halts or sc_pause() is called.
  void run_for(uint64_t cycles);
  // The run's result so far (LimitReached while it has not ended).
  Result result();
  // Once `*flag` is nonzero (a signal handler sets it), the machine stops at
  // the next quantum boundary of any CPU: outcome Interrupted. Null: never.
  void stop_when(const volatile std::sig_atomic_t* flag) { stop_flag_ = flag; }

  // ---- for a debugger (sim/gdb/machine_target.h) ----
  // Installs `hook` on every CPU thread (call before the run; null: none).
  void set_debug_hook(CpuDebugHook* hook) { debug_ = hook; }
  // Routes CPU `cpu`'s memory accesses through `target` (which forwards to
  // memory_map()); null restores the memory map itself.
  void interpose_memory(unsigned cpu, ppc::MemTarget* target);
  MemoryMap& memory_map() { return map_; }

  // Host side of the module mailbox: deliver `blob` at `at_cycles`, then
  // raise the mailbox interrupt on `cpu`.
  void schedule_blob(uint64_t at_cycles, std::vector<uint8_t> blob, unsigned cpu);

  const MachineConfig& config() const { return cfg_; }
  const EventLog& events() const { return log_; }
  unsigned cpu_count() const { return unsigned(cpus_.size()); }
  CpuModule& cpu(unsigned n) { return *cpus_[n]; }
  const CpuModule& cpu(unsigned n) const { return *cpus_[n]; }
  PhysMemory& memory() { return mem_; }
  const InterruptController& intc() const { return *intc_; }
  const coherence::MemorySystem* memory_system() const { return msys_.get(); }
  const ElfImage& image() const { return image_; }
  uint64_t bootinfo_addr() const { return cfg_.memory_bytes - bootinfo::kSize; }

  // ---- coherence traffic over time (traffic_sampler.h); call before run() ----
  using CpuTraffic = TrafficSampler::CpuTraffic;
  using TrafficSample = TrafficSampler::Sample;
  CpuTraffic traffic(unsigned cpu) const { return sampler_.traffic(cpu); }
  // Every `period_cycles` of simulated time (0: never).
  void sample_traffic_every(uint64_t period_cycles) { sampler_.sample_every(period_cycles); }
  // Also when the guest records one of these events and when a blob is
  // delivered, so windows bounded by those moments are exact.
  void sample_traffic_on_events(std::vector<uint32_t> ids) { sampler_.sample_on_events(std::move(ids)); }
  const std::vector<TrafficSample>& traffic_samples() const { return sampler_.samples(); }

  // ---- statistics, each with a description (machine_stats.cc) ----
  nlohmann::json stats_json() const;
  std::string stats_table() const;

  struct GuestTest {
    std::string name;
    bool passed;
    std::string message;
    unsigned cpu;
  };
  const std::vector<GuestTest>& guest_tests() const { return tests_; }

  // CpuHost
  bool halted() const override { return halted_; }
  bool external_interrupt(unsigned cpu, uint64_t cycles) const override { return intc_->asserted(cpu, cycles); }
  uint64_t next_interrupt(unsigned cpu, uint64_t cycles) const override { return intc_->next_arrival(cpu, cycles); }
  uint64_t interrupt_arrived_at(unsigned cpu, uint64_t cycles) const override {
    return intc_->arrived_at(cpu, cycles);
  }
  uint64_t interrupt_horizon(unsigned cpu) override;
  bool vectors_installed() const override;
  void quantum_boundary(uint64_t cycles) override {
    sampler_.quantum_boundary(cycles);
    if (stop_flag_ && *stop_flag_) interrupt();
  }
  void guest_fault(unsigned cpu, const std::string& reason) override;
  CpuDebugHook* debug_hook() const override { return debug_; }
  void suspending(unsigned cpu, uint64_t cycles) override { map_.suspending(cpu, cycles); }

 private:
  sc_core::sc_time time_of(uint64_t cycles) const;  // a local cycle count as SystemC time
  void load_image();
  void make_devices();
  void write_bootinfo(const std::vector<uint8_t>& args);
  void place_initrd(const std::vector<uint8_t>& initrd);
  void start_cpus();
  void trace_mmu(unsigned cpu);  // mmu.trace_events: the MMU events of CPU `cpu` (and, for CPU 0, the tlbies) in the log
  void add_range(const std::string& name, uint64_t base, uint64_t size);
  void record_test(unsigned cpu, const std::string& name, bool passed, const std::string& message);
  void mailbox_thread();
  void advance(sc_core::sc_time by);
  void power_off(int exit_code, unsigned cpu);
  void interrupt();  // stop_when's flag was set
  // Fault and panic reports (machine_faults.cc).
  // PANIC from the guest: `frame` is a saved trap frame, or 0 for live registers.
  void guest_panic(unsigned cpu, const std::string& message, uint64_t frame);
  void finish_with_fault(unsigned cpu, std::string report);
  bool read_guest(uint64_t addr, unsigned size, uint64_t& value) const;
  nlohmann::json pc_ranges_json() const;  // machine_stats.cc

  MachineConfig cfg_;
  ElfImage image_;
  PhysMemory mem_;
  ppc::CodeCache code_;
  std::unique_ptr<coherence::MemorySystem> msys_;  // null without a cache model
  MemoryMap map_;
  TrafficSampler sampler_;
  EventLog log_;
  std::unique_ptr<Uart> uart_;
  std::unique_ptr<InterruptController> intc_;
  std::unique_ptr<SimControl> simctl_;
  std::unique_ptr<ModuleMailbox> mailbox_;
  std::vector<std::unique_ptr<CpuModule>> cpus_;  // last: destroyed first
  struct Scheduled {
    uint64_t at_cycles;
    std::vector<uint8_t> blob;
    unsigned cpu;
  };
  std::vector<Scheduled> scheduled_;
  uint64_t initrd_addr_ = 0, initrd_size_ = 0;
  std::vector<GuestTest> tests_;
  std::vector<std::string> pc_range_names_;  // ranges registered through sim-control, in order
  bool halted_ = false;
  const volatile std::sig_atomic_t* stop_flag_ = nullptr;
  std::optional<Result> result_;
  CpuDebugHook* debug_ = nullptr;
  bool quantum_set_ = false;
};

}  // namespace dusim
