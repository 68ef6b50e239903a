#include "devices/mailbox.h"

namespace dusim {

uint64_t ModuleMailbox::read(const DeviceAccess&, uint64_t offset) {
  switch (offset) {
    case 0x00: return waiting_.empty() ? 0 : waiting_.front().bytes.size();
    case 0x18: return waiting_.empty() ? 0 : waiting_.front().seq;
    default: return 0;
  }
}

void ModuleMailbox::write(const DeviceAccess&, uint64_t offset, uint64_t value) {
  if (waiting_.empty()) return;
  if (offset == 0x08) mem_.host_write(value, waiting_.front().bytes.data(), waiting_.front().bytes.size());
  if (offset == 0x10) waiting_.pop_front();
}

}  // namespace dusim
