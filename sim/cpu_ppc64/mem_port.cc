#include "cpu_ppc64/mem_port.h"

namespace dusim::ppc {

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
