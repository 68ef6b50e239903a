// Console UART. Registers (offsets):
//   0x00 TX      write: the low byte is sent to the console
//   0x08 STATUS  read: bit 0 = transmitter ready (always 1)
// Output goes to the terminal or to a file (config machine.console).
#pragma once

#include <cstdio>
#include <string>

#include "devices/device.h"

namespace dusim {

class Uart final : public Device {
 public:
  explicit Uart(const std::string& path);  // empty: stdout
  ~Uart() override;
  const char* name() const override { return "uart"; }
  uint64_t read(const DeviceAccess&, uint64_t offset) override { return offset == 0x08 ? 1 : 0; }
  void write(const DeviceAccess&, uint64_t offset, uint64_t value) override;

 private:
  FILE* out_;
  bool owned_;
};

}  // namespace dusim
