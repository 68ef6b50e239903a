// The parameter table (sim/platform/machine_params.def) and what it drives:
// every key is unique and its default lies in its range, every key reaches
// its member through `--set`, out-of-range and unknown values are refused
// naming the key, and configs/power5.yaml holds exactly the defaults.
#include <gtest/gtest.h>

#include <set>

#include "config/yaml_reader.h"
#include "platform/machine_config.h"

namespace dusim {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

// The field's value as a number (choices and text by position or length).
uint64_t as_number(const MachineParam::Field& f) {
  return std::visit(Overloaded{[](std::string* v) { return uint64_t(v->size()); },
                               [](auto* v) { return uint64_t(*v); }},
                    f);
}

// A value of the key other than its default, as `--set` would write it.
std::string other_value(const MachineParam& p, MachineConfig& cfg) {
  return std::visit(Overloaded{
                        [](std::string* v) { return *v + "x"; },
                        [](bool* v) { return std::string(*v ? "false" : "true"); },
                        [](coherence::Protocol* v) { return std::string(*v == coherence::Protocol::MESI ? "MOESI" : "MESI"); },
                        [](coherence::Replacement* v) {
                          return std::string(*v == coherence::Replacement::Random ? "lru" : "random");
                        },
                        [](SyncPolicy* v) { return std::string(*v == SyncPolicy::Ordered ? "quantum" : "ordered"); },
                        [&](auto* v) {
                          // Twice the default keeps every cache geometry whole sets.
                          uint64_t now = uint64_t(*v) / param::scale(p.unit);
                          return std::to_string(now && now * 2 <= p.max ? now * 2 : p.min);
                        },
                    },
                    p.field(cfg));
}

TEST(Params, KeysAreUniqueAndDefaultsInRange) {
  MachineConfig d;
  std::set<std::string> keys;
  ASSERT_FALSE(machine_params().empty());
  for (const MachineParam& p : machine_params()) {
    EXPECT_TRUE(keys.insert(p.key).second) << "duplicate key " << p.key;
    EXPECT_FALSE(p.description.empty()) << p.key;
    bool integer = std::visit(Overloaded{[](std::string*) { return false; }, [](bool*) { return false; },
                                         [](coherence::Protocol*) { return false; },
                                         [](coherence::Replacement*) { return false; },
                                         [](SyncPolicy*) { return false; }, [](auto*) { return true; }},
                              p.field(d));
    if (!integer) continue;
    uint64_t v = as_number(p.field(d)) / param::scale(p.unit);
    EXPECT_GE(v, p.min) << p.key;
    EXPECT_LE(v, p.max) << p.key;
    if (p.power_of_two) {
      EXPECT_EQ(v & (v - 1), 0u) << p.key;
    }
  }
  EXPECT_TRUE(keys.count("latency.alu") && keys.count("latency.system")) << "latency keys come from insn_classes.def";
}

TEST(Params, EveryKeyReachesItsMember) {
  for (const MachineParam& p : machine_params()) {
    MachineConfig cfg;
    const uint64_t before = as_number(p.field(cfg));
    std::string value = other_value(p, cfg);
    MachineConfig changed;
    ASSERT_NO_THROW(apply_machine_overrides(changed, {p.key + "=" + value})) << p.key << "=" << value;
    EXPECT_NE(as_number(p.field(changed)), before) << p.key << "=" << value << " left the member unchanged";
    for (const MachineParam& q : machine_params()) {
      if (&q == &p) continue;
      EXPECT_EQ(as_number(q.field(changed)), as_number(q.field(cfg))) << p.key << " also changed " << q.key;
    }
  }
}

// `--set` of `set` is refused with a message containing `message`.
void expect_refused(const std::string& set, const std::string& message) {
  MachineConfig cfg;
  try {
    apply_machine_overrides(cfg, {set});
    ADD_FAILURE() << "accepted --set " << set;
  } catch (const YamlError& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(Params, OutOfRangeAndUnknownKeysNameTheKey) {
  expect_refused("caches.l1d.size_kib=0", "--set caches.l1d.size_kib=0: key 'caches.l1d.size_kib': must be between 1 and 1048576, got 0");
  expect_refused("caches.l1d.size=8", "key 'caches.l1d.size': unknown key");
  expect_refused("latency.divide=256", "key 'latency.divide': must be between 1 and 255, got 256");
  expect_refused("caches.l2.replacement=fifo", "key 'caches.l2.replacement': unknown policy 'fifo' (lru, tree-plru, random)");
  expect_refused("machine.console=[1]", "key 'machine.console': expected a single value");
}

// A --set is one key and one value: nothing in it adds another key.
TEST(Params, ASetCannotInjectKeys) {
  expect_refused("machine.cpus=4\ncaches: {enabled: false}",
                 "--set machine.cpus=4\\ncaches: {enabled: false}: key 'machine.cpus': a newline cannot be part of a --set");
  expect_refused("machine.cpus=4\rx", "a carriage return");
  expect_refused(std::string("machine.cpus=4\0", 15) + "x", "a NUL");
  expect_refused("machine..cpus=4", "--set machine..cpus=4: key 'machine..cpus': an empty part");
  expect_refused("machine.cpus.=4", "an empty part");
  expect_refused(".machine.cpus=4", "an empty part");
  expect_refused("machine.cpus=", "key 'machine.cpus': expected an integer, got ''");
  expect_refused("machine.cpus={a: 1}", "key 'machine.cpus': expected a single value");
  expect_refused("machine.cpus=[", "key 'machine.cpus': ");
  expect_refused("machine: {cpus: 2}=4", "unknown key");
  MachineConfig cfg;
  apply_machine_overrides(cfg, {"machine.console='out: 1.txt'", "name=\"a b\"", "machine.cpus=0x10"});
  EXPECT_EQ(cfg.console, "out: 1.txt");  // one value, whatever it holds
  EXPECT_EQ(cfg.name, "a b");
  EXPECT_EQ(cfg.cpus, 16u);
  EXPECT_TRUE(cfg.caches);
}

TEST(Params, Power5YamlHoldsTheDefaults) {
  MachineConfig file = load_machine_config(std::string(DUSIM_ROOT) + "/configs/power5.yaml");
  MachineConfig d;
  for (const MachineParam& p : machine_params())
    EXPECT_EQ(as_number(p.field(file)), as_number(p.field(d))) << p.key;
}

}  // namespace
}  // namespace dusim

// dusim_platform links SystemC, whose library expects the program's sc_main
// (a sanitized build links it eagerly); this program elaborates no
// simulation (main is its own: gtest_main's).
extern "C" int sc_main(int, char**) { return 0; }
