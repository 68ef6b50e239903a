// The phase palette (report/phase_style.h) and how an update's phases are
// read (report/update_phases.h): time order, envelopes, one span per
// object's hot swap.
#include <gtest/gtest.h>

#include <set>

#include "report/event_args.h"
#include "report/phase_style.h"
#include "report/update_phases.h"

namespace {

using namespace dusim::report;
using json = nlohmann::ordered_json;

TEST(PhaseStyle, EveryPhaseOfTheCatalogHasItsOwnColour) {
  std::set<std::string> colours{kBlockedCallColour};
  for (const std::string& name : phase_names()) {
    const PhaseStyle& s = phase_style(name);
    EXPECT_EQ(s.name, name) << name << " has no entry in phase_style.cc";
    EXPECT_TRUE(colours.insert(s.colour).second) << name << " shares its colour " << s.colour;
  }
  EXPECT_EQ(phase_styles().size(), phase_names().size());
}

TEST(PhaseStyle, EnvelopesAreThePhasesThatHoldOthers) {
  std::set<std::string> envelopes;
  for (const PhaseStyle& s : phase_styles())
    if (s.envelope) envelopes.insert(std::string(s.name));
  EXPECT_EQ(envelopes, (std::set<std::string>{"INIT", "INSTANCE_SWAPS", "FACTORY_SWAP", "REVERT", "COMMIT"}));
  EXPECT_TRUE(phase_style("BLOCK").swap_step);
  EXPECT_FALSE(phase_style("LOAD").swap_step);
  EXPECT_EQ(ansi_colour("#4e79a7"), "\033[38;2;78;121;167m");
}

json ph(const char* name, unsigned cpu, uint64_t object, uint64_t start, uint64_t end) {
  return {{"name", name}, {"cpu", cpu}, {"object", object}, {"start_ns", start}, {"end_ns", end}};
}

// A class update as the guest reports it: the factory (object 1) swapped
// inside FACTORY_SWAP, two instances swapped inside INSTANCE_SWAPS on two
// CPUs, and the old factory destroyed on its own at the very end.
json class_update() {
  json p = json::array();
  p.push_back(ph("INIT", 0, 0, 100, 10000));
  p.push_back(ph("FACTORY_SWAP", 0, 1, 200, 400));
  for (const char* s : {"INTERPOSE", "FORWARD", "BLOCK", "QUIESCE", "TRANSFER", "SWITCH", "DESTROY"}) p.push_back(ph(s, 0, 1, 210, 390));
  p.push_back(ph("INSTANCE_SWAPS", 0, 1, 500, 9000));
  p.push_back(ph("INTERPOSE", 1, 20, 600, 610));
  p.push_back(ph("DESTROY", 1, 20, 700, 1600));  // object 20: 600 .. 1600
  p.push_back(ph("INTERPOSE", 2, 21, 650, 660));
  p.push_back(ph("SWITCH", 2, 21, 700, 750));
  p.push_back(ph("DESTROY", 2, 21, 760, 800));  // object 21: 650 .. 800
  p.push_back(ph("DESTROY", 0, 1, 9500, 9600));  // the old factory, not part of its swap
  return p;
}

TEST(UpdatePhases, InTimeOrderAnEnvelopeBeforeWhatItHolds) {
  json p = json::array({ph("SWITCH", 0, 7, 300, 310), ph("INTERPOSE", 0, 7, 200, 210), ph("INIT", 0, 0, 200, 400)});
  std::vector<PhaseSpan> s = phases_in_time_order(p);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].name, "INIT");  // same start, longer first
  EXPECT_TRUE(s[0].envelope);
  EXPECT_EQ(s[1].name, "INTERPOSE");
  EXPECT_EQ(s[2].name, "SWITCH");
}

TEST(UpdatePhases, EachObjectsSwapRunsFromInterposeToItsDestroy) {
  std::vector<ObjectSwap> swaps = object_swaps(class_update());
  ASSERT_EQ(swaps.size(), 3u);
  EXPECT_EQ(swaps[0].object, 1u);
  EXPECT_EQ(swaps[0].ns(), 180u);  // 210 .. 390: the factory's final DESTROY at 9600 is not part of it
  EXPECT_EQ(swaps[1].object, 20u);
  EXPECT_EQ(swaps[1].ns(), 1000u);
  EXPECT_EQ(swaps[2].ns(), 150u);
}

TEST(UpdatePhases, AnEnvelopeSaysWhatItHolds) {
  std::vector<PhaseSpan> spans = phases_in_time_order(class_update());
  std::vector<ObjectSwap> swaps = object_swaps(class_update());
  auto find = [&](const char* name) {
    for (const PhaseSpan& s : spans)
      if (s.name == name) return s;
    return PhaseSpan{};
  };
  EXPECT_EQ(envelope_label(find("INSTANCE_SWAPS"), swaps),
            "envelope: every instance's hot swap, 2 instance swaps on 2 CPUs, longest single swap 1.00 µs");
  EXPECT_EQ(envelope_label(find("FACTORY_SWAP"), swaps), "envelope: the factory's hot swap, 1 object swap, longest single swap 180 ns");
  EXPECT_EQ(contents_of(find("INIT"), swaps).swaps, 3u);
}

}  // namespace
