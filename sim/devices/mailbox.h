// Module mailbox: the host drops a byte blob (an update module) into it at a
// scheduled simulated time and raises the mailbox interrupt source on the
// target CPU. Blobs that arrive before the guest has taken the earlier ones
// wait in a queue, in delivery order; the registers act on the oldest one
// (the head). Registers (offsets):
//   0x00 SIZE   read: size in bytes of the head blob, 0 when none waits
//   0x08 COPY   write: guest physical address; the host copies the head there
//   0x10 ACK    write: any value; the head is consumed (the next one, if any,
//               becomes the head: a guest takes every waiting blob by
//               reading SIZE until it is 0)
//   0x18 SEQ    read: the head's own sequence number (1 for the first blob
//               ever delivered, 2 for the second, ...), 0 when none waits
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
  void deliver(std::vector<uint8_t> blob) { waiting_.push_back({++delivered_, std::move(blob)}); }
  size_t waiting() const { return waiting_.size(); }

 private:
  struct Blob {
    uint64_t seq;
    std::vector<uint8_t> bytes;
  };
  MemoryWriter& mem_;
  std::deque<Blob> waiting_;
  uint64_t delivered_ = 0;
};

}  // namespace dusim
