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
//   0x60 TEST_RESULT write: address of a NUL-terminated guest test name;
//                    ARG0 = 0 passed, else failed; ARG1 = address of a
//                    NUL-terminated message, or 0
//   0x68 PANIC       write: address of a NUL-terminated message; ARG0 =
//                    address of a saved trap frame (its layout:
//                    guest_os/include/dusim/trap_frame.def), or 0 for the
//                    calling CPU's live registers. Ends the run with a fault
//                    report.
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
    std::function<void(unsigned cpu, const std::string& name, bool passed, const std::string& message)> test_result;
    std::function<void(unsigned cpu, const std::string& message, uint64_t frame)> panic;
    // After an event is recorded (may be empty).
    std::function<void(unsigned cpu, uint64_t cycles, uint32_t id)> event;
  };
  // Reads a NUL-terminated guest string (at most 256 bytes).
  static std::string guest_string(const PhysMemory& mem, uint64_t addr);
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
