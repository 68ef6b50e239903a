#include "devices/intc.h"

#include <algorithm>

namespace dusim {

void InterruptController::raise(unsigned cpu, uint64_t sources, uint64_t at) {
  PerCpu& p = cpus_[cpu];
  for (unsigned s = 0; s < kSources; ++s) {
    if (!((sources >> s) & 1)) continue;
    std::vector<uint64_t>& q = p.arrivals[s];
    q.insert(std::upper_bound(q.begin(), q.end(), at), at);
  }
  if (on_raise_) on_raise_(cpu, at);
}

uint64_t InterruptController::arrived(unsigned cpu, uint64_t cycles) const {
  const PerCpu& p = cpus_[cpu];
  uint64_t bits = 0;
  for (unsigned s = 0; s < kSources; ++s)
    if (!p.arrivals[s].empty() && p.arrivals[s].front() <= cycles) bits |= uint64_t(1) << s;
  return bits;
}

uint64_t InterruptController::next_arrival(unsigned cpu, uint64_t cycles) const {
  const PerCpu& p = cpus_[cpu];
  uint64_t next = kNever;
  for (unsigned s = 0; s < kSources; ++s)  // (a source that has arrived asserts already)
    if ((p.enabled >> s) & 1 && !p.arrivals[s].empty() && p.arrivals[s].front() > cycles)
      next = std::min(next, p.arrivals[s].front());
  return next;
}

uint64_t InterruptController::arrived_at(unsigned cpu, uint64_t cycles) const {
  const PerCpu& p = cpus_[cpu];
  uint64_t first = kNever;
  for (unsigned s = 0; s < kSources; ++s)
    if ((p.enabled >> s) & 1 && !p.arrivals[s].empty() && p.arrivals[s].front() <= cycles)
      first = std::min(first, p.arrivals[s].front());
  return first;
}

void InterruptController::ack(unsigned cpu, uint64_t sources, uint64_t cycles) {
  PerCpu& p = cpus_[cpu];
  for (unsigned s = 0; s < kSources; ++s) {
    if (!((sources >> s) & 1)) continue;
    std::vector<uint64_t>& q = p.arrivals[s];
    q.erase(q.begin(), std::upper_bound(q.begin(), q.end(), cycles));
  }
}

uint64_t InterruptController::read(const DeviceAccess& a, uint64_t offset) {
  switch (offset) {
    case 0x08: return arrived(a.cpu, a.cycles);
    case 0x18: return cpus_[a.cpu].enabled;
    case 0x20: return a.cpu;
    default: return 0;
  }
}

void InterruptController::write(const DeviceAccess& a, uint64_t offset, uint64_t value) {
  switch (offset) {
    case 0x00:
      for (unsigned c = 0; c < cpus_.size(); ++c) {
        if (value == 0xffff ? c != a.cpu : c == value) {
          raise(c, kIpi, a.cycles + ipi_latency_);
          ++cpus_[c].ipis;
        }
      }
      break;
    case 0x10: ack(a.cpu, value, a.cycles); break;
    case 0x18: cpus_[a.cpu].enabled = value; break;
    default: break;
  }
}

}  // namespace dusim
