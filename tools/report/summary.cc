// The terminal summary, from report.json alone: each update's phases in
// time order (start, duration, CPU), envelopes said to be envelopes with
// what they hold, coherence as rates per µs per window, the metrics with
// their units, and each check (a failure as "expected X, got Y" and what Y
// is). Numbers carry separators and a unit chosen for their size.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/phase_style.h"
#include "report/report_builder.h"
#include "report/units.h"
#include "report/update_phases.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

struct Writer {
  const SummaryOptions& o;
  std::string s;

  void line(const std::string& text) { s += text + "\n"; }
  std::string phase(const std::string& name, int width) const {
    std::string padded = fmt::format("{:<{}}", name, width);
    if (!o.colour) return padded;
    return ansi_colour(phase_style(name).colour) + padded + "\033[0m";
  }
  std::string mark(bool ok) const {
    if (!o.colour) return ok ? "[PASS]" : "[FAIL]";
    return ok ? "\033[32m[PASS]\033[0m" : "\033[1;31m[FAIL]\033[0m";
  }
};

// "1 call", "3 calls".
std::string count(uint64_t n, const std::string& what) { return thousands(n) + " " + what + (n == 1 ? "" : "s"); }

void update_header(Writer& w, const json& u) {
  std::string head = "update " + u["name"].get<std::string>() + ": " + u["status"].get<std::string>();
  if (!u["latency_ns"].is_null()) head += ", latency " + duration(u["latency_ns"].get<uint64_t>());
  head += " (delivered " + time_us(u["requested_ns"].get<uint64_t>());
  if (!u["completed_ns"].is_null()) head += ", ended " + time_us(u["completed_ns"].get<uint64_t>());
  w.line(head + ")");
  const json &b = u["blocked_calls"], &sw = u["swaps"], &x = u["state_transfers"];
  std::string facts = "  " + count(u["objects_swapped"].get<uint64_t>(), "object") + " swapped";
  if (sw["count"].get<uint64_t>()) facts += ", longest single swap " + duration(sw["max_ns"].get<uint64_t>());
  facts += "; " + count(b["count"].get<uint64_t>(), "call") + " blocked";
  if (b["count"].get<uint64_t>())
    facts += " (longest " + duration(b["max_ns"].get<uint64_t>()) + ", median " + duration(b["p50_ns"].get<uint64_t>()) + ")";
  facts += "; " + count(x["count"].get<uint64_t>(), "state transfer") + ", " + thousands(x["bytes"].get<uint64_t>()) + " bytes";
  w.line(facts);
}

void phases_one_by_one(Writer& w, const std::vector<PhaseSpan>& spans, const std::vector<ObjectSwap>& swaps) {
  w.line(fmt::format("  {:>16}  {:>10}  {:>3}  phase", "start", "duration", "cpu"));
  for (const PhaseSpan& p : spans) {
    std::string name = w.phase(p.name, 14), what = p.envelope ? envelope_label(p, swaps) : phase_style(p.name).role;
    w.line(fmt::format("  {:>16}  {:>10}  {:>3}  {}{} {}", time_us(p.start_ns), duration(p.ns()), p.cpu, p.envelope ? "" : "  ",
                       name, what));
  }
}

// One line per phase name, at its first start: how many, on how many CPUs,
// median and longest (a class update's BLOCK is hundreds of short ones).
void phases_grouped(Writer& w, const std::vector<PhaseSpan>& spans, const std::vector<ObjectSwap>& swaps) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const PhaseSpan*>> groups;
  for (const PhaseSpan& p : spans) {
    if (!groups.count(p.name)) order.push_back(p.name);
    groups[p.name].push_back(&p);
  }
  w.line(fmt::format("  {:>16}  {:>10}  {:>3}  phase (grouped by name: {} phases)", "first start", "duration", "cpu",
                     thousands(spans.size())));
  for (const std::string& name : order) {
    const auto& g = groups[name];
    const PhaseSpan& first = *g.front();
    if (g.size() == 1) {
      std::string what = first.envelope ? envelope_label(first, swaps) : phase_style(name).role;
      w.line(fmt::format("  {:>16}  {:>10}  {:>3}  {}{} {}", time_us(first.start_ns), duration(first.ns()), first.cpu,
                         first.envelope ? "" : "  ", w.phase(name, 14), what));
      continue;
    }
    std::vector<uint64_t> ns;
    std::set<unsigned> cpus;
    for (const PhaseSpan* p : g) ns.push_back(p->ns()), cpus.insert(p->cpu);
    std::sort(ns.begin(), ns.end());
    w.line(fmt::format("  {:>16}  {:>10}  {:>3}  {}{} ×{} on {} CPUs, median {}, longest {}", time_us(first.start_ns),
                       "", cpus.size() == 1 ? std::to_string(*cpus.begin()) : "*", first.envelope ? "" : "  ", w.phase(name, 14),
                       thousands(g.size()), cpus.size(), duration(ns[(ns.size() - 1) / 2]), duration(ns.back())));
  }
}

// The share of the CPUs' time their accesses stalled for the bus to be
// free: `wait` cycles over `cpus` CPUs in `ns`.
std::string bus_wait_share(double wait, unsigned cpus, double ns, double clock_hz) {
  const double cycles = ns * clock_hz / 1e9 * cpus;
  return cycles > 0 ? fixed(wait * 100.0 / cycles, 1) + " %" : "-";
}

