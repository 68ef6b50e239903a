// The terminal summary, from report.json alone.
#include <fmt/format.h>

#include <map>

#include "report/report_builder.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

std::string update_lines(const json& u) {
  std::string s = fmt::format("  update {:<20} requested {:>12} ns  {:<12}", u["name"].get<std::string>(),
                              u["requested_ns"].get<uint64_t>(), u["status"].get<std::string>());
  if (!u["latency_ns"].is_null()) s += fmt::format(" latency {} ns", u["latency_ns"].get<uint64_t>());
  const json& b = u["blocked_calls"];
  s += fmt::format("  blocked calls {} (max {} ns)\n", b["count"].get<uint64_t>(), b["max_ns"].get<uint64_t>());
  std::map<std::string, std::pair<uint64_t, uint64_t>> span;  // phase -> [first start, last end]
  for (const json& p : u["phases"]) {
    auto& sp = span.try_emplace(p["name"].get<std::string>(), ~uint64_t(0), 0).first->second;
    sp.first = std::min(sp.first, p["start_ns"].get<uint64_t>());
    sp.second = std::max(sp.second, p["end_ns"].get<uint64_t>());
  }
  for (const auto& [name, sp] : span) s += fmt::format("      {:<16} {:>12} .. {:>12} ns\n", name, sp.first, sp.second);
  return s;
}

}  // namespace

std::string build_summary(const json& r) {
  std::string s = fmt::format("scenario {} (seed {}), {} CPUs, {} ns simulated, {}\n", r["scenario"].get<std::string>(),
                              r["seed"].get<uint64_t>(), r["machine"]["cpus"].get<unsigned>(), r["run"]["end_ns"].get<uint64_t>(),
                              r["run"]["outcome"].get<std::string>());
  for (const json& u : r["updates"]) s += update_lines(u);
  for (const char* w : {"before", "during", "after"}) {
    const json& t = r["coherence"][w]["total"];
    s += fmt::format("  coherence {:<7} misses {:>9} invalidations {:>9} c2c {:>9} bus {:>9}\n", w, t["misses"].get<uint64_t>(),
                     t["invalidations"].get<uint64_t>(), t["c2c_transfers"].get<uint64_t>(), t["bus_transactions"].get<uint64_t>());
  }
  for (const auto& [k, v] : r["metrics"].items()) s += fmt::format("  {:<32} {}\n", k, v.dump());
  unsigned failed = 0;
  for (const json& ch : r["checks"]) {
    bool ok = ch["passed"].get<bool>();
    failed += !ok;
    s += fmt::format("  [{}] {}  ({})\n", ok ? "PASS" : "FAIL", ch["name"].get<std::string>(), ch["detail"].get<std::string>());
  }
  s += fmt::format("  {} of {} checks passed; host {:.2f} s, {:.1f} MIPS\n", r["checks"].size() - failed, r["checks"].size(),
                   r["host"]["wall_seconds"].get<double>(), r["host"]["mips"].get<double>());
  return s;
}

}  // namespace dusim::report
