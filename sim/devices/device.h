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

// The physical address map of the machine (also in README.md, "The machine").
namespace addr {
constexpr uint64_t kDeviceBase = 0xf000'0000;
constexpr uint64_t kDeviceStride = 0x1000;
constexpr uint64_t kUart = kDeviceBase + 0 * kDeviceStride;
constexpr uint64_t kIntc = kDeviceBase + 1 * kDeviceStride;
constexpr uint64_t kSimControl = kDeviceBase + 2 * kDeviceStride;
constexpr uint64_t kMailbox = kDeviceBase + 3 * kDeviceStride;
constexpr unsigned kDeviceCount = 4;
}  // namespace addr

}  // namespace dusim
