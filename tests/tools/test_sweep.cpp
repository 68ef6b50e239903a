// Sweep plans and tables (sweep/plan.h, table.h): --vary read strictly,
// variant names for keys with and without dots, plan hashing (any input
// changes it, the same inputs give the same plan), tidy columns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "sweep/plan.h"
#include "sweep/summary.h"
#include "sweep/table.h"

namespace {

using namespace dusim;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::string error_of(const std::vector<std::string>& vary) {
  try {
    sweep::parse_axes(vary);
  } catch (const tools::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepPlan, ATypoInAKeyIsAnInputErrorThatNamesTheKey) {
  EXPECT_NE(error_of({"cpu=1,2"}).find("unknown key 'cpu' (did you mean cpus?)"), std::string::npos) << error_of({"cpu=1,2"});
  EXPECT_NE(error_of({"cpus="}).find("expected KEY=V1,V2"), std::string::npos);
  EXPECT_NE(error_of({"cpus=1,,2"}).find("an empty value"), std::string::npos);
  EXPECT_NE(error_of({"cpus=1", "machine.cpus=2"}).find("varied twice"), std::string::npos);
  EXPECT_EQ(error_of({"seed=1,2", "machine.quantum_cycles=100"}), "");
}

TEST(SweepPlan, VariantsAreNamedForKeysWithAndWithoutDots) {
  auto axes = sweep::parse_axes({"seed=1,2", "quantum=100,1000"});
  auto v = sweep::variants_of(axes);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "seed-1_quantum_cycles-100");
  EXPECT_EQ(v[3].name, "seed-2_quantum_cycles-1000");
}

// A plan with the given axes and fixed overrides, as make_plan builds it
// (without loading a scenario).
sweep::Plan plan_of(const std::vector<std::string>& vary, const std::vector<std::string>& fixed) {
  sweep::Plan p;
  p.axes = sweep::parse_axes(vary);
  p.overrides = fixed;
  p.updates = {"fix", "revert"};
  p.metrics = {"m", "p50_ns"};
  p.units = {"events", "ns"};
  for (const sweep::Variant& v : sweep::variants_of(p.axes)) p.variants.push_back({v, {}, 7, "/tmp/" + v.name, "h", {}});
  return p;
}

TEST(SweepTable, TidyColumnsEveryUpdateAndUnitsInTheNames) {
  sweep::Plan p = plan_of({"cpus=2"}, {"machine.quantum_cycles=100", "machine.quantum_cycles=250"});
  json rep = {{"updates", json::array({{{"name", "fix"}, {"status", "applied"}, {"latency_ns", 10},
                                        {"blocked_calls", {{"count", 2}, {"max_ns", 5}}}},
                                       {{"name", "revert"}, {"status", "aborted"}, {"latency_ns", 20},
                                        {"blocked_calls", {{"count", 0}, {"max_ns", 0}}}}})},
              {"checks", json::array({{{"name", "a, \"quoted\" check"}, {"passed", false}, {"expected", "x > 0"}, {"actual", "0"}}})},
              {"metrics", {{"m", 3}, {"p50_ns", nullptr}}}};
  json row = sweep::variant_row(p, p.variants[0], 123, rep);
  EXPECT_EQ(sweep::csv_header(p),
            "variant,machine.cpus,seed,machine.quantum_cycles,exit_code,fix.status,fix.latency_ns,fix.blocked_calls,fix.blocked_max_ns,"
            "revert.status,revert.latency_ns,revert.blocked_calls,revert.blocked_max_ns,checks_passed,checks_total,m_events,p50_ns,"
            "wall_seconds\n");
  EXPECT_EQ(sweep::csv_line(p, row), "cpus-2,2,7,250,123,applied,10,2,5,aborted,20,0,0,0,1,3,,\n");
  EXPECT_EQ(row["failed_checks"][0]["name"], "a, \"quoted\" check");
  json missing = sweep::variant_row(p, p.variants[0], 126, nullptr);  // no report at all
  EXPECT_EQ(sweep::csv_line(p, missing), "cpus-2,2,7,250,126,,,,,,,,,0,0,,,\n");
}

TEST(SweepTable, AVariedSeedIsOneColumn) {
  sweep::Plan p = plan_of({"seed=1,2", "cpus=4"}, {});
  EXPECT_EQ(sweep::fixed_keys(p), std::vector<std::string>{});
  EXPECT_EQ(sweep::csv_header(p).substr(0, 30), "variant,seed,machine.cpus,exit");
}

TEST(SweepSummary, MeansAndStudentTIntervalsPerCombinationOfTheOtherKeys) {
  sweep::Plan p = plan_of({"cpus=2,4", "seed=1,2,3"}, {});
  p.updates = {};
  p.metrics = {"m"};
  p.units = {"events"};
  const json values[] = {1, 2, 3, 10, nullptr, 14};  // cpus=2: seeds 1-3; cpus=4: one without a value
  json rows = json::array();
  for (size_t k = 0; k < p.variants.size(); ++k)
    rows.push_back(sweep::variant_row(p, p.variants[k], 0, {{"metrics", {{"m", values[k]}}}}));
  json s = sweep::seed_summary(p, rows);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["keys"].dump(), R"({"machine.cpus":"2"})");
  const json& a = s[0]["quantities"][0];
  EXPECT_EQ(a["column"], "m_events");
  EXPECT_EQ(a["n"], 3);
  EXPECT_DOUBLE_EQ(a["mean"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(a["sd"].get<double>(), 1);
  EXPECT_NEAR(a["ci95_low"].get<double>(), 2 - 4.3027 / std::sqrt(3.0), 1e-6);  // t(0.975, 2) = 4.3027
  EXPECT_NEAR(a["ci95_high"].get<double>(), 2 + 4.3027 / std::sqrt(3.0), 1e-6);
  const json& b = s[1]["quantities"][0];
  EXPECT_EQ(b["n"], 2);
  EXPECT_DOUBLE_EQ(b["mean"].get<double>(), 12);
  EXPECT_NEAR(b["ci95_high"].get<double>(), 12 + 12.7062 * std::sqrt(8.0) / std::sqrt(2.0), 1e-6);  // t(0.975, 1) = 12.7062
  EXPECT_EQ(sweep::summary_csv(p, s).substr(0, 91),
            "machine.cpus,quantity,n,mean,sd,ci95_low,ci95_high\n2,m_events,3,2.0,1.0,-0.484165,4.484165\n");
  EXPECT_TRUE(sweep::seed_summary(plan_of({"cpus=2,4"}, {}), rows).empty());  // no seeds swept, no summary
}

// Plan hashing on a copy of the pipeline scenario, its module, config and a
// stand-in guest image in a temporary folder.
class SweepPlanHash : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dusim-plan-" + std::to_string(getpid()));
    fs::create_directories(dir_ / "modules");
    const fs::path src = fs::path(DUSIM_TEST_SOURCE_DIR) / "tests" / "pipeline";
    fs::copy_file(src / "modules" / "hello_module.cc", dir_ / "modules" / "hello_module.cc");
    fs::copy_file(fs::path(DUSIM_TEST_SOURCE_DIR) / "configs" / "power5-4cpu.yaml", dir_ / "machine.yaml");
    fs::copy_file(fs::path(DUSIM_TEST_SOURCE_DIR) / "configs" / "power5.yaml", dir_ / "power5.yaml");  // its base
    std::string yaml = read(src / "pipeline.yaml");
    yaml.replace(yaml.find("../../configs/power5-4cpu.yaml"), 30, "machine.yaml");
    write(dir_ / "s.yaml", yaml);
    write(dir_ / "kernel.elf", "a guest image");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string read(const fs::path& f) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void write(const fs::path& f, const std::string& text) { std::ofstream(f, std::ios::binary) << text; }
  void append(const fs::path& f, const std::string& text) { write(f, read(f) + text); }
  json plan(std::vector<std::string> sets = {}) {
    sweep::SweepOptions o;
    o.scenario = (dir_ / "s.yaml").string();
    o.out_dir = (dir_ / "out").string();
    o.vary = {"cpus=2,4"};
    o.overrides = {"kernel=" + (dir_ / "kernel.elf").string()};
    o.overrides.insert(o.overrides.end(), sets.begin(), sets.end());
    o.self = "/bin/dusim";
    return sweep::plan_json(sweep::make_plan(o));
  }
  static std::string hash(const json& plan, int k = 0) { return plan["variants"][k]["hash"].get<std::string>(); }
  fs::path dir_;
};

TEST_F(SweepPlanHash, TheSameInputsGiveTheSamePlan) {
  json a = plan(), b = plan();
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(hash(a).size(), 16u);
  EXPECT_NE(hash(a, 0), hash(a, 1));  // cpus=2 and cpus=4
  EXPECT_EQ(a["variants"][1]["seed"], 7);
  EXPECT_EQ(a["variants"][1]["dir"], (dir_ / "out" / "cpus-4").string());
  EXPECT_EQ(sweep::plan_json(sweep::read_plan_text(a.dump(), "plan.json")).dump(), a.dump());
}

TEST_F(SweepPlanHash, AChangeToAnyInputChangesTheHash) {
  const std::string before = hash(plan());
  append(dir_ / "modules" / "hello_module.cc", "// a comment\n");
  const std::string module = hash(plan());
  EXPECT_NE(module, before) << "module source";
  append(dir_ / "machine.yaml", "# a comment\n");
  const std::string config = hash(plan());
  EXPECT_NE(config, module) << "machine config";
  append(dir_ / "power5.yaml", "# a comment\n");
  const std::string base = hash(plan());
  EXPECT_NE(base, config) << "the machine config's base";
  append(dir_ / "kernel.elf", "!");
  const std::string kernel = hash(plan());
  EXPECT_NE(kernel, base) << "guest image";
  append(dir_ / "s.yaml", "# a comment\n");
  const std::string scenario = hash(plan());
  EXPECT_NE(scenario, kernel) << "scenario";
  EXPECT_NE(hash(plan({"seed=8"})), scenario) << "an override";
  EXPECT_EQ(hash(plan()), scenario);
}

TEST_F(SweepPlanHash, APlotOfAnUnknownMetricIsAnInputError) {
  sweep::SweepOptions o;
  o.scenario = (dir_ / "s.yaml").string();
  o.vary = {"cpus=2"};
  o.overrides = {"kernel=" + (dir_ / "kernel.elf").string()};  // the stand-in guest's workloads
  o.plot = {"calls_aftr"};
  try {
    sweep::make_plan(o);
    FAIL() << "no error";
  } catch (const tools::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--plot calls_aftr: the scenario has no metric 'calls_aftr' (did you mean calls_after?)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
