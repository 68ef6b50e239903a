// A memory-mapped device. Registers are 64-bit, big-endian, at 8-byte
// offsets; narrower accesses read or write the low-order bytes of the
// register at the aligned offset. Device accesses never use the CPU's fast
// path and cost no cache traffic.
#pragma once

#include <cstdint>
#include <string>

namespace dusim {

struct DeviceAccess {
  unsigned cpu;     // the CPU making the access
  uint64_t cycles;  // that CPU's local time
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const char* name() const = 0;
  virtual uint64_t read(const DeviceAccess& a, uint64_t offset) = 0;
  virtual void write(const DeviceAccess& a, uint64_t offset, uint64_t value) = 0;
};

// Where the devices sit in the physical address map (sim/platform/README.md,
// "Address map"). The Machine maps each at its base (platform/machine.cc,
// make_devices), and the boot-information block hands them to the guest.
namespace addr {
constexpr uint64_t kDeviceSize = 0x1000;  // each device's register window
constexpr uint64_t kUart = 0xf000'0000;
constexpr uint64_t kIntc = 0xf000'1000;
constexpr uint64_t kSimControl = 0xf000'2000;
constexpr uint64_t kMailbox = 0xf000'3000;
}  // namespace addr

}  // namespace dusim
