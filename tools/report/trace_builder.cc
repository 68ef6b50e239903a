// trace.json in the Chrome trace-event format: one track per CPU with update
// phases and blocked calls as slices, lifecycle and workload markers as
// instants, and per-CPU coherence traffic as counters. Opens in Perfetto.
#include <map>
#include <set>

#include "platform/event_catalog.h"
#include "report/report_builder.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

json build_trace(const RunData& run, const json& report) {
  const MachineConfig& m = run.scenario->machine;
  auto us = [&](uint64_t cycles) { return double(m.cycles_to_ns(cycles)) / 1000.0; };
  json ev = json::array();
  ev.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 0}, {"args", {{"name", "dusim: " + run.scenario->name}}}});
  for (unsigned c = 0; c < m.cpus; ++c)
    ev.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", c}, {"args", {{"name", "cpu " + std::to_string(c)}}}});

  // Host-side: when each module reached the mailbox.
  for (const json& u : report["updates"])
    ev.push_back({{"name", "update requested: " + u["name"].get<std::string>()}, {"cat", "update"}, {"ph", "i"}, {"s", "g"},
                  {"pid", 0}, {"tid", 0}, {"ts", double(u["requested_ns"].get<uint64_t>()) / 1000.0}});

  static const std::set<std::string> instants = {"MODULE_RECEIVED", "MODULE_LOADED", "MODULE_REJECTED", "VERSION_CHECK",
                                                 "UPDATE_APPLIED", "UPDATE_ABORTED", "FACTORY_SWAP", "QUIESCE_TIMEOUT",
                                                 "STATE_TRANSFER", "WORKLOAD_BEGIN", "WORKLOAD_END", "GEN_ADVANCE_END",
                                                 "BOOT_DONE", "PANIC", "EXCEPTION"};
  const EventInfo* pbegin = event_by_name("PHASE_BEGIN");
  const EventInfo* pend = event_by_name("PHASE_END");
  const EventInfo* released = event_by_name("CALL_RELEASED");
  std::map<std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>, uint64_t> open;
  for (const Event& e : *run.events) {
    const EventInfo* info = event_by_id(e.id);
    if (!info) continue;
    if (info == pbegin) {
      open[{e.args[0], e.args[1], e.args[2], e.cpu}] = e.cycles;
    } else if (info == pend) {
      auto it = open.find({e.args[0], e.args[1], e.args[2], e.cpu});
      if (it == open.end()) continue;
      ev.push_back({{"name", std::string(phase_name(e.args[1]))}, {"cat", "update"}, {"ph", "X"}, {"pid", 0}, {"tid", e.cpu},
                    {"ts", us(it->second)}, {"dur", us(e.cycles) - us(it->second)},
                    {"args", {{"update", e.args[0]}, {"object", e.args[2]}}}});
      open.erase(it);
    } else if (info == released) {
      uint64_t start = e.cycles >= e.args[3] ? e.cycles - e.args[3] : 0;
      ev.push_back({{"name", "blocked call"}, {"cat", "blocked"}, {"ph", "X"}, {"pid", 0}, {"tid", e.cpu}, {"ts", us(start)},
                    {"dur", us(e.cycles) - us(start)}, {"args", {{"object", e.args[1]}, {"thread", e.args[2]}}}});
    } else if (instants.count(info->name)) {
      json args = json::object();
      for (int k = 0; k < 6 && info->args[k]; ++k) args[info->args[k]] = e.args[k];
      ev.push_back({{"name", info->name}, {"cat", "event"}, {"ph", "i"}, {"s", "t"}, {"pid", 0}, {"tid", e.cpu}, {"ts", us(e.cycles)},
                    {"args", args}});
    }
  }
  // Coherence traffic per CPU, per sample interval.
  std::vector<Machine::CpuTraffic> prev(m.cpus);
  auto counters = [&](uint64_t cycles, const std::vector<Machine::CpuTraffic>& cur) {
    for (unsigned c = 0; c < cur.size(); ++c) {
      ev.push_back({{"name", "traffic cpu " + std::to_string(c)}, {"ph", "C"}, {"pid", 0}, {"ts", us(cycles)},
                    {"args", {{"misses", cur[c].misses - prev[c].misses}, {"invalidations", cur[c].invalidations - prev[c].invalidations},
                              {"c2c", cur[c].c2c - prev[c].c2c}}}});
    }
    prev = cur;
  };
  for (const auto& s : *run.samples)
    if (s.periodic) counters(s.cycles, s.cpus);  // equal intervals; the others only bound report windows
  return {{"traceEvents", ev}, {"displayTimeUnit", "ns"},
          {"otherData", {{"scenario", run.scenario->name}, {"seed", run.scenario->seed}}}};
}

}  // namespace dusim::report
