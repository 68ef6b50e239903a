#include "report/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "report/checks.h"
#include "platform/event_catalog.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

struct Ctx {
  const RunData& run;
  const MachineConfig& m;
  uint64_t ns(uint64_t cycles) const { return m.cycles_to_ns(cycles); }
};

uint32_t id_of(const char* name) {
  const EventInfo* e = event_by_name(name);
  return e ? e->id : 0;
}

uint64_t percentile(std::vector<uint64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = size_t(p * double(v.size()) + 0.999999);
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

json stats_of(const std::vector<uint64_t>& v) {
  uint64_t mx = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
  return json{{"count", v.size()}, {"max_ns", mx}, {"p50_ns", percentile(v, 0.50)}, {"p99_ns", percentile(v, 0.99)}};
}

// ---- updates ---------------------------------------------------------------

struct UpdateTimes {
  uint64_t requested_ns, completed_ns;
  bool completed;
};

json build_updates(const Ctx& c, std::vector<UpdateTimes>& times) {
  const auto& events = *c.run.events;
  const auto& ups = c.run.scenario->updates;
  std::vector<size_t> order(ups.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ups[a].at_ns < ups[b].at_ns; });

  const uint32_t applied = id_of("UPDATE_APPLIED"), aborted = id_of("UPDATE_ABORTED"), rejected = id_of("MODULE_REJECTED"),
                 received = id_of("MODULE_RECEIVED"), loaded = id_of("MODULE_LOADED"), pbegin = id_of("PHASE_BEGIN"),
                 pend = id_of("PHASE_END"), released = id_of("CALL_RELEASED"), transfer = id_of("STATE_TRANSFER"),
                 fswap = id_of("FACTORY_SWAP"), version = id_of("VERSION_CHECK");
  json out = json::array();
  for (size_t n = 0; n < order.size(); ++n) {
    const scenario::Update& u = ups[order[n]];
    const uint64_t seq = n + 1;  // the mailbox's delivery order
    json j;
    j["name"] = u.name;
    j["module"] = u.module_as_written;  // not the resolved path: the report does not depend on the checkout
    j["expected"] = u.expect;
    j["requested_ns"] = u.at_ns;
    std::string status = "not_received";
    uint64_t completed_ns = 0;
    std::map<std::tuple<uint64_t, uint64_t, uint32_t>, uint64_t> open;  // (phase, object, cpu) -> start
    json phases = json::array();
    std::vector<uint64_t> blocked;
    uint64_t transfers = 0, transfer_bytes = 0, objects_swapped = 0, factories_swapped = 0;
    json version_check, factory;
    for (const Event& e : events) {
      if (e.args[0] != seq) continue;
      uint64_t t = c.ns(e.cycles);
      if (e.id == received && status == "not_received") status = "received";
      else if (e.id == loaded && (status == "received" || status == "not_received")) status = "loaded";
      else if (e.id == applied || e.id == aborted || e.id == rejected) {
        status = e.id == applied ? "applied" : e.id == aborted ? "aborted" : "rejected";
        completed_ns = t;
        if (e.id == applied) objects_swapped = e.args[1], factories_swapped = e.args[2];
        j["reason_code"] = e.id == applied ? 0 : e.args[1];
      } else if (e.id == pbegin) {
        open[{e.args[1], e.args[2], e.cpu}] = t;
      } else if (e.id == pend) {
        auto it = open.find({e.args[1], e.args[2], e.cpu});
        if (it == open.end()) continue;
        phases.push_back({{"name", std::string(phase_name(e.args[1]))}, {"cpu", e.cpu}, {"object", e.args[2]},
                          {"start_ns", it->second}, {"end_ns", t}});
        open.erase(it);
      } else if (e.id == released) {
        blocked.push_back(c.ns(e.args[3]));
      } else if (e.id == transfer) {
        ++transfers;
        transfer_bytes += e.args[3];
      } else if (e.id == fswap) {
        factory = {{"old_version", e.args[1]}, {"new_version", e.args[2]}, {"instances", e.args[3]}, {"at_ns", t}};
      } else if (e.id == version) {
        version_check = {{"running", e.args[1]}, {"new", e.args[2]}, {"accepted", e.args[3] != 0}};
      }
    }
    bool done = completed_ns != 0;
    j["status"] = status;
    j["completed_ns"] = done ? json(completed_ns) : json(nullptr);
    j["latency_ns"] = done ? json(completed_ns - std::min(completed_ns, u.at_ns)) : json(nullptr);
    j["phases"] = phases;
    j["blocked_calls"] = stats_of(blocked);
    j["state_transfers"] = {{"count", transfers}, {"bytes", transfer_bytes}};
    j["objects_swapped"] = objects_swapped;
    j["factories_swapped"] = factories_swapped;
    if (!version_check.is_null()) j["version_check"] = version_check;
    if (!factory.is_null()) j["factory_swap"] = factory;
    out.push_back(j);
    times.push_back({u.at_ns, done ? completed_ns : c.run.end_ns, done});
  }
  return out;
}

