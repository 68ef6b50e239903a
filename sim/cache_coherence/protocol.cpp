#include "cache_coherence/protocol.h"

#include <string>

namespace dusim::coherence {
namespace {

constexpr std::array<Described, kNumEvents> kEvents{{
    {"Load", "this CPU loads from the line (L1D)"},
    {"Fetch", "this CPU fetches instructions from the line (L1I)"},
    {"Store", "this CPU stores to the line (store, stwcx.)"},
    {"Evict", "replacement chose this line as the victim to make room for a fill"},
    {"Dcbz", "this CPU's dcbz: establish the line zeroed without reading the old data"},
    {"Dcbf", "this CPU's dcbf: flush the line from all caches, dirty data to memory"},
    {"Dcbst", "this CPU's dcbst: write dirty data to memory, copies stay valid"},
    {"BusRd", "snooped: another cache reads the line (load or instruction-fetch miss)"},
    {"BusRdX", "snooped: another cache reads the line to own it (store miss)"},
    {"BusUpgr", "snooped: another cache holding S or O claims ownership, no data moves"},
    {"BusZero", "snooped: another CPU's dcbz claims the line; the old data is dead"},
    {"BusFlush", "snooped: another CPU's dcbf; dirty data to memory, drop the copy"},
    {"BusClean", "snooped: another CPU's dcbst; dirty data to memory, keep the copy"},
    {"Icbi", "icbi by any CPU: drop the line from every instruction cache"},
}};

constexpr std::array<std::string_view, 11> kActionNames{
    "Hit",          "IssueBusRd", "IssueBusRdX", "IssueBusUpgr", "IssueBusZero", "IssueBusFlush",
    "IssueBusClean", "ExclusiveIfAlone", "SupplyData", "Writeback", "NewVersion"};

}  // namespace

ProtocolTable::ProtocolTable(Protocol protocol, std::string_view name,
                             std::array<Described, kNumStates> states,
                             std::initializer_list<TableRow> rows)
    : protocol_(protocol), name_(name), states_(states) {
  std::array<std::array<bool, kNumEvents>, kNumStates> seen{};
  for (const TableRow& r : rows) {
    bool& s = seen[idx(r.state)][idx(r.event)];
    if (s) {
      throw ProtocolError(std::string(name) + ": cell (" + std::string(to_string(r.state)) + ", " +
                          std::string(to_string(r.event)) + ") written twice");
    }
    s = true;
    cells_[idx(r.state)][idx(r.event)] = Transition{r.kind, r.next, r.actions, r.why};
  }
  for (unsigned st = 0; st < kNumStates; ++st) {
    for (unsigned ev = 0; ev < kNumEvents; ++ev) {
      if (!seen[st][ev]) {
        throw ProtocolError(std::string(name) + ": cell (" +
                            std::string(to_string(static_cast<State>(st))) + ", " +
                            std::string(to_string(static_cast<Event>(ev))) + ") missing");
      }
    }
  }
}

const Transition& ProtocolTable::fire(State s, Event e) const {
  const Transition& t = cells_[idx(s)][idx(e)];
  if (t.kind != CellKind::Normal) [[unlikely]] {
    throw ProtocolError(std::string(name_) + ": " +
                        (t.kind == CellKind::Illegal ? "illegal" : "unreachable") + " cell (" +
                        std::string(to_string(s)) + ", " + std::string(to_string(e)) +
                        ") reached: " + std::string(t.why));
  }
  return t;
}

ProtocolTable ProtocolTable::with_cell(State s, Event e, Transition t,
                                       std::string_view new_name) const {
  ProtocolTable copy = *this;
  copy.cells_[idx(s)][idx(e)] = t;
  copy.name_ = new_name;
  return copy;
}

const Described& event_info(Event e) { return kEvents[static_cast<unsigned>(e)]; }

std::string_view to_string(State s) {
  static constexpr std::array<std::string_view, kNumStates> names{"I", "S", "E", "O", "M"};
  return names[static_cast<unsigned>(s)];
}

std::string_view to_string(Event e) { return kEvents[static_cast<unsigned>(e)].name; }

std::string describe_actions(Actions a) {
  std::string out;
  for (unsigned bit = 0; bit < kActionNames.size(); ++bit) {
    if (a & (1u << bit)) {
      if (!out.empty()) out += '|';
      out += kActionNames[bit];
    }
  }
  return out.empty() ? "None" : out;
}

}  // namespace dusim::coherence
