// A scenario metric over the event log (report/metrics.cc): which events each
// window takes, and each operation.
#include <gtest/gtest.h>

#include "report/event_args.h"
#include "report/report_parts.h"

namespace {

using namespace dusim;
using namespace dusim::report;
using scenario::MetricOp;
using scenario::Window;

struct Fixture {
  scenario::Scenario s;
  std::vector<Event> events;
  std::vector<Machine::TrafficSample> samples;
  RunData run;
  Fixture() {
    s.machine.clock_hz = 1'000'000'000;  // a cycle is a nanosecond
    run.scenario = &s;
    run.events = &events;
    run.samples = &samples;
  }
  // A WORKLOAD_CALL at t ns with this latency (cycles) for workload `id`.
  void call(uint64_t t, uint64_t latency, uint64_t id = 0) {
    EventKind k("WORKLOAD_CALL");
    Event e{t, 0, k.id(), {}};
    e.args[k.arg("latency_cycles").index] = latency;
    e.args[k.arg("workload_id").index] = id;
    events.push_back(e);
  }
  nlohmann::ordered_json value(MetricOp op, scenario::MetricWindow w, const UpdateBounds& b,
                               std::map<std::string, scenario::Metric::Match> where = {}, bool timed_start = false) {
    EventKind k("WORKLOAD_CALL");
    scenario::Metric m;
    m.op = op;
    m.event_id = k.id();
    m.arg_index = op == MetricOp::Count ? -1 : k.arg("latency_cycles").index;
    m.window = w;
    m.where = where;
    if (timed_start) m.start_arg = k.arg("latency_cycles").index;
    return metric_value(Ctx{run, s.machine}, m, b);
  }
};

TEST(MetricWindows, TheUpdatesBoundBeforeDuringAndAfter) {
  Fixture f;
  for (uint64_t t : {0, 99, 100, 150, 200, 201, 5000}) f.call(t, t);
  UpdateBounds b{true, 100, 200, {}};  // first requested at 100 ns, last done at 200 ns
  EXPECT_EQ(f.value(MetricOp::Count, Window::Before, b), 2);  // 0, 99
  EXPECT_EQ(f.value(MetricOp::Count, Window::During, b), 3);  // 100, 150, 200: both ends belong to the update
  EXPECT_EQ(f.value(MetricOp::Count, Window::After, b), 2);   // 201, 5000
  EXPECT_EQ(f.value(MetricOp::Count, Window::All, b), 7);
  EXPECT_EQ(f.value(MetricOp::Min, Window::During, b), 100);
  EXPECT_EQ(f.value(MetricOp::Max, Window::During, b), 200);
}

// timed: start — a call that began before the update and ended after it
// is not "after"; one emitted at 300 that took 250 cycles began at 50.
TEST(MetricWindows, TimedByStartPlacesACallWhereItBegan) {
  Fixture f;
  f.call(300, 250);   // began at 50: before
  f.call(400, 150);   // began at 250: after
  f.call(180, 100);   // began at 80: before (and ended during)
  f.call(30, 1000);   // a latency longer than its time: began at 0
  UpdateBounds b{true, 100, 200, {}};
  EXPECT_EQ(f.value(MetricOp::Count, Window::After, b), 2);           // by the event's time: 300, 400
  EXPECT_EQ(f.value(MetricOp::Count, Window::After, b, {}, true), 1);  // by its start: 250
  EXPECT_EQ(f.value(MetricOp::Count, Window::Before, b, {}, true), 3);
  EXPECT_EQ(f.value(MetricOp::Count, Window::During, b, {}, true), 0);
}

TEST(MetricWindows, AnUpdateRequestedAtZeroLeavesNothingBefore) {
  Fixture f;
  f.call(0, 1);
  f.call(10, 1);
  UpdateBounds b{true, 0, 5, {}};
  EXPECT_EQ(f.value(MetricOp::Count, Window::Before, b), 0);
  EXPECT_EQ(f.value(MetricOp::Count, Window::During, b), 1);
  EXPECT_EQ(f.value(MetricOp::Count, Window::After, b), 1);
}

TEST(MetricWindows, WithoutUpdatesTheWholeRunIsBefore) {
  Fixture f;
  for (uint64_t t : {0, 100, 200}) f.call(t, 1);
  UpdateBounds none;
  EXPECT_EQ(f.value(MetricOp::Count, Window::Before, none), 3);
  EXPECT_EQ(f.value(MetricOp::Count, Window::All, none), 3);
  EXPECT_EQ(f.value(MetricOp::Count, Window::During, none), 0);
  EXPECT_EQ(f.value(MetricOp::Count, Window::After, none), 0);
  EXPECT_TRUE(f.value(MetricOp::Max, Window::After, none).is_null());  // no value: null, not 0
}

// Two updates: "fix" delivered at 100 ns and done at 200, "revert"
// delivered at 1000 and done at 1100; a third never ends.
UpdateBounds two_updates() {
  UpdateBounds b{true, 100, 1100, {}};
  b.each = {{100, 200}, {1000, 1100}, {3000, std::nullopt}};
  return b;
}

scenario::MetricWindow relative(Window k, int a, int b = -1) {
  scenario::MetricWindow w(k);
  w.update = a, w.until = b;
  return w;
}

TEST(MetricWindows, PerUpdateBeforeAfterAndBetween) {
  Fixture f;
  for (uint64_t t : {0, 99, 100, 200, 201, 999, 1000, 1100, 1101, 5000}) f.call(t, t);
  UpdateBounds b = two_updates();
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::BeforeUpdate, 0), b), 2);    // 0, 99
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::BeforeUpdate, 1), b), 6);    // up to 999
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::AfterUpdate, 0), b), 6);     // 201 on
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::AfterUpdate, 1), b), 2);     // 1101, 5000
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::Between, 0, 1), b), 2);      // 201, 999: after fix ended, before revert came
  EXPECT_EQ(f.value(MetricOp::Min, relative(Window::Between, 0, 1), b), 201);
  EXPECT_EQ(f.value(MetricOp::Max, relative(Window::Between, 0, 1), b), 999);
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::Between, 1, 0), b), 0);      // the wrong way round: empty
  EXPECT_EQ(f.value(MetricOp::Count, relative(Window::AfterUpdate, 2), b), 0);     // never ended: nothing is after it
  EXPECT_TRUE(f.value(MetricOp::Max, relative(Window::AfterUpdate, 2), b).is_null());
}