// ---- coherence windows ---------------------------------------------------------

using Traffic = Machine::CpuTraffic;

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

json window(const Ctx& c, uint64_t from, uint64_t to) {
  to = std::max(from, std::min(to, c.run.end_ns));
  auto a = cumulative_at(c, from), b = cumulative_at(c, to);
  json per = json::array();
  Traffic total;
  for (size_t k = 0; k < b.size(); ++k) {
    Traffic d{b[k].instructions - a[k].instructions, b[k].misses - a[k].misses, b[k].invalidations - a[k].invalidations,
              b[k].c2c - a[k].c2c, b[k].bus_transactions - a[k].bus_transactions};
    per.push_back({{"cpu", k}, {"instructions", d.instructions}, {"misses", d.misses}, {"invalidations", d.invalidations},
                   {"c2c_transfers", d.c2c}, {"bus_transactions", d.bus_transactions}});
    total.instructions += d.instructions;
    total.misses += d.misses;
    total.invalidations += d.invalidations;
    total.c2c += d.c2c;
    total.bus_transactions += d.bus_transactions;
  }
  return {{"start_ns", from}, {"end_ns", to},
          {"total", {{"instructions", total.instructions}, {"misses", total.misses}, {"invalidations", total.invalidations},
                     {"c2c_transfers", total.c2c}, {"bus_transactions", total.bus_transactions}}},
          {"per_cpu", per}};
}

// ---- metrics --------------------------------------------------------------------

json compute_metric(const Ctx& c, const scenario::Metric& m, uint64_t first_req, uint64_t last_done, bool have_updates) {
  const EventInfo* info = event_by_name(m.event);
  int arg = m.arg.empty() ? -1 : arg_index(*info, m.arg);
  std::vector<std::pair<int, uint64_t>> where;
  for (const auto& [k, v] : m.where) where.push_back({arg_index(*info, k), v});
  std::vector<uint64_t> values;
  uint64_t count = 0;
  for (const Event& e : *c.run.events) {
    if (e.id != info->id) continue;
    uint64_t t = c.ns(e.cycles);
    bool in = m.window == "all" || (!have_updates && m.window == "before") ||
              (have_updates && ((m.window == "before" && t < first_req) || (m.window == "during" && t >= first_req && t <= last_done) ||
                                (m.window == "after" && t > last_done)));
    if (!in) continue;
    bool match = true;
    for (auto [k, v] : where) match = match && e.args[k] == v;
    if (!match) continue;
    ++count;
    if (arg >= 0) values.push_back(m.ns ? c.ns(e.args[arg]) : e.args[arg]);
  }
  if (m.op == "count") return count;
  if (values.empty()) return nullptr;
  uint64_t sum = 0;
  for (uint64_t v : values) sum += v;
  if (m.op == "sum") return sum;
  if (m.op == "mean") return std::round(double(sum) / double(values.size()) * 1e6) / 1e6;  // a fraction, 6 places
  if (m.op == "max") return *std::max_element(values.begin(), values.end());
  if (m.op == "min") return *std::min_element(values.begin(), values.end());
  if (m.op == "p50") return percentile(values, 0.50);
  return percentile(values, 0.99);
}

}  // namespace

