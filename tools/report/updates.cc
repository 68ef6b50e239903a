// updates[] of report.json: each update's status, latency, phases, blocked
// calls and transfers, from the update events carrying its sequence number.
#include <algorithm>
#include <optional>

#include "report/report_parts.h"
#include "report/update_phases.h"
#include "report/update_events.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

enum class Status { NotReceived, Received, Loaded, Applied, Aborted, Rejected };
const char* const kStatusNames[] = {"not_received", "received", "loaded", "applied", "aborted", "rejected"};

// What one update's events add up to.
struct Tally {
  Status status = Status::NotReceived;
  uint64_t completed_ns = 0;
  std::optional<uint64_t> reason_code;
  json phases = json::array();
  std::vector<uint64_t> blocked_ns;
  uint64_t transfers = 0, transfer_bytes = 0, objects_swapped = 0, factories_swapped = 0;
  json version_check, factory;
  json unloaded = json::array();
  std::vector<uint64_t> converted_ns;  // a lazy class update's conversions
  std::optional<uint64_t> lazy_armed, lazy_done_ns;
};

// The module's arrival and the update's end.
bool add_lifecycle(const UpdateEvents& k, const Event& e, uint64_t t, Tally& u) {
  if (k.received.is(e)) {
    if (u.status == Status::NotReceived) u.status = Status::Received;
  } else if (k.loaded.is(e)) {
    if (u.status == Status::NotReceived || u.status == Status::Received) u.status = Status::Loaded;
  } else if (k.applied.is(e)) {
    u.status = Status::Applied, u.completed_ns = t, u.reason_code = 0;
    u.objects_swapped = k.objects_swapped(e), u.factories_swapped = k.factories_swapped(e);
  } else if (k.aborted.is(e)) {
    u.status = Status::Aborted, u.completed_ns = t, u.reason_code = k.aborted_reason(e);
  } else if (k.rejected.is(e)) {
    u.status = Status::Rejected, u.completed_ns = t, u.reason_code = k.rejected_reason(e);
  } else {
    return false;
  }
  return true;
}

// What happened while the update ran.
void add_mechanism(const Ctx& c, const UpdateEvents& k, const Event& e, uint64_t t, Tally& u) {
  if (k.released.is(e)) {
    u.blocked_ns.push_back(c.ns(k.blocked_cycles(e)));
  } else if (k.transfer.is(e)) {
    ++u.transfers;
    u.transfer_bytes += k.transfer_bytes(e);
  } else if (k.factory_swap.is(e)) {
    u.factory = {{"old_version", k.swap_old_version(e)}, {"new_version", k.swap_new_version(e)},
                 {"instances", k.swap_instances(e)}, {"at_ns", t}};
  } else if (k.version_check.is(e)) {
    u.version_check = {{"running", k.check_running(e)}, {"new", k.check_new(e)}, {"accepted", k.check_accepted(e) != 0}};
  } else if (k.lazy_converted.is(e)) {
    u.converted_ns.push_back(t);
  } else if (k.lazy_done.is(e)) {
    u.lazy_armed = k.lazy_armed(e), u.lazy_done_ns = t;
  } else if (k.unloaded.is(e)) {
    u.unloaded.push_back({{"module_seq", k.unloaded_module(e)}, {"bytes", k.unloaded_bytes(e)}, {"at_ns", t}});
  }
}

Tally tally(const Ctx& c, uint64_t seq) {
  const UpdateEvents& k = update_events();
  Tally u;
  PhasePairer pairer;
  for (const Event& e : *c.run.events) {
    if (k.seq_of(e) != seq) continue;
    uint64_t t = c.ns(e.cycles);
    if (add_lifecycle(k, e, t, u)) continue;
    if (std::optional<PhaseSlice> p = pairer.feed(e))
      u.phases.push_back({{"name", std::string(phase_name(p->phase))}, {"cpu", p->cpu}, {"object", p->object},
                          {"start_ns", c.ns(p->start_cycles)}, {"end_ns", t}});
    else
      add_mechanism(c, k, e, t, u);
  }
  return u;
}

json stats_of(const std::vector<uint64_t>& v) {
  uint64_t mx = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
  return json{{"count", v.size()}, {"max_ns", mx}, {"p50_ns", percentile(v, 0.50)}, {"p99_ns", percentile(v, 0.99)}};
}

