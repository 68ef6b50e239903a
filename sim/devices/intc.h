// Interrupt controller: per-CPU pending and enable masks of interrupt
// sources; a CPU with an enabled pending source sees an external interrupt
// (vector 0x500) when its MSR[EE] is set. Registers (offsets), each acting on
// the calling CPU unless stated:
//   0x00 IPI_SEND  write: target CPU number; 0xffff = every other CPU
//   0x08 PENDING   read: pending sources (bit 0 IPI, bit 1 module mailbox)
//   0x10 ACK       write: clears the given pending bits
//   0x18 ENABLE    read/write: enabled sources (reset: all enabled)
//   0x20 WHOAMI    read: the calling CPU's number
// Delivery latency is at most one quantum: the target notices at its next
// synchronization point (temporal decoupling; under machine.sync_policy
// ordered, also right after an access it had to synchronize for).
#pragma once

#include <cstdint>
#include <vector>

#include "devices/device.h"

namespace dusim {

class InterruptController final : public Device {
 public:
  enum Source : uint64_t { kIpi = 1, kMailbox = 2 };
  explicit InterruptController(unsigned cpus) : pending_(cpus, 0), enabled_(cpus, ~uint64_t(0)), ipis_(cpus, 0) {}
  const char* name() const override { return "intc"; }
  uint64_t read(const DeviceAccess& a, uint64_t offset) override;
  void write(const DeviceAccess& a, uint64_t offset, uint64_t value) override;

  void raise(unsigned cpu, uint64_t sources) { pending_[cpu] |= sources; }
  bool asserted(unsigned cpu) const { return pending_[cpu] & enabled_[cpu]; }
  uint64_t ipis_received(unsigned cpu) const { return ipis_[cpu]; }

 private:
  std::vector<uint64_t> pending_, enabled_, ipis_;
};

}  // namespace dusim
