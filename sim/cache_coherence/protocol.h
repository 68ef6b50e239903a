// Coherence protocols as data: one transition table per protocol,
// (state x event) -> (next state, actions), in the manner of a gem5 SLICC
// machine but as a C++ table. The tables live in mesi_table.cpp and
// moesi_table.cpp; the engine that runs them is MemorySystem.
//
// The model is atomic: a bus transaction completes (snoops, data response,
// fill) before the next one starts, so there are no transient states. The
// same table governs L1D lines and L1I lines; an L1I line only ever holds I
// or S, and the cells that would put one elsewhere are marked Illegal.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cache_coherence/config.h"

namespace dusim::coherence {

enum class State : uint8_t { I, S, E, O, M };
inline constexpr unsigned kNumStates = 5;

enum class Event : uint8_t {
  // Requests from the cache's own CPU.
  Load,      // data load
  Fetch,     // instruction fetch (L1I lines only)
  Store,     // data store (also the store half of stwcx.)
  Evict,     // replacement chose this line as the victim
  Dcbz,      // dcbz: establish the line, zeroed, without reading it
  Dcbf,      // dcbf: flush the line from every cache, dirty data to memory
  Dcbst,     // dcbst: write dirty data to memory, keep the line
  // Transactions of other caches, seen on the bus.
  BusRd,     // another cache reads the line (load or fetch miss)
  BusRdX,    // another cache reads the line for ownership (store miss)
  BusUpgr,   // another cache, holding S or O, claims ownership (no data)
  BusZero,   // another CPU's dcbz claims the line (no data; old data is dead)
  BusFlush,  // another CPU's dcbf
  BusClean,  // another CPU's dcbst
  Icbi,      // icbi from any CPU: invalidate the line in every L1I
};
inline constexpr unsigned kNumEvents = 14;

// What the engine does when a cell fires, as bit flags.
enum Action : uint16_t {
  kNone = 0,
  kHit = 1u << 0,               // served from this cache, no bus transaction
  kIssueBusRd = 1u << 1,        // put BusRd on the bus, fill the line from the responder
  kIssueBusRdX = 1u << 2,       // put BusRdX on the bus, fill the line from the responder
  kIssueBusUpgr = 1u << 3,      // put BusUpgr on the bus (other copies invalidate)
  kIssueBusZero = 1u << 4,      // put BusZero on the bus (other copies invalidate)
  kIssueBusFlush = 1u << 5,     // put BusFlush on the bus, and flush the L2 copy to memory
  kIssueBusClean = 1u << 6,     // put BusClean on the bus, and clean the L2 copy to memory
  kExclusiveIfAlone = 1u << 7,  // after the fill: take E instead of S if no other cache kept a copy
  kSupplyData = 1u << 8,        // snooper: send the line to the requester (cache-to-cache)
  kWriteback = 1u << 9,         // write this cache's dirty data to the memory side (L2)
  kNewVersion = 1u << 10,       // the line now holds a newly written version of the data
};
using Actions = uint16_t;

// Why a cell is there. Normal cells fire; the others make the protocol's
// impossibilities explicit and stop the simulation if they are ever reached.
enum class CellKind : uint8_t {
  Normal,
  Illegal,      // the state exists but this event cannot happen in it
  Unreachable,  // the protocol has no such state (O in MESI)
};

struct Transition {
  CellKind kind = CellKind::Illegal;
  State next = State::I;
  Actions actions = kNone;
  std::string_view why;  // one line: what happens and why
};

// One row as written in a table source file.
struct TableRow {
  State state;
  Event event;
  CellKind kind;
  State next;
  Actions actions;
  std::string_view why;
};

struct Described {
  std::string_view name;
  std::string_view description;
};

// Thrown when the engine reaches an Illegal/Unreachable cell or finds the
// caches in a state the protocol forbids. Always on, also in release builds.
struct ProtocolError : std::logic_error {
  using std::logic_error::logic_error;
};

class ProtocolTable {
 public:
  // Builds the table from rows; every (state, event) pair must appear
  // exactly once. Throws ProtocolError otherwise.
  ProtocolTable(Protocol protocol, std::string_view name,
                std::array<Described, kNumStates> states, std::initializer_list<TableRow> rows);

  static const ProtocolTable& mesi();
  static const ProtocolTable& moesi();
  static const ProtocolTable& of(Protocol p) { return p == Protocol::MESI ? mesi() : moesi(); }

  // The cell for (state, event); throws ProtocolError unless it is Normal.
  const Transition& fire(State s, Event e) const;
  // The cell as written, whatever its kind (for tests and documentation).
  const Transition& cell(State s, Event e) const { return cells_[idx(s)][idx(e)]; }

  Protocol protocol() const { return protocol_; }
  std::string_view name() const { return name_; }
  const Described& state_info(State s) const { return states_[idx(s)]; }
  bool has_state(State s) const { return cell(s, Event::Load).kind != CellKind::Unreachable; }

  // Tests only: a copy of a table with one cell replaced, to show that the
  // random tester notices a protocol bug.
  ProtocolTable with_cell(State s, Event e, Transition t, std::string_view new_name) const;

 private:
  static constexpr unsigned idx(State s) { return static_cast<unsigned>(s); }
  static constexpr unsigned idx(Event e) { return static_cast<unsigned>(e); }

  Protocol protocol_;
  std::string_view name_;
  std::array<Described, kNumStates> states_;
  std::array<std::array<Transition, kNumEvents>, kNumStates> cells_;
};

// Names and descriptions shared by both protocols.
const Described& event_info(Event e);
std::string_view to_string(State s);
std::string_view to_string(Event e);
std::string describe_actions(Actions a);  // "IssueBusRd|ExclusiveIfAlone"

inline bool is_dirty(State s) { return s == State::M || s == State::O; }
inline bool is_valid(State s) { return s != State::I; }

}  // namespace dusim::coherence