// Each object's hot swap on its own (INTERPOSE .. DESTROY).
json swaps_of(const json& phases) {
  std::vector<uint64_t> d;
  for (const ObjectSwap& sw : object_swaps(phases)) d.push_back(sw.ns());
  return {{"count", d.size()}, {"max_ns", d.empty() ? 0 : *std::max_element(d.begin(), d.end())}, {"p50_ns", percentile(d, 0.5)}};
}

// The name of the update the mailbox delivered as `seq`, or null.
json update_named(const scenario::Scenario& s, uint64_t seq) {
  for (size_t k = 0; k < s.updates.size(); ++k)
    if (scenario::delivery_seq(s, k) == seq) return s.updates[k].name;
  return nullptr;
}

json update_json(const scenario::Scenario& s, const scenario::Update& u, Tally t) {
  json j;
  j["name"] = u.name;
  j["module"] = u.module_as_written;  // not the resolved path: the report does not depend on the checkout
  j["action"] = scenario::to_name(scenario::kActions, u.action);
  j["target"] = u.target >= 0 ? json(s.updates[size_t(u.target)].name) : json(nullptr);
  j["expected"] = scenario::to_name(scenario::kExpects, u.expect);
  j["requested_ns"] = u.at_ns;
  if (t.reason_code) j["reason_code"] = *t.reason_code;
  bool done = t.completed_ns != 0;
  j["status"] = kStatusNames[int(t.status)];
  j["completed_ns"] = done ? json(t.completed_ns) : json(nullptr);
  j["latency_ns"] = done ? json(t.completed_ns - std::min(t.completed_ns, u.at_ns)) : json(nullptr);
  j["phases"] = t.phases;
  j["blocked_calls"] = stats_of(t.blocked_ns);
  j["swaps"] = swaps_of(t.phases);
  j["state_transfers"] = {{"count", t.transfers}, {"bytes", t.transfer_bytes}};
  j["objects_swapped"] = t.objects_swapped;
  j["factories_swapped"] = t.factories_swapped;
  if (!t.version_check.is_null()) j["version_check"] = t.version_check;
  if (!t.factory.is_null()) j["factory_swap"] = t.factory;
  for (json& m : t.unloaded) m["module"] = update_named(s, m["module_seq"].get<uint64_t>());
  j["modules_unloaded"] = t.unloaded;
  if (!t.converted_ns.empty() || t.lazy_done_ns) {
    const std::vector<uint64_t>& c = t.converted_ns;  // in time order
    auto at = [&](double q) { return c.empty() ? json(nullptr) : json(c[std::min(c.size() - 1, size_t(q * double(c.size())))]); };
    j["lazy"] = {{"armed", t.lazy_armed ? json(*t.lazy_armed) : json(nullptr)}, {"converted", c.size()},
                 {"first_ns", at(0)}, {"p50_ns", at(0.5)}, {"last_ns", c.empty() ? json(nullptr) : json(c.back())},
                 {"done_ns", t.lazy_done_ns ? json(*t.lazy_done_ns) : json(nullptr)}};
  }
  return j;
}

}  // namespace

json updates_section(const Ctx& c, UpdateBounds& bounds) {
  const auto& ups = c.run.scenario->updates;
  std::vector<size_t> order(ups.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ups[a].at_ns < ups[b].at_ns; });

  bounds = {!ups.empty(), ups.empty() ? 0 : c.run.end_ns, 0, std::vector<UpdateBounds::One>(ups.size())};
  json out = json::array();
  for (size_t n = 0; n < order.size(); ++n) {
    const scenario::Update& u = ups[order[n]];
    Tally t = tally(c, n + 1);  // sequence numbers follow the mailbox's delivery order
    out.push_back(update_json(*c.run.scenario, u, t));
    bounds.each[order[n]] = {u.at_ns, t.completed_ns != 0 ? std::optional<uint64_t>(t.completed_ns) : std::nullopt};
    bounds.first_requested_ns = std::min(bounds.first_requested_ns, u.at_ns);
    bounds.last_done_ns = std::max(bounds.last_done_ns, t.completed_ns != 0 ? t.completed_ns : c.run.end_ns);
  }
  return out;
}

}  // namespace dusim::report
