// The terminal summary (report/summary.cc) of a class update with 50
// instance swaps: phases in time order, envelopes said to be envelopes with
// their instance count and longest single swap, times with separators and
// units, coherence per µs, a failed check as "expected X, got Y".
#include <gtest/gtest.h>

#include "report/report_builder.h"
#include "synthetic_run.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;

json ph(const char* name, unsigned cpu, uint64_t object, uint64_t start, uint64_t end) {
  return {{"name", name}, {"cpu", cpu}, {"object", object}, {"start_ns", start}, {"end_ns", end}};
}

json class_update_report() {
  static fixture::SyntheticRun r;
  json rep = report::build_report(r.run);
  json p = json::array();
  p.push_back(ph("LOAD", 0, 0, 3'087'534, 3'519'023));
  p.push_back(ph("INIT", 0, 0, 3'519'652, 6'610'773));
  p.push_back(ph("INSTANCE_SWAPS", 0, 1, 3'574'535, 6'609'030));
  // 50 instances, 60 µs apart, on CPUs 0-3: each a short BLOCK inside a
  // swap of 20 µs, the 10th one 35 µs.
  for (uint64_t k = 0; k < 50; ++k) {
    uint64_t t = 3'600'000 + k * 60'000, len = k == 10 ? 35'000 : 20'000;
    unsigned cpu = unsigned(k % 4);
    p.push_back(ph("INTERPOSE", cpu, 100 + k, t, t + 300));
    p.push_back(ph("BLOCK", cpu, 100 + k, t + 1'000, t + 1'000 + (k == 7 ? 1'700 : 400)));
    p.push_back(ph("DESTROY", cpu, 100 + k, t + len - 500, t + len));
  }
  rep["updates"][0]["phases"] = p;
  rep["checks"].push_back({{"name", "the fixed class never does"}, {"passed", false}, {"detail", "x"},
                           {"expected", "metrics.calls_after == 0"}, {"actual", "3"},
                           {"meaning", "number of WORKLOAD_CALL events, after the last update ended"}});
  return rep;
}

size_t at(const std::string& s, const std::string& what) {
  size_t p = s.find(what);
  EXPECT_NE(p, std::string::npos) << "the summary has no '" << what << "':\n" << s;
  return p;
}

TEST(Summary, PhasesInTimeOrderWithSeparatorsAndUnits) {
  std::string s = report::build_summary(class_update_report());
  size_t load = at(s, "3,087.534 µs"), init = at(s, "3,519.652 µs"), swaps = at(s, "3,574.535 µs"), interpose = at(s, "3,600.000 µs"),
         block = at(s, "3,601.000 µs");
  EXPECT_LT(load, init);  // by start, not by name (BLOCK would come first)
  EXPECT_LT(init, swaps);
  EXPECT_LT(swaps, interpose);
  EXPECT_LT(interpose, block);
  at(s, "431.5 µs");  // LOAD's duration in the unit that suits it
  at(s, "3.091 ms");  // INIT's
}

TEST(Summary, AnEnvelopeIsLabelledWithWhatItHolds) {
  std::string s = report::build_summary(class_update_report());
  at(s, "INSTANCE_SWAPS envelope: every instance's hot swap, 50 instance swaps on 4 CPUs, longest single swap 35.0 µs");
  // The 50 BLOCK phases are one line: how many, and the longest single one
  // (not the 3 ms from the first to the last).
  at(s, "BLOCK          ×50 on 4 CPUs, median 400 ns, longest 1.70 µs");
}

TEST(Summary, CoherenceAsRatesPerMicrosecond) {
  std::string s = report::build_summary(class_update_report());
  at(s, "coherence per µs");
  // The synthetic run: after the update (2 .. 10 µs) the 4 CPUs miss 1,200
  // times: 150 per µs.
  size_t after = at(s, "after   2.0 – 10.0 µs");
  std::string line = s.substr(after, s.find('\n', after) - after);
  EXPECT_NE(line.find(" 150 "), std::string::npos) << line;
  EXPECT_EQ(line.find("1,200"), std::string::npos) << line;
}

TEST(Summary, AFailedCheckSaysWhatWasExpectedAndWhatCame) {
  std::string s = report::build_summary(class_update_report());
  at(s, "[FAIL] the fixed class never does: expected metrics.calls_after == 0, got 3");
  at(s, "(metrics.calls_after: number of WORKLOAD_CALL events, after the last update ended)");
}

TEST(Summary, VerboseListsEveryPhaseAndWhatEachMetricIs) {
  std::string s = report::build_summary(class_update_report(), {true, false});
  size_t n = 0;
  for (size_t p = s.find("BLOCK"); p != std::string::npos; p = s.find("BLOCK", p + 1)) ++n;
  EXPECT_EQ(n, 50u);
  at(s, "number of WORKLOAD_CALL events");
  at(s, "cpu 0");
}

TEST(Summary, ColoursOnlyWhenAsked) {
  EXPECT_EQ(report::build_summary(class_update_report()).find("\033["), std::string::npos);
  at(report::build_summary(class_update_report(), {false, true}), "\033[38;2;");
}

}  // namespace
