// Report paths (report/report_paths.h): the declared keys match what the
// builders write, and a check naming what the report will not have is
// refused before the run, with the nearest name.
#include <gtest/gtest.h>

#include <set>

#include "report/report_paths.h"
#include "synthetic_run.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;

// Every leaf of `j` as the declarations write it: [] for list elements,
// {name} under metrics and where.
void leaves(const json& j, const std::string& at, std::set<std::string>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [k, v] : j.items()) {
      bool named = at == "metrics" || at == "metric_definitions" || (at.size() > 6 && at.compare(at.size() - 6, 6, ".where") == 0);
      leaves(v, at.empty() ? k : at + "." + (named ? std::string("{name}") : k), out);
    }
  } else if (j.is_array() && !j.empty() && (j[0].is_object() || j[0].is_array())) {
    for (const json& e : j) leaves(e, at + "[]", out);
  } else if (j.is_array() && !j.empty()) {
    out.insert(at + "[]");
  } else {
    out.insert(at);
  }
}

json synthetic_report() {
  static fixture::SyntheticRun r;
  json rep = report::build_report(r.run);
  return rep;
}

TEST(ReportPaths, TheDeclaredKeysAreExactlyTheOnesTheBuildersWrite) {
  json rep = synthetic_report();
  rep.erase("checks");  // written after the checks run: not for checks
  rep.erase("host");
  rep["machine"]["overrides"] = {"machine.cpus=4"};
  rep["metric_definitions"]["calls_after"]["where"] = {{"class_version", 1}};
  std::set<std::string> built;
  leaves(rep, "", built);
  std::vector<std::string> declared_list = report::declared_leaf_paths();
  std::set<std::string> declared(declared_list.begin(), declared_list.end());
  for (const std::string& p : built) EXPECT_TRUE(declared.count(p)) << "written but not declared: " << p;
  for (const std::string& p : declared) EXPECT_TRUE(built.count(p)) << "declared but not written: " << p;
}

TEST(ReportPaths, LooksUpListElementsByIndexOrName) {
  json rep = synthetic_report();
  ASSERT_NE(report::lookup_path(rep, "updates[fix].latency_ns"), nullptr);
  EXPECT_EQ(*report::lookup_path(rep, "updates[fix].latency_ns"), 1000);
  EXPECT_EQ(*report::lookup_path(rep, "updates[0].status"), "applied");
  EXPECT_EQ(*report::lookup_path(rep, "objects[lock].c2c_transfers"), 3);
  EXPECT_EQ(report::lookup_path(rep, "updates[nope].status"), nullptr);
  EXPECT_EQ(report::lookup_path(rep, "updates[1].status"), nullptr);
  EXPECT_EQ(report::lookup_path(rep, "updates..status"), nullptr);
}

std::string problem(const std::string& path) {
  static fixture::SyntheticRun r;
  return report::unknown_report_path(path, r.s);
}

TEST(ReportPaths, WhatAScenarioWillReportIsAccepted) {
  for (const char* p : {"metrics.calls_after", "updates[0].blocked_calls.max_ns", "updates[fix].swaps.count", "objects[3].misses",
                        "objects[lock].stall_cycles", "coherence.during.per_us.c2c_transfers", "coherence.after.per_cpu[3].misses",
                        "machine.cpus", "run.outcome", "updates[0].phases[2].start_ns"})
    EXPECT_EQ(problem(p), "") << p;
}

TEST(ReportPaths, WhatItWillNotReportIsRefusedWithTheNearestName) {
  EXPECT_NE(problem("metrics.calls_aftr").find("no metric 'calls_aftr' (did you mean calls_after?)"), std::string::npos)
      << problem("metrics.calls_aftr");
  EXPECT_NE(problem("updates[1].status").find("has 1 update"), std::string::npos) << problem("updates[1].status");
  EXPECT_NE(problem("updates[fx].status").find("no update 'fx' (did you mean fix?)"), std::string::npos) << problem("updates[fx].status");
  EXPECT_NE(problem("updates[0].latncy_ns").find("did you mean latency_ns?"), std::string::npos) << problem("updates[0].latncy_ns");
  EXPECT_NE(problem("coherence.before.per_cpu[4].misses").find("4 CPUs"), std::string::npos);
  EXPECT_NE(problem("coherence.durin.total.misses").find("did you mean during?"), std::string::npos);
  EXPECT_NE(problem("updates[0].blocked_calls").find("is a section"), std::string::npos);
  EXPECT_NE(problem("checks[0].passed").find("not available to checks"), std::string::npos);
  EXPECT_NE(problem("host.mips").find("not available to checks"), std::string::npos);
  EXPECT_NE(problem("updates.status").find("is a list"), std::string::npos);
  EXPECT_NE(problem("metricz.x").find("did you mean metrics?"), std::string::npos) << problem("metricz.x");
}

TEST(ReportPaths, SaysWhatAValueMeans) {
  json rep = synthetic_report();
  EXPECT_EQ(report::report_path_meaning("updates[0].latency_ns", rep),
            "update fix: time from the module's delivery to the update's end (ns)");
  EXPECT_NE(report::report_path_meaning("metrics.calls_after", rep).find("number of WORKLOAD_CALL events"), std::string::npos);
  EXPECT_NE(report::report_path_meaning("metrics.calls_after", rep).find("after the last update ended"), std::string::npos);
}

}  // namespace
