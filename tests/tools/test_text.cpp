// How the tool writes numbers and names for people: units and separators
// (report/units.h), "did you mean" (common/nearest.h), folder labels for
// overrides (scenario/overrides.h).
#include <gtest/gtest.h>

#include "common/nearest.h"
#include "report/units.h"
#include "scenario/overrides.h"
#include "scenario/run.h"

namespace {

using namespace dusim;

TEST(Units, DurationsTakeTheUnitThatSuitsThem) {
  EXPECT_EQ(report::duration(850), "850 ns");
  EXPECT_EQ(report::duration(1667), "1.67 µs");
  EXPECT_EQ(report::duration(163151), "163.2 µs");
  EXPECT_EQ(report::duration(3611531), "3.612 ms");
  EXPECT_EQ(report::duration(1'250'000'000), "1.250 s");
}

TEST(Units, TimesAreMicrosecondsWithSeparators) {
  EXPECT_EQ(report::time_us(3500000), "3,500.000 µs");
  EXPECT_EQ(report::time_us(7), "0.007 µs");
  EXPECT_EQ(report::thousands(1234567), "1,234,567");
  EXPECT_EQ(report::thousands(999), "999");
  EXPECT_EQ(report::fixed(-1234.5, 1), "-1,234.5");
  EXPECT_EQ(report::rate(22.3163), "22.3");
  EXPECT_EQ(report::rate(0.0317), "0.0317");
  EXPECT_EQ(report::rate(3214.53), "3,215");
}

TEST(Nearest, SuggestsACloseNameAndNothingFar) {
  std::vector<std::string> events{"OBJ_DOUBLE_ALLOC", "PAGE_ALLOC_CALL", "FCM_UNMAP"};
  EXPECT_EQ(tools::did_you_mean("PAGE_DOUBLE_ALLOC", events), " (did you mean OBJ_DOUBLE_ALLOC?)");
  EXPECT_EQ(tools::did_you_mean("fcm_unmap", events), " (did you mean FCM_UNMAP?)");  // case aside
  EXPECT_EQ(tools::did_you_mean("WORKLOAD_CALL", events), "");
  EXPECT_EQ(tools::nearest_name("cpu", {"cpus", "quantum", "protocol"}), "cpus");
  EXPECT_EQ(tools::nearest_name("prtocol", {"cpus", "quantum", "protocol"}), "protocol");
}

TEST(OverrideLabels, MakeSafeFolderNames) {
  EXPECT_EQ(scenario::override_label("machine.cpus", "8"), "cpus-8");
  EXPECT_EQ(scenario::override_label("seed", "3"), "seed-3");  // no dot in the key
  EXPECT_EQ(scenario::override_label("kernel", "/a/b/k.elf"), "kernel-k.elf");
  EXPECT_EQ(scenario::override_label("workloads.0.hold", "a b/../c"), "hold-c");
  EXPECT_EQ(scenario::override_label("caches.protocol", "MO SI"), "protocol-MO-SI");
}

TEST(OverrideLabels, ARunWithOverridesGetsItsOwnFolder) {
  EXPECT_EQ(scenario::default_output_folder("alloc", {}), "out/alloc");
  EXPECT_EQ(scenario::default_output_folder("alloc", {"machine.cpus=8", "seed=3"}), "out/alloc--cpus-8_seed-3");
}

}  // namespace
