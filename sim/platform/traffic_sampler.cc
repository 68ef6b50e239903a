#include "platform/traffic_sampler.h"

#include <algorithm>

namespace dusim {

TrafficSampler::CpuTraffic TrafficSampler::traffic(unsigned cpu) const {
  CpuTraffic t;
  t.instructions = cpus_[cpu]->cpu.icount;
  if (!msys_) return t;
  const coherence::CacheCounters& d = msys_->l1d_stats(int(cpu));
  const coherence::CacheCounters& i = msys_->l1i_stats(int(cpu));
  t.misses = d.misses() + i.misses();
  t.invalidations = d.invalidations_received + i.invalidations_received;
  t.c2c = d.c2c_received + i.c2c_received;
  t.bus_transactions = d.misses() + d.upgrades + d.writebacks + i.misses();
  t.bus_wait_cycles = cpus_[cpu]->stall_by_cause[unsigned(coherence::StallCause::BusWait)];
  return t;
}

void TrafficSampler::event(uint64_t cycles, uint32_t id) {
  if (period_ && std::find(events_.begin(), events_.end(), id) != events_.end()) sample_at(cycles, false);
}

void TrafficSampler::sample_at(uint64_t cycles, bool periodic) {
  Sample s{cycles, {}, periodic};
  for (unsigned n = 0; n < cpus_.size(); ++n) s.cpus.push_back(traffic(n));
  auto at = std::upper_bound(samples_.begin(), samples_.end(), cycles,
                             [](uint64_t c, const Sample& x) { return c < x.cycles; });
  samples_.insert(at, std::move(s));
}

void TrafficSampler::take_periodic(uint64_t now_cycles) {
  for (; next_ <= now_cycles; next_ += period_) sample_at(next_, true);
}

}  // namespace dusim
