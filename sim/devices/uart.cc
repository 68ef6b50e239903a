#include "devices/uart.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dusim {

Uart::Uart(const std::string& path) : out_(stdout), owned_(false) {
  if (!path.empty()) {
    out_ = std::fopen(path.c_str(), "w");
    if (!out_) throw std::runtime_error("console file " + path + ": " + std::strerror(errno));
    owned_ = true;
  }
}

Uart::~Uart() {
  if (owned_) std::fclose(out_);
  else std::fflush(out_);
}

void Uart::write(const DeviceAccess&, uint64_t offset, uint64_t value) {
  if (offset != 0x00) return;
  std::fputc(int(value & 0xff), out_);
}

}  // namespace dusim
