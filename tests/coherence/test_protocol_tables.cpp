// The protocol tables themselves: complete, described, and saying what the
// textbook says for the classic cases.
#include <gtest/gtest.h>

#include "cache_coherence/protocol.h"

namespace dusim::coherence {
namespace {

constexpr State kStates[] = {State::I, State::S, State::E, State::O, State::M};

bool is_snoop(Event e) { return e >= Event::BusRd && e != Event::Icbi; }

class TableTest : public ::testing::TestWithParam<Protocol> {
 protected:
  const ProtocolTable& table() const { return ProtocolTable::of(GetParam()); }
};

TEST_P(TableTest, EveryStateAndEventIsDescribed) {
  for (State s : kStates) {
    EXPECT_FALSE(table().state_info(s).name.empty());
    EXPECT_GT(table().state_info(s).description.size(), 5u) << to_string(s);
  }
  for (unsigned e = 0; e < kNumEvents; ++e) {
    const Described& d = event_info(Event(e));
    EXPECT_FALSE(d.name.empty());
    EXPECT_GT(d.description.size(), 5u) << d.name;
  }
}

TEST_P(TableTest, EveryCellIsWrittenWithAReason) {
  for (State s : kStates) {
    for (unsigned e = 0; e < kNumEvents; ++e) {
      const Transition& t = table().cell(s, Event(e));
      EXPECT_FALSE(t.why.empty()) << to_string(s) << "," << to_string(Event(e));
      if (t.kind == CellKind::Normal) {
        EXPECT_TRUE(table().has_state(t.next)) << "next state outside the protocol";
      }
    }
  }
}

TEST_P(TableTest, UnreachableExactlyForStatesOutsideTheProtocol) {
  for (State s : kStates) {
    const bool in_protocol = GetParam() == Protocol::MOESI || s != State::O;
    EXPECT_EQ(table().has_state(s), in_protocol);
    for (unsigned e = 0; e < kNumEvents; ++e) {
      EXPECT_EQ(table().cell(s, Event(e)).kind == CellKind::Unreachable, !in_protocol);
    }
  }
}

TEST_P(TableTest, IllegalAndUnreachableCellsThrowWhenFired) {
  unsigned illegal = 0;
  for (State s : kStates) {
    for (unsigned e = 0; e < kNumEvents; ++e) {
      if (table().cell(s, Event(e)).kind != CellKind::Normal) {
        ++illegal;
        EXPECT_THROW(table().fire(s, Event(e)), ProtocolError);
      } else {
        EXPECT_NO_THROW(table().fire(s, Event(e)));
      }
    }
  }
  EXPECT_GT(illegal, 0u);
  // Specific impossibilities are explicit.
  EXPECT_EQ(table().cell(State::I, Event::Evict).kind, CellKind::Illegal);
  EXPECT_EQ(table().cell(State::M, Event::BusUpgr).kind, CellKind::Illegal);
  EXPECT_EQ(table().cell(State::E, Event::BusUpgr).kind, CellKind::Illegal);
  EXPECT_EQ(table().cell(State::M, Event::Fetch).kind, CellKind::Illegal);
}

TEST_P(TableTest, StructuralRules) {
  for (State s : kStates) {
    if (!table().has_state(s)) continue;
    for (unsigned ev = 0; ev < kNumEvents; ++ev) {
      const Event e = Event(ev);
      const Transition& t = table().cell(s, e);
      if (t.kind != CellKind::Normal) continue;
      if (is_snoop(e) || e == Event::Icbi) {
        EXPECT_EQ(t.actions & ~Actions(kSupplyData | kWriteback), 0) << "snoop cells only supply/write back";
      } else {
        EXPECT_FALSE(t.actions & kSupplyData) << "requesters never supply";
      }
      if (t.actions & kWriteback) {
        EXPECT_TRUE(is_dirty(s)) << "only dirty lines write back";
      }
      if (is_dirty(s) && t.next == State::I && e != Event::BusRdX && e != Event::BusZero &&
          e != Event::BusUpgr) {
        EXPECT_TRUE(t.actions & kWriteback) << to_string(s) << "," << to_string(e) << " loses dirty data";
      }
      if (e == Event::Evict) {
        EXPECT_EQ(t.next, State::I);
      }
      if (e == Event::Store || e == Event::Dcbz) {
        EXPECT_EQ(t.next, State::M);
        EXPECT_TRUE(t.actions & kNewVersion);
      }
      if (e == Event::BusRdX || e == Event::BusUpgr || e == Event::BusZero || e == Event::BusFlush ||
          e == Event::Icbi) {
        EXPECT_EQ(t.next, State::I) << "writers and flushes leave no other copy";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, TableTest, ::testing::Values(Protocol::MESI, Protocol::MOESI),
                         [](const auto& info) { return std::string(to_string(info.param)); });

void expect_cell(const ProtocolTable& t, State s, Event e, State next, Actions actions) {
  const Transition& c = t.cell(s, e);
  EXPECT_EQ(c.kind, CellKind::Normal) << t.name() << " " << to_string(s) << "," << to_string(e);
  EXPECT_EQ(c.next, next) << t.name() << " " << to_string(s) << "," << to_string(e);
  EXPECT_EQ(c.actions, actions) << t.name() << " " << to_string(s) << "," << to_string(e) << ": got "
                                << describe_actions(c.actions) << ", want " << describe_actions(actions);
}

TEST(Mesi, TextbookTransitions) {
  const ProtocolTable& t = ProtocolTable::mesi();
  expect_cell(t, State::I, Event::Load, State::S, kIssueBusRd | kExclusiveIfAlone);
  expect_cell(t, State::I, Event::Store, State::M, kIssueBusRdX | kNewVersion);
  expect_cell(t, State::S, Event::Store, State::M, kIssueBusUpgr | kNewVersion);
  expect_cell(t, State::E, Event::Store, State::M, kNewVersion);  // silent upgrade
  expect_cell(t, State::M, Event::Store, State::M, kHit | kNewVersion);
  expect_cell(t, State::S, Event::Evict, State::I, kNone);
  expect_cell(t, State::E, Event::Evict, State::I, kNone);
  expect_cell(t, State::M, Event::Evict, State::I, kWriteback);
  expect_cell(t, State::E, Event::BusRd, State::S, kNone);
  // MESI has no owner state: a dirty line seen by a reader is written back.
  expect_cell(t, State::M, Event::BusRd, State::S, kSupplyData | kWriteback);
  expect_cell(t, State::M, Event::BusRdX, State::I, kSupplyData);
  expect_cell(t, State::S, Event::BusRdX, State::I, kNone);
  expect_cell(t, State::S, Event::BusUpgr, State::I, kNone);
  expect_cell(t, State::M, Event::Dcbf, State::I, kWriteback | kIssueBusFlush);
  expect_cell(t, State::M, Event::Dcbst, State::E, kWriteback | kIssueBusClean);
  expect_cell(t, State::M, Event::BusZero, State::I, kNone);
  expect_cell(t, State::I, Event::Dcbz, State::M, kIssueBusZero | kNewVersion);
}

TEST(Moesi, TextbookTransitions) {
  const ProtocolTable& t = ProtocolTable::moesi();
  // MOESI keeps the dirty data in the cache: supply without writeback.
  expect_cell(t, State::M, Event::BusRd, State::O, kSupplyData);
  expect_cell(t, State::O, Event::BusRd, State::O, kSupplyData);
  expect_cell(t, State::O, Event::BusRdX, State::I, kSupplyData);
  expect_cell(t, State::O, Event::BusUpgr, State::I, kNone);
  expect_cell(t, State::O, Event::Store, State::M, kIssueBusUpgr | kNewVersion);
  expect_cell(t, State::O, Event::Evict, State::I, kWriteback);
  expect_cell(t, State::O, Event::Dcbst, State::S, kWriteback | kIssueBusClean);
  expect_cell(t, State::O, Event::BusClean, State::S, kWriteback);
  expect_cell(t, State::S, Event::Evict, State::I, kNone);
  expect_cell(t, State::I, Event::Load, State::S, kIssueBusRd | kExclusiveIfAlone);
  expect_cell(t, State::E, Event::Store, State::M, kNewVersion);
}

TEST(ProtocolTableBuild, RejectsMissingAndDuplicateCells) {
  std::array<Described, kNumStates> states{};
  EXPECT_THROW(ProtocolTable(Protocol::MESI, "empty", states, {}), ProtocolError);
  EXPECT_THROW(ProtocolTable(Protocol::MESI, "dup", states,
                             {{State::I, Event::Load, CellKind::Normal, State::S, kNone, "a"},
                              {State::I, Event::Load, CellKind::Normal, State::S, kNone, "b"}}),
               ProtocolError);
}

TEST(ProtocolTableBuild, WithCellReplacesExactlyOneCell) {
  const ProtocolTable& base = ProtocolTable::mesi();
  ProtocolTable bug = base.with_cell(State::M, Event::BusRd, {CellKind::Normal, State::S, kSupplyData, "bug"},
                                     "MESI-bug");
  EXPECT_EQ(bug.name(), "MESI-bug");
  EXPECT_EQ(bug.cell(State::M, Event::BusRd).actions, kSupplyData);
  EXPECT_EQ(base.cell(State::M, Event::BusRd).actions, kSupplyData | kWriteback);
  EXPECT_EQ(bug.cell(State::S, Event::Store).actions, base.cell(State::S, Event::Store).actions);
}

}  // namespace
}  // namespace dusim::coherence
