// Sim-control: the guest's line to the host. Registers (offsets):
//   0x00 EVENT       write: records event `value` with ARG0..ARG5, stamped
//                    with the calling CPU and its local time
//   0x08..0x30       ARG0..ARG5 (per CPU)
//   0x38 POWEROFF    write: powers the machine off; the value is the exit code
//   0x40 RANGE_BASE  write (per CPU)
//   0x48 RANGE_SIZE  write (per CPU)
//   0x50 RANGE_NAME  write: address of a NUL-terminated name; registers the
//                    range [RANGE_BASE, +RANGE_SIZE) for statistics
//   0x58 CYCLES      read: the calling CPU's local cycle count
// Accesses cost no simulated cycles beyond the instruction itself, so
// instrumentation does not perturb what it measures.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "devices/device.h"
#include "platform/event_log.h"

namespace dusim {

class PhysMemory;

class SimControl final : public Device {
 public:
  struct Hooks {
    std::function<void(int exit_code, unsigned cpu)> power_off;
    std::function<void(const std::string& name, uint64_t base, uint64_t size)> add_range;
  };
  SimControl(unsigned cpus, const PhysMemory& mem, EventLog& log, Hooks hooks)
      : mem_(mem), log_(log), hooks_(std::move(hooks)), regs_(cpus) {}
  const char* name() const override { return "simctl"; }
  uint64_t read(const DeviceAccess& a, uint64_t offset) override;
  void write(const DeviceAccess& a, uint64_t offset, uint64_t value) override;

 private:
  struct PerCpu {
    std::array<uint64_t, 6> args{};
    uint64_t range_base = 0, range_size = 0;
  };
  const PhysMemory& mem_;
  EventLog& log_;
  Hooks hooks_;
  std::vector<PerCpu> regs_;
};

}  // namespace dusim
