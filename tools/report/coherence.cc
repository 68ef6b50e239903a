// coherence of report.json: each CPU's traffic before, during and after the
// updates, as differences of the machine's cumulative samples.
#include <algorithm>
#include <cmath>

#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

using Traffic = Machine::CpuTraffic;

// The last sample at or before t_ns (the final counters from the run's end).
std::vector<Traffic> cumulative_at(const Ctx& c, uint64_t t_ns) {
  const auto& fin = c.run.final_sample.cpus;
  if (t_ns >= c.run.end_ns) return fin;
  std::vector<Traffic> best(fin.size());
  for (const auto& s : *c.run.samples) {
    if (c.ns(s.cycles) > t_ns) break;
    best = s.cpus;
  }
  return best;
}

Traffic difference(const Traffic& b, const Traffic& a) {
  return {b.instructions - a.instructions, b.misses - a.misses, b.invalidations - a.invalidations, b.c2c - a.c2c,
          b.bus_transactions - a.bus_transactions, b.bus_wait_cycles - a.bus_wait_cycles};
}

json counts(const Traffic& d) {
  return {{"instructions", d.instructions}, {"misses", d.misses}, {"invalidations", d.invalidations},
          {"c2c_transfers", d.c2c}, {"bus_transactions", d.bus_transactions}, {"bus_wait_cycles", d.bus_wait_cycles}};
}

// Counts per microsecond of a window `ns` long (windows differ in length, so
// only rates compare), to 4 decimal places; null for an empty window.
json per_us(const json& counts, uint64_t ns) {
  json out = json::object();
  for (const auto& [k, v] : counts.items())
    out[k] = ns == 0 ? json(nullptr) : json(std::round(double(v.get<uint64_t>()) * 1000.0 / double(ns) * 1e4) / 1e4);
  return out;
}

json window(const Ctx& c, uint64_t from, uint64_t to) {
  to = std::max(from, std::min(to, c.run.end_ns));
  auto a = cumulative_at(c, from), b = cumulative_at(c, to);
  json per = json::array();
  Traffic total;
  for (size_t k = 0; k < b.size(); ++k) {
    Traffic d = difference(b[k], a[k]);
    json row = {{"cpu", k}};
    row.update(counts(d));
    per.push_back(row);
    total = {total.instructions + d.instructions, total.misses + d.misses, total.invalidations + d.invalidations,
             total.c2c + d.c2c, total.bus_transactions + d.bus_transactions, total.bus_wait_cycles + d.bus_wait_cycles};
  }
  return {{"start_ns", from}, {"end_ns", to}, {"total", counts(total)}, {"per_us", per_us(counts(total), to - from)}, {"per_cpu", per}};
}

}  // namespace

json coherence_section(const Ctx& c, const UpdateBounds& b) {
  const uint64_t end = c.run.end_ns;
  if (!b.have_updates)
    return {{"before", window(c, 0, end)}, {"during", window(c, 0, 0)}, {"after", window(c, end, end)}};
  return {{"before", window(c, 0, b.first_requested_ns)},
          {"during", window(c, b.first_requested_ns, b.last_done_ns)},
          {"after", window(c, b.last_done_ns, end)}};
}

}  // namespace dusim::report
