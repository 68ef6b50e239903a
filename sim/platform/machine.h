// The machine, assembled in one place: functional memory, the predecoded
// code cache, the coherent memory hierarchy, the devices and N CPU modules,
// with the physical address map of devices/device.h. It is every CPU's
// memory target (RAM through the cache model, devices by address) and every
// CPU's coherence listener.
//
// Boot protocol (README.md, "The machine"): the image's segments are loaded
// at their physical addresses; every CPU starts in 64-bit real mode
// (MSR = SF|ME|RI) at the entry descriptor's code address with r2 = its TOC,
// r1 = the top of its boot stack, r3 = its CPU number, r4 = the number of
// CPUs and r5 = the address of the boot-information block.
#pragma once

#include <systemc>

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

namespace dusim {

// Boot-information block: big-endian doublewords at these offsets.
namespace bootinfo {
constexpr uint64_t kMagic = 0x4455'5349'4d42'4931ull;  // "DUSIMBI1"
constexpr uint64_t kSize = 0x10000;                      // block + argument area, at the top of RAM
constexpr uint64_t kStackPerCpu = 0x10000;               // boot stacks sit below the block
enum Offset : uint64_t {
  kMagicOff = 0x00, kVersion = 0x08, kMemoryBytes = 0x10, kCpus = 0x18, kClockHz = 0x20, kTimebaseDivider = 0x28,
  kUartAddr = 0x30, kIntcAddr = 0x38, kSimControlAddr = 0x40, kMailboxAddr = 0x48, kStackTop = 0x50,
  kStackSize = 0x58, kArgsAddr = 0x60, kArgsSize = 0x68, kLineSize = 0x70, kArgs = 0x100,
};
}  // namespace bootinfo

class Machine final : public sc_core::sc_module,
                      public ppc::MemTarget,
                      public coherence::CoherenceListener,
                      public MemoryWriter {
 public:
  // Builds the machine and loads the image; throws BadElf or std::runtime_error.
  Machine(sc_core::sc_module_name name, const MachineConfig& cfg, const ElfImage& image,
          const std::vector<uint8_t>& boot_args);
  ~Machine() override;

  enum class Outcome { PoweredOff, Faulted, LimitReached };
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

  // ---- for a debugger (sim/gdb/machine_target.h) ----
  // Installs `hook` on every CPU thread (call before the run; null: none).
  void set_debug_hook(CpuDebugHook* hook) { debug_ = hook; }
  CpuDebugHook* debug_hook() const { return debug_; }
  // Routes CPU `cpu`'s memory accesses through `target` (which forwards to
  // this machine); null restores the machine itself.
  void interpose_memory(unsigned cpu, ppc::MemTarget* target);
  // Runs simulated time on by up to `cycles` (the first call starts the
  // simulation); returns early when the machine halts or sc_pause() is called.
  void run_for(uint64_t cycles);
  // The run's result so far (LimitReached while it has not ended), as run() returns it.
  Result result();

  // Host side of the module mailbox: deliver `blob` at `at_cycles`, then
  // raise the mailbox interrupt on `cpu`.
  void schedule_blob(uint64_t at_cycles, std::vector<uint8_t> blob, unsigned cpu);

  const MachineConfig& config() const { return cfg_; }
  const EventLog& events() const { return log_; }
  unsigned cpu_count() const { return unsigned(cpus_.size()); }
  CpuModule& cpu(unsigned n) { return *cpus_[n]; }
  PhysMemory& memory() { return mem_; }
  InterruptController& intc() { return *intc_; }
  const coherence::MemorySystem* memory_system() const { return msys_.get(); }
  const ElfImage& image() const { return image_; }
  uint64_t bootinfo_addr() const { return cfg_.memory_bytes - bootinfo::kSize; }

  // Coherence traffic of one CPU, cumulative since boot. bus_transactions
  // counts the transactions its caches issued (misses, upgrades, writebacks).
  struct CpuTraffic {
    uint64_t instructions = 0, misses = 0, invalidations = 0, c2c = 0, bus_transactions = 0;
  };
  struct TrafficSample {
    uint64_t cycles;  // SystemC time of the sample, in core cycles
    std::vector<CpuTraffic> cpus;
    bool periodic = true;  // false: taken at an event or a blob delivery
  };
  CpuTraffic traffic(unsigned cpu) const;
  // Samples every CPU's traffic every `period_cycles` of simulated time
  // (call before run(); 0 disables). The CPU threads take the samples when
  // they reach a quantum boundary, so each CPU's counters are exact to within
  // one quantum. No SystemC process or event is added for it: the sampling
  // period cannot change the order in which the CPU threads run, so it does
  // not change what is simulated.
  void sample_traffic_every(uint64_t period_cycles) { sample_period_ = next_sample_ = period_cycles; }
  // Called by each CPU thread after it synchronized at a quantum boundary.
  void quantum_boundary(uint64_t cycles) {
    if (sample_period_ && cycles >= next_sample_) take_periodic_samples(cycles);
  }
  // Also samples when the guest records one of these events (stamped with the
  // event's CPU-local time) and when a scheduled blob is delivered (stamped
  // with its time), so windows bounded by those moments are exact rather
  // than rounded to the period. Samples stay ordered by time.
  void sample_traffic_on_events(std::vector<uint32_t> ids) { sample_events_ = std::move(ids); }
  const std::vector<TrafficSample>& traffic_samples() const { return samples_; }

  // Statistics, each with a description (README.md, "Statistics").
  nlohmann::json stats_json() const;
  std::string stats_table() const;

  // Called by CPU modules.
  bool halted() const { return halted_; }
  void power_off(int exit_code, unsigned cpu);
  void guest_fault(unsigned cpu, const std::string& reason);
  // PANIC from the guest: `frame` is a saved register frame, or 0 for live registers.
  void guest_panic(unsigned cpu, const std::string& message, uint64_t frame);

  struct GuestTest {
    std::string name;
    bool passed;
    std::string message;
    unsigned cpu;
  };
  const std::vector<GuestTest>& guest_tests() const { return tests_; }
  bool vectors_installed() const;

  // MemTarget
  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;
  // CoherenceListener
  void revoke(int cpu, uint64_t line_addr, bool keep_read) override;
  // MemoryWriter
  bool host_write(uint64_t addr, const uint8_t* data, uint64_t len) override;

 private:
  sc_core::sc_time time_of(uint64_t cycles) const;  // a local cycle count as SystemC time
  void mailbox_thread();
  void take_periodic_samples(uint64_t now_cycles);
  ppc::AccessResult device_access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data);
  ppc::AccessResult ram_access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data);
  void charge(unsigned cpu, uint64_t addr, const coherence::AccessOutcome& o, unsigned already_charged, ppc::AccessResult& r);
  void code_page_created(uint64_t page);
  void clear_reservations(unsigned writer, uint64_t addr, unsigned size);
  void write_bootinfo(const std::vector<uint8_t>& args);
  void flush_fast_hit_counts();
  void finish_with_fault(unsigned cpu, std::string report);
  bool read_guest(uint64_t addr, unsigned size, uint64_t& value) const;

  MachineConfig cfg_;
  ElfImage image_;
  PhysMemory mem_;
  ppc::CodeCache code_;
  std::unique_ptr<coherence::MemorySystem> msys_;
  EventLog log_;
  std::unique_ptr<Uart> uart_;
  std::unique_ptr<InterruptController> intc_;
  std::unique_ptr<SimControl> simctl_;
  std::unique_ptr<ModuleMailbox> mailbox_;
  std::vector<std::unique_ptr<CpuModule>> cpus_;
  unsigned block_shift_;
  struct Scheduled {
    uint64_t at_cycles;
    std::vector<uint8_t> blob;
    unsigned cpu;
  };
  std::vector<Scheduled> scheduled_;
  std::vector<GuestTest> tests_;
  std::vector<std::string> pc_range_names_;  // ranges registered through sim-control, in order
  uint64_t sample_period_ = 0, next_sample_ = 0;
  std::vector<uint32_t> sample_events_;
  void sample_traffic_at(uint64_t cycles, bool periodic = false);
  std::vector<TrafficSample> samples_;
  bool halted_ = false;
  std::optional<Result> result_;
  CpuDebugHook* debug_ = nullptr;
  bool quantum_set_ = false;
};

}  // namespace dusim
