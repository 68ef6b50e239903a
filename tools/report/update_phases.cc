#include "report/update_phases.h"

#include <algorithm>
#include <map>
#include <set>

#include "report/phase_style.h"
#include "report/units.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

std::vector<PhaseSpan> phases_in_time_order(const json& phases) {
  std::vector<PhaseSpan> out;
  for (const json& p : phases) {
    PhaseSpan s{p["name"].get<std::string>(), p["cpu"].get<unsigned>(), p["object"].get<uint64_t>(),
                p["start_ns"].get<uint64_t>(), p["end_ns"].get<uint64_t>(), false};
    s.envelope = phase_style(s.name).envelope;
    out.push_back(s);
  }
  std::stable_sort(out.begin(), out.end(), [](const PhaseSpan& a, const PhaseSpan& b) {
    return a.start_ns != b.start_ns ? a.start_ns < b.start_ns : a.ns() > b.ns();
  });
  return out;
}

std::vector<ObjectSwap> object_swaps(const json& phases) {
  // Per object, in time order: INTERPOSE opens a swap, the next steps extend
  // it, DESTROY closes it. A step with no swap open is not part of one (a
  // class update destroys its old factory on its own, at the very end).
  std::map<uint64_t, std::vector<PhaseSpan>> by_object;
  for (const PhaseSpan& p : phases_in_time_order(phases))
    if (phase_style(p.name).swap_step) by_object[p.object].push_back(p);
  std::vector<ObjectSwap> out;
  for (const auto& [obj, steps] : by_object) {
    bool open = false;
    for (const PhaseSpan& p : steps) {
      if (p.name == "INTERPOSE") {
        if (open) open = false;  // an earlier swap that never reached DESTROY ends where it is
        out.push_back({obj, p.cpu, p.start_ns, p.end_ns});
        open = true;
      } else if (open) {
        out.back().end_ns = std::max(out.back().end_ns, p.end_ns);
        if (p.name == "DESTROY") open = false;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const ObjectSwap& a, const ObjectSwap& b) { return a.start_ns < b.start_ns; });
  return out;
}

EnvelopeContents contents_of(const PhaseSpan& env, const std::vector<ObjectSwap>& swaps) {
  EnvelopeContents c;
  for (const ObjectSwap& s : swaps)
    if (s.start_ns >= env.start_ns && s.start_ns <= env.end_ns) ++c.swaps, c.longest_ns = std::max(c.longest_ns, s.ns());
  return c;
}

std::string envelope_label(const PhaseSpan& env, const std::vector<ObjectSwap>& swaps) {
  EnvelopeContents c = contents_of(env, swaps);
  std::string what = std::string("envelope: ") + phase_style(env.name).role;
  if (c.swaps == 0) return what;
  std::set<unsigned> cpus;
  for (const ObjectSwap& s : swaps)
    if (s.start_ns >= env.start_ns && s.start_ns <= env.end_ns) cpus.insert(s.cpu);
  std::string count = env.name == "INSTANCE_SWAPS" ? std::to_string(c.swaps) + " instance swap" + (c.swaps == 1 ? "" : "s")
                                                   : std::to_string(c.swaps) + " object swap" + (c.swaps == 1 ? "" : "s");
  std::string on = cpus.size() > 1 ? " on " + std::to_string(cpus.size()) + " CPUs" : "";
  return what + ", " + count + on + ", longest single swap " + duration(c.longest_ns);
}

}  // namespace dusim::report