void coherence(Writer& w, const json& r) {
  static const char* const keys[] = {"misses", "invalidations", "c2c_transfers", "bus_transactions"};
  const json& m = r.contains("machine") ? r["machine"] : json::object();
  const double hz = m.value("clock_hz", 0.0);
  const unsigned ncpus = m.value("cpus", 1u);
  w.line(fmt::format("coherence per µs, all CPUs {:>26} {:>13} {:>9} {:>9} {:>9}", "L1 misses", "invalidations", "c2c", "bus",
                     "bus wait"));
  for (const char* name : {"before", "during", "after"}) {
    const json& win = r["coherence"][name];
    uint64_t a = win["start_ns"].get<uint64_t>(), b = win["end_ns"].get<uint64_t>();
    std::string span = fixed(double(a) / 1e3, 1) + " – " + fixed(double(b) / 1e3, 1) + " µs";
    std::string line = fmt::format("  {:<7} {:<27}", name, span);
    if (b <= a) {
      w.line(line + "  (empty)");
      continue;
    }
    for (int k = 0; k < 4; ++k) line += fmt::format(" {:>{}}", rate(win["per_us"][keys[k]].get<double>()), k == 0 ? 9 : k == 1 ? 13 : 9);
    line += fmt::format(" {:>9}", bus_wait_share(double(win["total"].value("bus_wait_cycles", uint64_t(0))), ncpus, double(b - a), hz));
    w.line(line);
    if (!w.o.verbose) continue;
    for (const json& c : win["per_cpu"]) {
      std::string per = fmt::format("    cpu {:<3} {:<27}", c["cpu"].get<unsigned>(), "");
      for (int k = 0; k < 4; ++k)
        per += fmt::format(" {:>{}}", rate(double(c[keys[k]].get<uint64_t>()) * 1e3 / double(b - a)), k == 0 ? 9 : k == 1 ? 13 : 9);
      per += fmt::format(" {:>9}", bus_wait_share(double(c.value("bus_wait_cycles", uint64_t(0))), 1, double(b - a), hz));
      w.line(per);
    }
  }
}

std::string value_text(const json& v) {
  if (v.is_null()) return "null (no event matched)";
  if (v.is_number_unsigned()) return thousands(v.get<uint64_t>());
  if (v.is_number_float()) return rate(v.get<double>());
  return v.dump();
}

void metrics(Writer& w, const json& r) {
  if (r["metrics"].empty()) return;
  w.line("metrics");
  size_t width = 0, unit_width = 0;
  for (const auto& [k, v] : r["metrics"].items())
    width = std::max(width, k.size()), unit_width = std::max(unit_width, r["metric_definitions"][k].value("unit", "").size());
  for (const auto& [k, v] : r["metrics"].items()) {
    const json& d = r["metric_definitions"][k];
    std::string unit = d.value("unit", "");
    w.line(fmt::format("  {:<{}}  {:>14} {:<{}}  {}", k, width, value_text(v), unit, unit_width, d.value("window", "")));
    if (w.o.verbose) w.line(fmt::format("  {:<{}}  {}", "", width, d.value("meaning", "")));
  }
}

void checks(Writer& w, const json& r) {
  unsigned failed = 0;
  w.line("checks");
  for (const json& c : r["checks"]) {
    bool ok = c["passed"].get<bool>();
    failed += !ok;
    if (ok) {
      w.line("  " + w.mark(true) + " " + c["name"].get<std::string>() + "  (" + c["detail"].get<std::string>() + ")");
      continue;
    }
    w.line("  " + w.mark(false) + " " + c["name"].get<std::string>() + ": expected " + c.value("expected", "?") + ", got " +
           c.value("actual", "?"));
    const std::string meaning = c.value("meaning", ""), expected = c.value("expected", "");
    if (!meaning.empty()) w.line("         (" + expected.substr(0, expected.find(' ')) + ": " + meaning + ")");
  }
  w.line(fmt::format("{} of {} checks passed; host {:.2f} s, {:.1f} MIPS", r["checks"].size() - failed, r["checks"].size(),
                     r["host"]["wall_seconds"].get<double>(), r["host"]["mips"].get<double>()));
}

}  // namespace

std::string build_summary(const json& r, const SummaryOptions& o) {
  Writer w{o, ""};
  const json& m = r["machine"];
  w.line(fmt::format("{} (seed {}): {} CPUs, {}, quantum {} cycles, {} sync; {} simulated, {}", r["scenario"].get<std::string>(),
                     r["seed"].get<uint64_t>(), m["cpus"].get<unsigned>(), m["protocol"].get<std::string>(),
                     thousands(m["quantum_cycles"].get<uint64_t>()), m.value("sync_policy", std::string("quantum")), duration(r["run"]["end_ns"].get<uint64_t>()),
                     r["run"]["outcome"].get<std::string>()));
  if (r["run"]["outcome"] == "interrupted")
    w.line(fmt::format("interrupted (SIGINT or SIGTERM) at {} of {}: everything below covers the run up to there",
                       duration(r["run"]["end_ns"].get<uint64_t>()), duration(r["run"]["duration_ns"].get<uint64_t>())));
  for (const json& u : r["updates"]) {
    update_header(w, u);
    std::vector<PhaseSpan> spans = phases_in_time_order(u["phases"]);
    std::vector<ObjectSwap> swaps = object_swaps(u["phases"]);
    if (spans.empty()) continue;
    if (o.verbose || spans.size() <= kPhasesListedOneByOne) phases_one_by_one(w, spans, swaps);
    else phases_grouped(w, spans, swaps);
  }
  coherence(w, r);
  metrics(w, r);
  checks(w, r);
  return w.s;
}

}  // namespace dusim::report
