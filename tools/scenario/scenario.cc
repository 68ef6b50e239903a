#include "scenario/scenario.h"

#include <algorithm>
#include <numeric>

namespace dusim::scenario {

uint64_t delivery_seq(const Scenario& s, size_t index) {
  std::vector<size_t> order(s.updates.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.updates[a].at_ns < s.updates[b].at_ns; });
  return uint64_t(std::find(order.begin(), order.end(), index) - order.begin()) + 1;
}

uint64_t ms_to_ns(double ms) { return uint64_t(ms * 1e6 + 0.5); }

std::vector<std::string> boot_args(const Scenario& s) {
  std::vector<std::string> a{"seed=" + std::to_string(s.seed), "workloads=" + std::to_string(s.workloads.size())};
  for (size_t i = 0; i < s.workloads.size(); ++i) {
    const Workload& w = s.workloads[i];
    std::string p = "w" + std::to_string(i) + ".";
    a.push_back(p + "kind=" + w.kind);
    a.push_back(p + "cpus=" + w.cpus);
    for (const auto& [k, v] : w.params) a.push_back(p + k + "=" + v);
  }
  a.insert(a.end(), s.guest_args.begin(), s.guest_args.end());
  return a;
}

}  // namespace dusim::scenario
