// trace.json in the Chrome trace-event format: one track per CPU with update
// phases and blocked calls as slices, lifecycle and workload markers as
// instants, and per-CPU coherence traffic as counters. Opens in Perfetto.
#include <set>

#include "report/phase_style.h"
#include "report/report_builder.h"
#include "report/update_events.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

// The events shown as instants, with all their arguments (TLBIE_ISSUED only
// with mmu.trace_events; its TLB_MISS and TLBIE_RECEIVED are too many: --events has them).
const std::set<uint32_t>& instant_ids() {
  static const std::set<uint32_t> ids = [] {
    std::set<uint32_t> s;
    for (const char* name : {"MODULE_RECEIVED", "MODULE_LOADED", "MODULE_REJECTED", "VERSION_CHECK", "UPDATE_APPLIED",
                             "UPDATE_ABORTED", "FACTORY_SWAP", "QUIESCE_TIMEOUT", "STATE_TRANSFER", "WORKLOAD_BEGIN",
                             "WORKLOAD_END", "GEN_ADVANCE_END", "BOOT_DONE", "PANIC", "EXCEPTION", "TLBIE_ISSUED"})
      s.insert(EventKind(name).id());
    return s;
  }();
  return ids;
}

constexpr uint64_t kFaultTrackBase = 1'000'000;  // a program's page-fault tracks: kFaultTrackBase + cpu

struct TraceWriter {
  const MachineConfig& m;
  json ev = json::array();
  double us(uint64_t cycles) const { return double(m.cycles_to_ns(cycles)) / 1000.0; }

  void header(const scenario::Scenario& s, const json& report);
  void event(const Event& e, PhasePairer& phases);
  bool program_event(const Event& e);
  void counters(const std::vector<Machine::TrafficSample>& samples);
};

void TraceWriter::header(const scenario::Scenario& s, const json& report) {
  ev.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 0}, {"args", {{"name", "dusim: " + s.name}}}});
  for (unsigned c = 0; c < m.cpus; ++c)
    ev.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", c}, {"args", {{"name", "cpu " + std::to_string(c)}}}});
  for (size_t i = 0; i < s.programs.size(); ++i) {
    ev.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1 + i}, {"args", {{"name", "program " + s.programs[i].name}}}});
    for (unsigned c = 0; c < m.cpus; ++c)
      ev.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1 + i}, {"tid", kFaultTrackBase + c},
                    {"args", {{"name", "page faults, cpu " + std::to_string(c)}}}});
  }
  // Host-side: when each module reached the mailbox.
  for (const json& u : report["updates"])
    ev.push_back({{"name", "update requested: " + u["name"].get<std::string>()}, {"cat", "update"}, {"ph", "i"}, {"s", "g"},
                  {"pid", 0}, {"tid", 0}, {"ts", double(u["requested_ns"].get<uint64_t>()) / 1000.0}});
}

// The programs (report.json programs[]): a trace process per program, a
// track per thread (its kernel thread id) with its sampled system calls as
// slices, and a track per CPU for its page faults.
enum : uint32_t { kProgramThread = 0x0602, kProgramSyscall = 0x0603, kProgramFault = 0x0604, kProgramKilled = 0x0605 };

bool TraceWriter::program_event(const Event& e) {
  if (e.id < kProgramThread || e.id > kProgramKilled) return false;
  const int pid = 1 + int(e.args[0]);
  switch (e.id) {
    case kProgramThread:
      ev.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", e.args[1]},
                    {"args", {{"name", "tid " + std::to_string(e.args[2]) + " (cpu " + std::to_string(e.cpu) + ")"}}}});
      ev.push_back({{"name", "thread start"}, {"cat", "program"}, {"ph", "i"}, {"s", "t"}, {"pid", pid}, {"tid", e.args[1]},
                    {"ts", us(e.cycles)}});
      break;
    case kProgramSyscall: {
      uint64_t start = e.cycles >= e.args[2] ? e.cycles - e.args[2] : 0;
      ev.push_back({{"name", "syscall " + std::to_string(e.args[1])}, {"cat", "program"}, {"ph", "X"}, {"pid", pid},
                    {"tid", e.args[3]}, {"ts", us(start)}, {"dur", us(e.cycles) - us(start)},
                    {"args", {{"nr", e.args[1]}, {"result", e.args[4]}}}});
      break;
    }
    case kProgramFault: {
      uint64_t start = e.cycles >= e.args[2] ? e.cycles - e.args[2] : 0;
      ev.push_back({{"name", "page fault"}, {"cat", "program"}, {"ph", "X"}, {"pid", pid}, {"tid", kFaultTrackBase + e.cpu},
                    {"ts", us(start)}, {"dur", us(e.cycles) - us(start)},
                    {"args", {{"ea", e.args[1]}, {"memory", e.args[3]}, {"status", e.args[4]}, {"region", e.args[5]}}}});
      break;
    }
    default:
      ev.push_back({{"name", "killed"}, {"cat", "program"}, {"ph", "i"}, {"s", "p"}, {"pid", pid}, {"tid", kFaultTrackBase + e.cpu},
                    {"ts", us(e.cycles)}, {"args", {{"signal", e.args[1]}, {"pc", e.args[2]}, {"address", e.args[3]}}}});
  }
  return true;
}

