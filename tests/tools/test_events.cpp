// Events read by argument name (report/event_args.h, update_events.h) and
// the scenario's name tables (scenario/scenario.h).
#include <gtest/gtest.h>

#include <stdexcept>

#include "report/update_events.h"
#include "scenario/scenario.h"

namespace {

using namespace dusim;
using namespace dusim::report;

// An event of kind `name` with the named arguments set (the rest 0), placed
// by the catalog so the test does not know the positions either.
Event make(const char* name, std::initializer_list<std::pair<const char*, uint64_t>> args, uint64_t cycles, uint32_t cpu) {
  const EventInfo* info = event_by_name(name);
  Event e{cycles, cpu, info->id, {}};
  for (auto [arg, v] : args) e.args[arg_index(*info, arg)] = v;
  return e;
}

TEST(EventKind, AnEventOrArgumentTheCatalogLacksIsAnError) {
  EXPECT_THROW(EventKind("NO_SUCH_EVENT"), std::logic_error);
  EXPECT_THROW(EventKind("CALL_RELEASED").arg("no_such_argument"), std::logic_error);
}

TEST(EventKind, ReadsTheArgumentOfThatName) {
  Event e = make("CALL_RELEASED", {{"update_seq", 2}, {"object", 0x40}, {"thread_id", 9}, {"blocked_cycles", 1234}}, 10, 1);
  const UpdateEvents& k = update_events();
  EXPECT_TRUE(k.released.is(e));
  EXPECT_FALSE(k.applied.is(e));
  EXPECT_EQ(k.blocked_cycles(e), 1234u);
  EXPECT_EQ(k.released_thread(e), 9u);
  EXPECT_EQ(k.released_object(e), 0x40u);
  EXPECT_EQ(k.seq_of(e), std::optional<uint64_t>(2));
  EXPECT_EQ(k.seq_of(make("WORKLOAD_CALL", {{"workload_id", 2}}, 10, 1)), std::nullopt);
}

Event phase(const char* which, uint64_t seq, uint64_t ph, uint64_t object, uint64_t cycles, uint32_t cpu) {
  return make(which, {{"update_seq", seq}, {"phase", ph}, {"object", object}}, cycles, cpu);
}

TEST(PhasePairer, PairsEachEndWithTheLatestBeginOfTheSameUpdatePhaseObjectAndCpu) {
  PhasePairer p;
  EXPECT_FALSE(p.feed(phase("PHASE_BEGIN", 1, 4, 0x10, 100, 0)));
  EXPECT_FALSE(p.feed(phase("PHASE_BEGIN", 1, 4, 0x10, 105, 1)));  // another CPU
  EXPECT_FALSE(p.feed(phase("PHASE_BEGIN", 1, 4, 0x10, 110, 0)));  // a later begin on CPU 0 replaces the first
  EXPECT_FALSE(p.feed(phase("PHASE_END", 2, 4, 0x10, 120, 0)));    // another update: no begin
  EXPECT_FALSE(p.feed(phase("PHASE_END", 1, 5, 0x10, 120, 0)));    // another phase
  EXPECT_FALSE(p.feed(phase("PHASE_END", 1, 4, 0x20, 120, 0)));    // another object
  std::optional<PhaseSlice> s = p.feed(phase("PHASE_END", 1, 4, 0x10, 130, 0));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->seq, 1u);
  EXPECT_EQ(s->phase, 4u);
  EXPECT_EQ(s->object, 0x10u);
  EXPECT_EQ(s->cpu, 0u);
  EXPECT_EQ(s->start_cycles, 110u);
  EXPECT_EQ(s->end_cycles, 130u);
  EXPECT_FALSE(p.feed(phase("PHASE_END", 1, 4, 0x10, 140, 0)));  // used up
  s = p.feed(phase("PHASE_END", 1, 4, 0x10, 150, 1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->start_cycles, 105u);
  EXPECT_FALSE(p.feed(make("WORKLOAD_CALL", {}, 160, 0)));
}

TEST(EnumNames, EveryNameReadsBackAsItsValue) {
  using namespace dusim::scenario;
  for (const auto& n : kMetricOps) EXPECT_EQ(to_name(kMetricOps, *from_name(kMetricOps, n.name)), n.name);
  for (const auto& n : kWindows) EXPECT_EQ(to_name(kWindows, *from_name(kWindows, n.name)), n.name);
  for (const auto& n : kExpects) EXPECT_EQ(to_name(kExpects, *from_name(kExpects, n.name)), n.name);
  for (const auto& n : kOutputs) EXPECT_EQ(to_name(kOutputs, *from_name(kOutputs, n.name)), n.name);
  EXPECT_EQ(from_name(kWindows, "Before"), std::nullopt);
  EXPECT_EQ(from_name(kMetricOps, ""), std::nullopt);
  EXPECT_EQ(names_of(kWindows, " or "), "before, during, after or all");
  EXPECT_EQ(names_of(kOutputs), "report.json, trace.json, report.html");
}

}  // namespace
