// Interrupt controller: per-CPU pending and enable masks of interrupt
// sources; a CPU with an enabled source that has arrived sees an external
// interrupt (vector 0x500) when its MSR[EE] is set. Registers (offsets),
// each acting on the calling CPU unless stated:
//   0x00 IPI_SEND  write: target CPU number; 0xffff = every other CPU
//   0x08 PENDING   read: pending sources that have arrived (bit 0 IPI, bit 1 module mailbox)
//   0x10 ACK       write: clears the given pending bits (those that have arrived)
//   0x18 ENABLE    read/write: enabled sources (reset: all enabled)
//   0x20 WHOAMI    read: the calling CPU's number
// Every source has an arrival time in the target's local time: an IPI
// arrives `ipi_latency` cycles after the sender's write (machine.ipi_latency_cycles),
// a mailbox delivery at its scheduled time. Until then the target does not
// see it. When the target notices an arrival is the CPU module's business
// (platform/cpu_module.cc): when it arrives under machine.sync_policy
// ordered, at the target's next synchronization under quantum.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "devices/device.h"

namespace dusim {

class InterruptController final : public Device {
 public:
  enum Source : uint64_t { kIpi = 1, kMailbox = 2 };
  static constexpr unsigned kSources = 2;
  static constexpr uint64_t kNever = ~uint64_t(0);
  // `on_raise(cpu, at)` hears of every arrival as it is raised (the machine
  // ends the target's run there, if it is the one running).
  InterruptController(unsigned cpus, uint64_t ipi_latency, std::function<void(unsigned, uint64_t)> on_raise)
      : cpus_(cpus), ipi_latency_(ipi_latency), on_raise_(std::move(on_raise)) {}
  const char* name() const override { return "intc"; }
  uint64_t read(const DeviceAccess& a, uint64_t offset) override;
  void write(const DeviceAccess& a, uint64_t offset, uint64_t value) override;

  // Makes `sources` pending at `cpu` from local time `at` on. A source is
  // one level: what has arrived is one interrupt, but one still on its way
  // stays pending after an ACK that came before it arrived.
  void raise(unsigned cpu, uint64_t sources, uint64_t at);
  // An enabled source has arrived at `cpu` by its local time `cycles`.
  bool asserted(unsigned cpu, uint64_t cycles) const { return arrived(cpu, cycles) & cpus_[cpu].enabled; }
  // The earliest arrival after `cycles` of an enabled pending source, or kNever.
  uint64_t next_arrival(unsigned cpu, uint64_t cycles) const;
  // The arrival time of the enabled sources that have arrived by `cycles`
  // (the earliest), for the delivery-lag statistics; kNever if none.
  uint64_t arrived_at(unsigned cpu, uint64_t cycles) const;
  uint64_t ipis_received(unsigned cpu) const { return cpus_[cpu].ipis; }

 private:
  struct PerCpu {
    uint64_t enabled = ~uint64_t(0), ipis = 0;
    std::array<std::vector<uint64_t>, kSources> arrivals;  // per source bit: when what is pending arrives, ascending
  };
  uint64_t arrived(unsigned cpu, uint64_t cycles) const;
  void ack(unsigned cpu, uint64_t sources, uint64_t cycles);
  std::vector<PerCpu> cpus_;
  uint64_t ipi_latency_;
  std::function<void(unsigned, uint64_t)> on_raise_;
};

}  // namespace dusim
