// programs[] of report.json (present only when the scenario runs programs,
// scenario.h Program): each program's life from its side, from the guest's
// PROGRAM_* events (guest_os/include/dusim/events.def) — exit status and
// whether it is the expected one, its output's size and digest, its system
// calls and page faults, their latency before, during and after the updates
// (p50/p99/max cycles of the sampled calls), the calls of its threads that
// a mediator held (CALL_RELEASED of a thread the program started) and for
// how long, and the kill report's signal and place when it was killed.
#include <algorithm>
#include <map>
#include <set>

#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

enum : uint32_t {
  kStart = 0x0600, kEnd = 0x0601, kThread = 0x0602, kSyscall = 0x0603, kFault = 0x0604, kKilled = 0x0605,
  kCallReleased = 0x2021,
};

json latency(std::vector<uint64_t> v) {
  if (v.empty()) return {{"count", 0}, {"p50_cycles", nullptr}, {"p99_cycles", nullptr}, {"max_cycles", nullptr}};
  uint64_t mx = *std::max_element(v.begin(), v.end());
  size_t n = v.size();
  uint64_t p50 = percentile(v, 0.50), p99 = percentile(std::move(v), 0.99);
  return {{"count", n}, {"p50_cycles", p50}, {"p99_cycles", p99}, {"max_cycles", mx}};
}

// The windows of report.json's coherence and vm sections.
struct Windows {
  uint64_t first = 0, last = 0;
  bool updates = false;
  int of(uint64_t ns) const { return !updates || ns < first ? 0 : ns < last ? 1 : 2; }
};

json by_window(const std::vector<uint64_t> (&w)[3], bool updates) {
  if (!updates) return {{"before", latency(w[0])}, {"during", nullptr}, {"after", nullptr}};
  return {{"before", latency(w[0])}, {"during", latency(w[1])}, {"after", latency(w[2])}};
}

}  // namespace

json programs_section(const Ctx& c, const UpdateBounds& b) {
  const scenario::Scenario& s = *c.run.scenario;
  if (s.programs.empty()) return nullptr;
  Windows win{b.first_requested_ns, b.last_done_ns, b.have_updates};
  const size_t n = s.programs.size();
  struct Acc {
    const Event* start = nullptr;
    const Event* end = nullptr;
    const Event* killed = nullptr;
    std::set<uint64_t> threads;
    std::vector<uint64_t> calls[3], faults[3];
    uint64_t held = 0, held_cycles = 0, held_max = 0, refused_faults = 0;
  };
  std::vector<Acc> acc(n);
  std::map<uint64_t, size_t> thread_owner;  // kernel thread id -> program
  for (const Event& e : *c.run.events) {
    if (e.id < kStart || e.id > kKilled) {
      if (e.id == kCallReleased) {
        auto it = thread_owner.find(e.args[2]);
        if (it == thread_owner.end()) continue;
        Acc& a = acc[it->second];
        ++a.held;
        a.held_cycles += e.args[3];
        a.held_max = std::max(a.held_max, e.args[3]);
      }
      continue;
    }
    if (e.args[0] >= n) continue;
    Acc& a = acc[e.args[0]];
    const int w = win.of(c.ns(e.cycles));
    switch (e.id) {
      case kStart: a.start = &e; break;
      case kEnd: a.end = &e; break;
      case kKilled: a.killed = &e; break;
      case kThread:
        a.threads.insert(e.args[1]);
        thread_owner[e.args[1]] = e.args[0];
        break;
      case kSyscall: a.calls[w].push_back(e.args[2]); break;
      case kFault:
        if (e.args[4]) ++a.refused_faults;
        else a.faults[w].push_back(e.args[2]);
        break;
      default: break;
    }
  }
  json out = json::array();
  for (size_t i = 0; i < n; ++i) {
    const scenario::Program& p = s.programs[i];
    const Acc& a = acc[i];
    json j;
    j["name"] = p.name;
    j["from"] = p.as_written;
    j["cpu"] = p.cpu;
    j["start_ns"] = a.start ? json(c.ns(a.start->cycles)) : json(nullptr);
    j["end_ns"] = a.end ? json(c.ns(a.end->cycles)) : json(nullptr);
    j["finished"] = a.end != nullptr;
    j["exit_status"] = a.end ? json(a.end->args[1]) : json(nullptr);
    j["expected_exit"] = p.expect_exit;
    j["as_expected"] = a.end && a.end->args[1] == uint64_t(p.expect_exit);
    j["threads"] = a.threads.size();
    j["system_calls"] = a.end ? json(a.end->args[2]) : json(nullptr);
    j["page_faults"] = a.end ? json(a.end->args[3]) : json(nullptr);
    j["output_bytes"] = a.end ? json(a.end->args[4]) : json(nullptr);
    // 52 bits: exact as a JSON number, so checks can compare two programs' digests.
    j["output_digest"] = a.end ? json(a.end->args[5] & ((uint64_t(1) << 52) - 1)) : json(nullptr);
    j["syscall_sample"] = p.sample;
    j["syscall_latency"] = by_window(a.calls, b.have_updates);
    j["fault_latency"] = by_window(a.faults, b.have_updates);
    j["faults_refused"] = a.refused_faults;
    j["held_calls"] = {{"count", a.held}, {"total_cycles", a.held_cycles}, {"max_cycles", a.held ? json(a.held_max) : json(nullptr)}};
    if (a.killed)
      j["killed"] = {{"signal", a.killed->args[1]}, {"pc", a.killed->args[2]}, {"address", a.killed->args[3]}};
    else
      j["killed"] = nullptr;
    out.push_back(j);
  }
  return out;
}

}  // namespace dusim::report
