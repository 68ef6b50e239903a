#include "devices/sim_control.h"

#include "memory/phys_memory.h"

namespace dusim {

std::string SimControl::guest_string(const PhysMemory& mem, uint64_t addr) {
  std::string s;
  for (uint64_t p = addr; s.size() < 256; ++p) {
    const uint8_t* c = mem.host(p, 1);
    if (!c || !*c) break;
    s.push_back(char(*c));
  }
  return s;
}

uint64_t SimControl::read(const DeviceAccess& a, uint64_t offset) {
  if (offset == 0x58) return a.cycles;
  if (offset >= 0x08 && offset <= 0x30) return regs_[a.cpu].args[(offset - 0x08) / 8];
  return 0;
}

void SimControl::write(const DeviceAccess& a, uint64_t offset, uint64_t value) {
  PerCpu& r = regs_[a.cpu];
  switch (offset) {
    case 0x00:
      log_.record(a.cpu, a.cycles, uint32_t(value), r.args);
      if (hooks_.event) hooks_.event(a.cpu, a.cycles, uint32_t(value));
      return;
    case 0x38:
      if (hooks_.power_off) hooks_.power_off(int(value & 0xff), a.cpu);
      return;
    case 0x40: r.range_base = value; return;
    case 0x48: r.range_size = value; return;
    case 0x50: {
      std::string name = guest_string(mem_, value);
      if (name.empty()) name = "range@" + std::to_string(r.range_base);
      if (hooks_.add_range) hooks_.add_range(name, r.range_base, r.range_size);
      return;
    }
    case 0x60:
      if (hooks_.test_result)
        hooks_.test_result(a.cpu, guest_string(mem_, value), r.args[0] == 0, r.args[1] ? guest_string(mem_, r.args[1]) : "");
      return;
    case 0x68:
      if (hooks_.panic) hooks_.panic(a.cpu, guest_string(mem_, value), r.args[0]);
      return;
    default:
      if (offset >= 0x08 && offset <= 0x30) r.args[(offset - 0x08) / 8] = value;
  }
}

}  // namespace dusim