void TraceWriter::event(const Event& e, PhasePairer& phases) {
  if (program_event(e)) return;
  const UpdateEvents& k = update_events();
  const EventInfo* info = event_by_id(e.id);
  if (!info) return;
  if (k.phase_begin.is(e) || k.phase_end.is(e)) {
    if (std::optional<PhaseSlice> p = phases.feed(e))
      ev.push_back({{"name", std::string(phase_name(p->phase))}, {"cat", "update"}, {"ph", "X"}, {"pid", 0}, {"tid", p->cpu},
                    {"ts", us(p->start_cycles)}, {"dur", us(p->end_cycles) - us(p->start_cycles)},
                    {"args", {{"update", p->seq}, {"object", p->object}}}});
  } else if (k.released.is(e)) {
    uint64_t blocked = k.blocked_cycles(e), start = e.cycles >= blocked ? e.cycles - blocked : 0;
    // (its length converted whole, as report.json's blocked_calls: the
    // difference of the two ends' converted times may be a nanosecond off)
    ev.push_back({{"name", "blocked call"}, {"cat", "blocked"}, {"ph", "X"}, {"pid", 0}, {"tid", e.cpu}, {"ts", us(start)},
                  {"dur", double(m.cycles_to_ns(e.cycles - start)) / 1000.0},
                  {"args", {{"update", k.released.seq(e)}, {"object", k.released_object(e)}, {"thread", k.released_thread(e)}}}});
  } else if (instant_ids().count(e.id)) {
    json args = json::object();
    for (int a = 0; a < 6 && info->args[a]; ++a) args[info->args[a]] = e.args[a];
    ev.push_back({{"name", info->name}, {"cat", "event"}, {"ph", "i"}, {"s", "t"}, {"pid", 0}, {"tid", e.cpu}, {"ts", us(e.cycles)},
                  {"args", args}});
  }
}

// Coherence traffic per CPU, per sample interval.
void TraceWriter::counters(const std::vector<Machine::TrafficSample>& samples) {
  std::vector<Machine::CpuTraffic> prev(m.cpus);
  for (const auto& s : samples) {
    if (!s.periodic) continue;  // equal intervals; the others only bound report windows
    for (unsigned c = 0; c < s.cpus.size(); ++c) {
      const Machine::CpuTraffic &cur = s.cpus[c], &was = prev[c];
      ev.push_back({{"name", "traffic cpu " + std::to_string(c)}, {"ph", "C"}, {"pid", 0}, {"ts", us(s.cycles)},
                    {"args", {{"misses", cur.misses - was.misses}, {"invalidations", cur.invalidations - was.invalidations},
                              {"c2c", cur.c2c - was.c2c}}}});
    }
    prev = s.cpus;
  }
}

}  // namespace

json build_trace(const RunData& run, const json& report) {
  TraceWriter w{run.scenario->machine};
  w.header(*run.scenario, report);
  PhasePairer phases;
  for (const Event& e : *run.events) w.event(e, phases);
  w.counters(*run.samples);
  // The phase palette of report.html and the summary, for tools that colour
  // slices themselves (Perfetto and chrome://tracing pick their own).
  json colours = json::object();
  for (const PhaseStyle& p : phase_styles()) colours[std::string(p.name)] = p.colour;
  colours[kBlockedCallName] = kBlockedCallColour;
  return {{"traceEvents", w.ev}, {"displayTimeUnit", "ns"},
          {"otherData", {{"scenario", run.scenario->name}, {"seed", run.scenario->seed}, {"phase_colours", colours}}}};
}

}  // namespace dusim::report
