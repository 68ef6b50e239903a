// Module mailbox: the host drops a byte blob (an update module) into it at a
// scheduled simulated time and raises the mailbox interrupt source on the
// target CPU. Registers (offsets):
//   0x00 SIZE   read: size in bytes of the waiting blob, 0 when none
//   0x08 COPY   write: guest physical address; the host copies the blob there
//   0x10 ACK    write: any value; the blob is consumed
//   0x18 SEQ    read: number of blobs delivered so far
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "devices/device.h"

namespace dusim {

class MemoryWriter {
 public:
  virtual ~MemoryWriter() = default;
  // Host write into guest memory (keeps predecoded code coherent).
  virtual bool host_write(uint64_t addr, const uint8_t* data, uint64_t len) = 0;
};

class ModuleMailbox final : public Device {
 public:
  explicit ModuleMailbox(MemoryWriter& mem) : mem_(mem) {}
  const char* name() const override { return "mailbox"; }
  uint64_t read(const DeviceAccess& a, uint64_t offset) override;
  void write(const DeviceAccess& a, uint64_t offset, uint64_t value) override;

  // Called by the host at the scheduled time.
  void deliver(std::vector<uint8_t> blob) {
    waiting_.push_back(std::move(blob));
    ++delivered_;
  }

 private:
  MemoryWriter& mem_;
  std::deque<std::vector<uint8_t>> waiting_;
  uint64_t delivered_ = 0;
};

}  // namespace dusim
