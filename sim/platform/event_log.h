// The event log: the single source of truth for timing. Every instrumentation
// event the guest writes through sim-control lands here, stamped by the host
// with the CPU and that CPU's local time.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace dusim {

struct Event {
  uint64_t cycles;  // the CPU's local time
  uint32_t cpu;
  uint32_t id;
  std::array<uint64_t, 6> args;
};

class EventLog {
 public:
  void record(uint32_t cpu, uint64_t cycles, uint32_t id, const std::array<uint64_t, 6>& args) {
    events_.push_back({cycles, cpu, id, args});
  }
  const std::vector<Event>& events() const { return events_; }
  // The last `n` events of one CPU, oldest first (for fault reports).
  std::vector<Event> last_of_cpu(uint32_t cpu, size_t n) const {
    std::vector<Event> out;
    for (auto it = events_.rbegin(); it != events_.rend() && out.size() < n; ++it)
      if (it->cpu == cpu) out.insert(out.begin(), *it);
    return out;
  }

 private:
  std::vector<Event> events_;
};

}  // namespace dusim
