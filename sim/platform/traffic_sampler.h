// Coherence traffic per CPU over time, for a scenario's windows and plots.
//
// No SystemC process or event is added for it: the CPU threads take the
// periodic samples when they reach a quantum boundary (so each CPU's counters
// are exact to within one quantum), the guest's events and the mailbox's
// deliveries take theirs when they happen. The sampling period therefore
// cannot change the order in which the CPU threads run, and does not change
// what is simulated (tested: a scenario run with another sample_us computes
// the same).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cache_coherence/memory_system.h"
#include "platform/cpu_module.h"

namespace dusim {

class TrafficSampler {
 public:
  // Cumulative since boot. bus_transactions counts the transactions the
  // CPU's caches issued (misses, upgrades, writebacks); bus_wait_cycles the
  // cycles its accesses stalled waiting for the bus to be free (the
  // stall cause bus_wait: contention, which the bus occupancies make).
  struct CpuTraffic {
    uint64_t instructions = 0, misses = 0, invalidations = 0, c2c = 0, bus_transactions = 0, bus_wait_cycles = 0;
  };
  struct Sample {
    uint64_t cycles;  // SystemC time of the sample, in core cycles
    std::vector<CpuTraffic> cpus;
    bool periodic = true;  // false: taken at an event or a blob delivery
  };

  // `msys` is null without a cache model (only instructions are counted).
  TrafficSampler(const std::vector<std::unique_ptr<CpuModule>>& cpus, const coherence::MemorySystem* msys)
      : cpus_(cpus), msys_(msys) {}

  CpuTraffic traffic(unsigned cpu) const;
  // Samples every `period_cycles` (0: never, and no event samples either).
  void sample_every(uint64_t period_cycles) { period_ = next_ = period_cycles; }
  // Also samples when the guest records one of these events.
  void sample_on_events(std::vector<uint32_t> ids) { events_ = std::move(ids); }

  // Called by the CPU threads after they synchronized at a quantum boundary.
  void quantum_boundary(uint64_t cycles) {
    if (period_ && cycles >= next_) take_periodic(cycles);
  }
  // An event was recorded at `cycles` (its CPU's local time).
  void event(uint64_t cycles, uint32_t id);
  // A blob was delivered at `cycles`.
  void delivery(uint64_t cycles) {
    if (period_) sample_at(cycles, false);
  }

  // In time order.
  const std::vector<Sample>& samples() const { return samples_; }

 private:
  void take_periodic(uint64_t now_cycles);
  void sample_at(uint64_t cycles, bool periodic);

  const std::vector<std::unique_ptr<CpuModule>>& cpus_;
  const coherence::MemorySystem* msys_;
  uint64_t period_ = 0, next_ = 0;
  std::vector<uint32_t> events_;
  std::vector<Sample> samples_;
};

}  // namespace dusim
