#include "scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dusim::scenario {

uint64_t delivery_seq(const Scenario& s, size_t index) {
  std::vector<size_t> order(s.updates.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.updates[a].at_ns < s.updates[b].at_ns; });
  return uint64_t(std::find(order.begin(), order.end(), index) - order.begin()) + 1;
}

std::optional<uint64_t> time_ns(double value, double unit_ns) {
  const double ns = value * unit_ns;
  if (!std::isfinite(ns) || ns < 0 || ns > double(kMaxTimeNs)) return std::nullopt;
  return uint64_t(ns + 0.5);
}

std::string expected_time(const std::string& key) {
  const std::string unit = key.size() > 3 ? key.substr(key.size() - 2) : "ms";
  const uint64_t per = unit == "ns" ? 1 : unit == "us" ? 1000 : 1'000'000;
  return "expected a time from 0 to " + std::to_string(kMaxTimeNs / per) + " " + unit + " (1000 s)";
}

std::string kernel_image(const Scenario& s) { return s.kernel.empty() ? std::string(DUSIM_GUEST_DIR) + "/guest_os/kernel.elf" : s.kernel; }

// A count is in events; the others take the argument's unit, which its name
// gives (latency_cycles, bytes), or are plain numbers of what it names.
std::string metric_unit(const Metric& m) {
  if (m.op == MetricOp::Count) return "events";
  if (m.ns) return "ns";
  const std::string& a = m.arg;
  if (a.size() > 7 && a.compare(a.size() - 7, 7, "_cycles") == 0) return "cycles";
  if (a.find("bytes") != std::string::npos) return "bytes";
  return a;
}

std::vector<std::string> boot_args(const Scenario& s) {
  std::vector<std::string> a{"seed=" + std::to_string(s.seed), "workloads=" + std::to_string(s.workloads.size())};
  for (size_t i = 0; i < s.workloads.size(); ++i) {
    const Workload& w = s.workloads[i];
    std::string p = "w" + std::to_string(i) + ".";
    a.push_back(p + "kind=" + w.kind);
    a.push_back(p + "cpus=" + w.cpus);
    for (const auto& [k, v] : w.params) a.push_back(p + k + "=" + v);
  }
  if (!s.programs.empty()) {  // programs run translated, in problem state
    a.push_back("mmu=on");
    a.push_back("programs=" + std::to_string(s.programs.size()));
    for (size_t i = 0; i < s.programs.size(); ++i) {
      const Program& p = s.programs[i];
      std::string k = "p" + std::to_string(i) + ".";
      std::string args;
      for (const std::string& x : p.args) args += (args.empty() ? "" : " ") + x;
      a.push_back(k + "path=/" + p.name);
      if (!args.empty()) a.push_back(k + "args=" + args);
      a.push_back(k + "cpu=" + std::to_string(p.cpu));
      a.push_back(k + "at_us=" + std::to_string(p.at_ns / 1000));
      a.push_back(k + "sample=" + std::to_string(p.sample));
    }
  }
  a.insert(a.end(), s.guest_args.begin(), s.guest_args.end());
  return a;
}

}  // namespace dusim::scenario
