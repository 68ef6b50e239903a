#include "cpu_ppc64/mem_port.h"

#include <cstdio>

namespace dusim::ppc {

std::string access_fault_message(uint64_t addr, Access kind) {
  const char* what = kind == Access::Fetch ? "instruction fetch" : kind == Access::Write ? "store" : "load";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s outside memory at 0x%llx", what, (unsigned long long)addr);
  return buf;
}

void MemPort::slow(uint64_t ea, unsigned size, Access kind, uint8_t* data) {
  AccessResult r = target_->access(cpu_, ea, size, kind, data);
  if (!r.ok) throw AccessFault(ea, kind, size);
  *stall_sink_ += r.stall;
  if (r.grant && size) {
    uint64_t tag = ea >> block_shift_;
    if (kind == Access::Write) wr_[tag & (kEntries - 1)] = {tag, r.grant};
    if (kind != Access::Fetch) rd_[tag & (kEntries - 1)] = {tag, r.grant};
  }
}

}  // namespace dusim::ppc
