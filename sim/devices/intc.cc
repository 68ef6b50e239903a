#include "devices/intc.h"

namespace dusim {

uint64_t InterruptController::read(const DeviceAccess& a, uint64_t offset) {
  switch (offset) {
    case 0x08: return pending_[a.cpu];
    case 0x18: return enabled_[a.cpu];
    case 0x20: return a.cpu;
    default: return 0;
  }
}

void InterruptController::write(const DeviceAccess& a, uint64_t offset, uint64_t value) {
  switch (offset) {
    case 0x00:
      for (unsigned c = 0; c < pending_.size(); ++c) {
        if (value == 0xffff ? c != a.cpu : c == value) {
          pending_[c] |= kIpi;
          ++ipis_[c];
        }
      }
      break;
    case 0x10: pending_[a.cpu] &= ~value; break;
    case 0x18: enabled_[a.cpu] = value; break;
    default: break;
  }
}

}  // namespace dusim
