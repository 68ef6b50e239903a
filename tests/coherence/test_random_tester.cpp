// The random coherence tester: a million operations per protocol across 2
// to 64 CPUs and all replacement policies (20x that with
// DUSIM_COHERENCE_LONG=1), and proof that it fails on a broken protocol.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ostream>
#include <string>

#include "random_tester.h"

namespace dusim::coherence {
// Found by argument-dependent lookup when gtest names parameterized tests.
void PrintTo(Protocol p, std::ostream* os) { *os << to_string(p); }
}  // namespace dusim::coherence

namespace dusim::coherence::testing {
namespace {

struct Case {
  unsigned cpus;
  Replacement replacement;
  uint64_t operations;
};

// Sums to 1,000,000 operations per protocol.
constexpr Case kCases[] = {
    {2, Replacement::LRU, 150'000},     {3, Replacement::Random, 100'000},
    {4, Replacement::TreePLRU, 150'000}, {8, Replacement::LRU, 200'000},
    {16, Replacement::Random, 200'000},  {64, Replacement::TreePLRU, 200'000},
};

// Short names in test listings instead of gtest's byte dumps.
void PrintTo(const Case& c, std::ostream* os) { *os << c.cpus << " CPUs, " << to_string(c.replacement); }

uint64_t scale() {
  const char* v = std::getenv("DUSIM_COHERENCE_LONG");
  return v && std::string(v) == "1" ? 20 : 1;
}

TEST(RandomTesterSuite, RunsAMillionOperationsPerProtocol) {
  uint64_t total = 0;
  for (const Case& c : kCases) total += c.operations;
  EXPECT_GE(total, 1'000'000u);
}

using Param = std::tuple<Protocol, Case>;

class RandomCoherence : public ::testing::TestWithParam<Param> {};

TEST_P(RandomCoherence, EveryCheckHolds) {
  const auto [protocol, c] = GetParam();
  TesterConfig cfg;
  cfg.hierarchy = TesterConfig::small_hierarchy(c.cpus, protocol, c.replacement);
  cfg.operations = c.operations * scale();
  cfg.seed = 1000 * c.cpus + unsigned(protocol);
  const TesterResult r = run_random_test(cfg);
  EXPECT_TRUE(r.ok) << r.failure;
  EXPECT_EQ(r.operations, cfg.operations);
  std::cout << "[ tester   ] " << to_string(protocol) << " " << c.cpus << " CPUs: " << summary(r) << "\n";
  // The run exercised what it claims to.
  EXPECT_GT(r.stwcx_ok, 0u);
  EXPECT_GT(r.stwcx_failed, 0u);
  EXPECT_GT(r.fast_loads, 0u);
  EXPECT_GT(r.fast_stores, 0u);
  EXPECT_GT(r.c2c_transfers, 0u);
  EXPECT_GT(r.invalidations, 0u);
  EXPECT_GT(r.writebacks, 0u);
}

std::string case_name(const ::testing::TestParamInfo<Param>& info) {
  const auto& [protocol, c] = info.param;
  std::string repl(to_string(c.replacement));
  for (char& ch : repl) ch = ch == '-' ? '_' : ch;
  return std::string(to_string(protocol)) + "_" + std::to_string(c.cpus) + "cpus_" + repl;
}

INSTANTIATE_TEST_SUITE_P(Tester, RandomCoherence,
                         ::testing::Combine(::testing::Values(Protocol::MESI, Protocol::MOESI),
                                            ::testing::ValuesIn(kCases)),
                         case_name);

// The tester must be able to fail: each table below has one wrong cell.
struct Bug {
  const char* name;
  Protocol base;
  State state;
  Event event;
  Transition wrong;
};

const Bug kBugs[] = {
    {"MesiForgetsWritebackOnBusRdOfM", Protocol::MESI, State::M, Event::BusRd,
     {CellKind::Normal, State::S, kSupplyData, "bug: no writeback"}},
    {"MesiDirtyOwnerDoesNotSupplyOnBusRdX", Protocol::MESI, State::M, Event::BusRdX,
     {CellKind::Normal, State::I, kNone, "bug: dirty data dropped"}},
    {"MesiLoadMissAlwaysExclusive", Protocol::MESI, State::I, Event::Load,
     {CellKind::Normal, State::E, kIssueBusRd, "bug: E despite sharers"}},
    {"MesiEvictsMWithoutWriteback", Protocol::MESI, State::M, Event::Evict,
     {CellKind::Normal, State::I, kNone, "bug: dirty victim dropped"}},
    {"MoesiSharerSurvivesUpgrade", Protocol::MOESI, State::S, Event::BusUpgr,
     {CellKind::Normal, State::S, kNone, "bug: stale sharer"}},
    {"MoesiOwnerEvictedWithoutWriteback", Protocol::MOESI, State::O, Event::Evict,
     {CellKind::Normal, State::I, kNone, "bug: owner leaves silently"}},
    {"MoesiOwnerIgnoresFlush", Protocol::MOESI, State::O, Event::BusFlush,
     {CellKind::Normal, State::O, kNone, "bug: dcbf misses the owner"}},
};

void PrintTo(const Bug& b, std::ostream* os) { *os << b.name; }

class InjectedBug : public ::testing::TestWithParam<Bug> {};

TEST_P(InjectedBug, TesterCatchesIt) {
  const Bug& b = GetParam();
  const ProtocolTable broken = ProtocolTable::of(b.base).with_cell(b.state, b.event, b.wrong, b.name);
  TesterConfig cfg;
  cfg.hierarchy = TesterConfig::small_hierarchy(8, b.base);
  cfg.operations = 200'000;
  const TesterResult r = run_random_test(cfg, &broken);
  EXPECT_FALSE(r.ok) << "a protocol with a wrong cell passed " << r.operations << " operations";
  EXPECT_LT(r.operations, 20'000u) << "caught, but late";
  std::cout << "[ caught   ] " << b.name << ": " << r.failure << "\n";
}

INSTANTIATE_TEST_SUITE_P(Tester, InjectedBug, ::testing::ValuesIn(kBugs),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dusim::coherence::testing
