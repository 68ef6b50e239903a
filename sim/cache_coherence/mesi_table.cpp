// MESI (Illinois-style, with dirty cache-to-cache transfer): the whole
// protocol is this one table. A dirty owner that sees a read supplies the
// line and writes it back, because S copies are clean by definition.
#include "cache_coherence/protocol.h"

namespace dusim::coherence {
namespace {

using enum State;
using enum Event;
using enum CellKind;

constexpr std::array<Described, kNumStates> kStates{{
    {"I", "invalid: no copy here"},
    {"S", "shared: clean copy, other caches may hold copies; read permission"},
    {"E", "exclusive: clean and the only copy; a store makes it M without the bus"},
    {"O", "not used by MESI"},
    {"M", "modified: dirty and the only copy; read and write permission"},
}};

}  // namespace

const ProtocolTable& ProtocolTable::mesi() {
  static const ProtocolTable table(Protocol::MESI, "MESI", kStates, {
    // state, event,    kind,     next, actions,                              why
    {I, Load,     Normal,  S, kIssueBusRd | kExclusiveIfAlone, "read miss: fill from a dirty owner or the memory side; E if no other cache has it"},
    {I, Fetch,    Normal,  S, kIssueBusRd,                     "fetch miss: fill; instruction copies are always S"},
    {I, Store,    Normal,  M, kIssueBusRdX | kNewVersion,      "write miss: read for ownership, all other copies drop"},
    {I, Evict,    Illegal, I, kNone,                           "only valid lines are chosen as victims"},
    {I, Dcbz,     Normal,  M, kIssueBusZero | kNewVersion,     "claim the line without reading it; all other copies drop"},
    {I, Dcbf,     Normal,  I, kIssueBusFlush,                  "no copy here, but another cache or the L2 may hold it dirty"},
    {I, Dcbst,    Normal,  I, kIssueBusClean,                  "no copy here, but another cache or the L2 may hold it dirty"},
    {I, BusRd,    Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, BusRdX,   Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, BusUpgr,  Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, BusZero,  Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, BusFlush, Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, BusClean, Normal,  I, kNone,                           "no copy: nothing to do"},
    {I, Icbi,     Normal,  I, kNone,                           "no copy: nothing to do"},

    {S, Load,     Normal,  S, kHit,                            "read hit"},
    {S, Fetch,    Normal,  S, kHit,                            "fetch hit"},
    {S, Store,    Normal,  M, kIssueBusUpgr | kNewVersion,     "upgrade: the data is current, only the other copies must drop"},
    {S, Evict,    Normal,  I, kNone,                           "clean: drop silently"},
    {S, Dcbz,     Normal,  M, kIssueBusZero | kNewVersion,     "claim the line; all other copies drop"},
    {S, Dcbf,     Normal,  I, kIssueBusFlush,                  "drop; the broadcast flushes the L2 copy"},
    {S, Dcbst,    Normal,  S, kIssueBusClean,                  "clean already; the broadcast cleans the L2 copy"},
    {S, BusRd,    Normal,  S, kNone,                           "another reader: the memory side supplies, stay shared"},
    {S, BusRdX,   Normal,  I, kNone,                           "another cache takes ownership: drop"},
    {S, BusUpgr,  Normal,  I, kNone,                           "another sharer takes ownership: drop"},
    {S, BusZero,  Normal,  I, kNone,                           "another CPU zeroes the line: drop"},
    {S, BusFlush, Normal,  I, kNone,                           "flushed by another CPU: drop"},
    {S, BusClean, Normal,  S, kNone,                           "clean already"},
    {S, Icbi,     Normal,  I, kNone,                           "instruction copy invalidated"},

    {E, Load,     Normal,  E, kHit,                            "read hit"},
    {E, Fetch,    Illegal, E, kNone,                           "instruction copies are never E"},
    {E, Store,    Normal,  M, kNewVersion,                     "only copy: becomes dirty without the bus"},
    {E, Evict,    Normal,  I, kNone,                           "clean: drop silently"},
    {E, Dcbz,     Normal,  M, kNewVersion,                     "only copy: zeroed in place without the bus"},
    {E, Dcbf,     Normal,  I, kIssueBusFlush,                  "drop; the broadcast flushes the L2 copy"},
    {E, Dcbst,    Normal,  E, kIssueBusClean,                  "clean already; the broadcast cleans the L2 copy"},
    {E, BusRd,    Normal,  S, kNone,                           "another reader: the memory side supplies, now shared"},
    {E, BusRdX,   Normal,  I, kNone,                           "another cache takes ownership: drop"},
    {E, BusUpgr,  Illegal, I, kNone,                           "an upgrader holds S, which cannot coexist with E"},
    {E, BusZero,  Normal,  I, kNone,                           "another CPU zeroes the line: drop"},
    {E, BusFlush, Normal,  I, kNone,                           "flushed by another CPU: drop"},
    {E, BusClean, Normal,  E, kNone,                           "clean already"},
    {E, Icbi,     Illegal, I, kNone,                           "instruction copies are never E"},

    {O, Load,     Unreachable, I, kNone, "MESI has no O"},
    {O, Fetch,    Unreachable, I, kNone, "MESI has no O"},
    {O, Store,    Unreachable, I, kNone, "MESI has no O"},
    {O, Evict,    Unreachable, I, kNone, "MESI has no O"},
    {O, Dcbz,     Unreachable, I, kNone, "MESI has no O"},
    {O, Dcbf,     Unreachable, I, kNone, "MESI has no O"},
    {O, Dcbst,    Unreachable, I, kNone, "MESI has no O"},
    {O, BusRd,    Unreachable, I, kNone, "MESI has no O"},
    {O, BusRdX,   Unreachable, I, kNone, "MESI has no O"},
    {O, BusUpgr,  Unreachable, I, kNone, "MESI has no O"},
    {O, BusZero,  Unreachable, I, kNone, "MESI has no O"},
    {O, BusFlush, Unreachable, I, kNone, "MESI has no O"},
    {O, BusClean, Unreachable, I, kNone, "MESI has no O"},
    {O, Icbi,     Unreachable, I, kNone, "MESI has no O"},

    {M, Load,     Normal,  M, kHit,                            "read hit"},
    {M, Fetch,    Illegal, M, kNone,                           "instruction copies are never M"},
    {M, Store,    Normal,  M, kHit | kNewVersion,              "write hit"},
    {M, Evict,    Normal,  I, kWriteback,                      "dirty victim: write back to the L2"},
    {M, Dcbz,     Normal,  M, kHit | kNewVersion,              "zeroed in place"},
    {M, Dcbf,     Normal,  I, kWriteback | kIssueBusFlush,     "write back and drop; the broadcast reaches the L2"},
    {M, Dcbst,    Normal,  E, kWriteback | kIssueBusClean,     "write back; still the only copy, now clean"},
    {M, BusRd,    Normal,  S, kSupplyData | kWriteback,        "send the line to the reader and write it back: S copies must be clean"},
    {M, BusRdX,   Normal,  I, kSupplyData,                     "dirty data and ownership pass to the requester, no writeback"},
    {M, BusUpgr,  Illegal, I, kNone,                           "an upgrader holds S, which cannot coexist with M"},
    {M, BusZero,  Normal,  I, kNone,                           "another CPU zeroes the line: the old data is dead, no writeback"},
    {M, BusFlush, Normal,  I, kWriteback,                      "flushed by another CPU: write back and drop"},
    {M, BusClean, Normal,  E, kWriteback,                      "cleaned by another CPU: write back, still the only copy"},
    {M, Icbi,     Illegal, I, kNone,                           "instruction copies are never M"},
  });
  return table;
}

}  // namespace dusim::coherence
