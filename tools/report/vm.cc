// vm of report.json (present only when the guest ran with mmu=on, i.e. its
// log has MMU_ON): the guest's virtual-memory work before, during and after
// the updates, from its events — page faults (count, latency p50/p99 in
// cycles, per CPU), HPTE inserts and removes, the CPUs each removal asked to
// invalidate, the IPIs and tlbies it took — in total and per object (the
// FCMs' FCM_UNMAP events carry their object) — and, when the machine
// recorded its own MMU events (mmu.trace_events: true), the TLB's side: walks
// after misses per CPU, their cycles and PTE reads, tlbies and their arrivals.
#include <algorithm>
#include <map>

#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

// Event ids and argument positions (guest_os/include/dusim/events.def).
enum : uint32_t {
  kMmuOn = 0x0403, kFaultEnd = 0x0405, kHpteInsert = 0x0406, kHpteRemove = 0x0407, kFcmUnmap = 0x1001,
  kTlbieIssued = 0x0408, kTlbieReceived = 0x0409, kTlbMiss = 0x040a,
};

// The machine's TLB events of one window, counted as window() meets them.
struct TlbWindow {
  std::vector<uint64_t> walks_per_cpu, removed_per_cpu;
  uint64_t cycles = 0, reads = 0, faulting = 0, restarts = 0, tlbies = 0, arrivals = 0;
  explicit TlbWindow(unsigned cpus) : walks_per_cpu(cpus, 0), removed_per_cpu(cpus, 0) {}
  void add(const Event& e) {
    if (e.id == kTlbMiss) {
      if (e.cpu < walks_per_cpu.size()) ++walks_per_cpu[e.cpu];
      faulting += e.args[1] ? 0 : 1;
      cycles += e.args[2];
      reads += e.args[3];
      restarts += e.args[4];
    } else if (e.id == kTlbieIssued) {
      ++tlbies;
    } else {
      ++arrivals;
      if (e.cpu < removed_per_cpu.size()) removed_per_cpu[e.cpu] += e.args[2];
    }
  }
  // Null when the machine recorded no TLB events at all (mmu.trace_events off).
  json to_json(bool recorded) const {
    if (!recorded) return nullptr;
    uint64_t walks = 0;
    for (uint64_t m : walks_per_cpu) walks += m;
    return {{"walks", walks},
            {"walks_per_cpu", walks_per_cpu},
            {"walks_without_pte", faulting},
            {"walk_cycles", cycles},
            {"walk_cycles_mean", walks ? json(double(cycles) / double(walks)) : json(nullptr)},
            {"pte_reads", reads},
            {"walk_restarts", restarts},
            {"tlbies", tlbies},
            {"tlbie_arrivals", arrivals},
            {"tlb_entries_removed_per_cpu", removed_per_cpu}};
  }
};

json window(const Ctx& c, uint64_t from, uint64_t to, bool tlb_recorded) {
  std::vector<uint64_t> lat;
  std::vector<uint64_t> faults_per_cpu(c.m.cpus, 0);
  uint64_t inserts = 0, removes = 0, removes_found = 0, cpus_asked = 0, ipis = 0, tlbies = 0, refused = 0;
  struct Obj {
    uint64_t unmaps = 0, ipis = 0, tlbies = 0;
  };
  std::map<uint64_t, Obj> per_object;
  TlbWindow tlb(c.m.cpus);
  for (const Event& e : *c.run.events) {
    uint64_t t = c.ns(e.cycles);
    if (t < from || t >= to) continue;
    switch (e.id) {
      case kFaultEnd:
        if (e.args[2] != 0) {
          ++refused;
          break;
        }
        lat.push_back(e.args[1]);
        if (e.cpu < faults_per_cpu.size()) ++faults_per_cpu[e.cpu];
        break;
      case kHpteInsert: ++inserts; break;
      case kHpteRemove:
        ++removes;
        removes_found += e.args[2] ? 1 : 0;
        cpus_asked += uint64_t(__builtin_popcountll(e.args[3]));
        ipis += e.args[4];
        break;
      case kFcmUnmap: {
        Obj& o = per_object[e.args[0]];
        ++o.unmaps;
        o.ipis += e.args[2];
        o.tlbies += e.args[5];
        tlbies += e.args[5];
        break;
      }
      case kTlbMiss:
      case kTlbieIssued:
      case kTlbieReceived: tlb.add(e); break;
      default: break;
    }
  }
  json objects = json::array();
  for (const auto& [obj, o] : per_object)
    objects.push_back({{"object", obj}, {"unmaps", o.unmaps}, {"ipis", o.ipis}, {"tlbies", o.tlbies}});
  json pf = {{"count", lat.size()},
             {"refused", refused},
             {"latency_p50_cycles", lat.empty() ? json(nullptr) : json(percentile(lat, 0.50))},
             {"latency_p99_cycles", lat.empty() ? json(nullptr) : json(percentile(lat, 0.99))},
             {"per_cpu", faults_per_cpu}};
  return {{"start_ns", from},
          {"end_ns", to},
          {"page_faults", pf},
          {"hpte_inserts", inserts},
          {"hpte_removes", removes},
          {"hpte_removes_found", removes_found},
          {"shootdown_cpus_asked", cpus_asked},
          {"shootdown_ipis", ipis},
          {"fcm_tlbies", tlbies},
          {"fcm_objects", objects},
          {"tlb", tlb.to_json(tlb_recorded)}};
}

}  // namespace

json vm_section(const Ctx& c, const UpdateBounds& b) {
  auto on = std::find_if(c.run.events->begin(), c.run.events->end(), [](const Event& e) { return e.id == kMmuOn; });
  if (on == c.run.events->end()) return nullptr;
  const uint64_t end = c.run.end_ns + 1;
  const bool tlb = std::any_of(c.run.events->begin(), c.run.events->end(), [](const Event& e) {
    return e.id == kTlbMiss || e.id == kTlbieReceived;
  });
  json j = {{"hpt_bytes", on->args[1]}, {"tlbi", on->args[2] ? "ipi" : "tlbie"}, {"tlb_events", tlb}};
  if (!b.have_updates) {
    j["before"] = window(c, 0, end, tlb);
  } else {
    j["before"] = window(c, 0, b.first_requested_ns, tlb);
    j["during"] = window(c, b.first_requested_ns, b.last_done_ns, tlb);
    j["after"] = window(c, b.last_done_ns, end, tlb);
  }
  return j;
}

}  // namespace dusim::report