TEST(MetricWindows, AnAbsoluteRangeIncludesItsStartNotItsEnd) {
  Fixture f;
  for (uint64_t t : {0, 99, 100, 200, 201, 999, 1000}) f.call(t, t);
  scenario::MetricWindow w(Window::Range);
  w.from_ns = 100, w.to_ns = 1000;
  EXPECT_EQ(f.value(MetricOp::Count, w, two_updates()), 4);  // 100, 200, 201, 999
  w.to_ns = ~uint64_t(0);                                    // from_ms alone: to the end
  EXPECT_EQ(f.value(MetricOp::Count, w, two_updates()), 5);
}

TEST(MetricOps, EachOperationOverTheMatchingValues) {
  Fixture f;
  for (uint64_t v = 1; v <= 10; ++v) f.call(v, v * 10, 1);  // workload 1: 10, 20, ..., 100
  f.call(11, 100000, 2);                                    // workload 2: filtered out below
  UpdateBounds none;
  std::map<std::string, scenario::Metric::Match> w1{{"workload_id", {EventKind("WORKLOAD_CALL").arg("workload_id").index, 1}}};
  EXPECT_EQ(f.value(MetricOp::Count, Window::All, none, w1), 10);
  EXPECT_EQ(f.value(MetricOp::Sum, Window::All, none, w1), 550);
  EXPECT_EQ(f.value(MetricOp::Mean, Window::All, none, w1), 55.0);
  EXPECT_EQ(f.value(MetricOp::Min, Window::All, none, w1), 10);
  EXPECT_EQ(f.value(MetricOp::Max, Window::All, none, w1), 100);
  EXPECT_EQ(f.value(MetricOp::P50, Window::All, none, w1), 50);   // the 5th of 10
  EXPECT_EQ(f.value(MetricOp::P99, Window::All, none, w1), 100);  // the 10th
  EXPECT_EQ(f.value(MetricOp::Max, Window::All, none), 100000);   // without `where`
}

}  // namespace

// dusim_scenario links the SystemC machine, whose library expects the
// program's sc_main; these tests elaborate no simulation (gtest_main is main).
int sc_main(int, char**) { return 0; }