json build_report(const RunData& run) {
  const scenario::Scenario& s = *run.scenario;
  Ctx c{run, s.machine};
  json r;
  r["scenario"] = s.name;
  r["description"] = s.description;
  r["seed"] = s.seed;
  r["machine"] = {{"config", s.machine.name},
                  {"cpus", s.machine.cpus},
                  {"clock_hz", s.machine.clock_hz},
                  {"quantum_cycles", s.machine.quantum_cycles},
                  {"caches", s.machine.caches},
                  {"protocol", std::string(coherence::to_string(s.machine.hierarchy.protocol))},
                  {"overrides", s.machine_overrides}};
  r["run"] = {{"outcome", run.outcome}, {"duration_ns", s.duration_ns}, {"end_ns", run.end_ns},
              {"exit_code", run.exit_code}, {"events", run.events->size()}};
  if (!run.fault.empty()) r["run"]["fault"] = run.fault;

  std::vector<UpdateTimes> times;
  r["updates"] = build_updates(c, times);
  bool have_updates = !times.empty();
  uint64_t first_req = have_updates ? run.end_ns : 0, last_done = 0;
  for (const UpdateTimes& t : times) {
    first_req = std::min(first_req, t.requested_ns);
    last_done = std::max(last_done, t.completed_ns);
  }
  if (have_updates) {
    r["coherence"] = {{"before", window(c, 0, first_req)},
                      {"during", window(c, first_req, last_done)},
                      {"after", window(c, last_done, run.end_ns)}};
  } else {
    r["coherence"] = {{"before", window(c, 0, run.end_ns)}, {"during", window(c, 0, 0)}, {"after", window(c, run.end_ns, run.end_ns)}};
  }
  json objects = json::array();
  for (const ObjectTraffic& o : run.objects)
    objects.push_back({{"name", o.name}, {"base", o.base}, {"size", o.size}, {"misses", o.misses},
                       {"invalidations", o.invalidations}, {"c2c_transfers", o.c2c}, {"upgrades", o.upgrades},
                       {"writebacks", o.writebacks}, {"stall_cycles", o.stall_cycles}});
  r["objects"] = objects;
  json metrics = json::object();
  for (const scenario::Metric& m : s.metrics) metrics[m.name] = compute_metric(c, m, first_req, last_done, have_updates);
  r["metrics"] = metrics;

  json checks = json::array();
  auto add_check = [&](const std::string& name, bool passed, const std::string& detail) {
    checks.push_back({{"name", name}, {"passed", passed}, {"detail", detail}});
  };
  add_check("the run ended without a guest fault", run.outcome != "fault", run.outcome);
  for (size_t k = 0; k < r["updates"].size(); ++k) {
    const json& u = r["updates"][k];
    std::string got = u["status"].get<std::string>(), want = u["expected"].get<std::string>();
    add_check("update " + u["name"].get<std::string>() + " is " + want, got == want, "status " + got);
  }
  for (const scenario::Check& ch : s.checks) {
    CheckResult cr = evaluate_check(ch.expect, r);
    add_check(ch.name, cr.passed, cr.detail);
  }
  r["checks"] = checks;
  r["host"] = {{"wall_seconds", run.host_seconds}, {"mips", run.mips}};
  return r;
}

std::string build_summary(const json& r) {
  std::string s = fmt::format("scenario {} (seed {}), {} CPUs, {} ns simulated, {}\n", r["scenario"].get<std::string>(),
                              r["seed"].get<uint64_t>(), r["machine"]["cpus"].get<unsigned>(), r["run"]["end_ns"].get<uint64_t>(),
                              r["run"]["outcome"].get<std::string>());
  for (const json& u : r["updates"]) {
    s += fmt::format("  update {:<20} requested {:>12} ns  {:<12}", u["name"].get<std::string>(), u["requested_ns"].get<uint64_t>(),
                     u["status"].get<std::string>());
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
  }
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
