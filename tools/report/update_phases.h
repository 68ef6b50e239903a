// An update's phases as report.json lists them (updates[].phases), read for
// the people who look at them: in time order, split into envelopes (phases
// that contain others) and the work inside, with each object's hot swap
// (its INTERPOSE .. DESTROY steps) gathered into one span. Shared by the
// terminal summary and report.html so both say the same.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dusim::report {

// An update with more phases than this (a class update's hundreds of
// instance swaps) is shown one line per phase name, not per phase.
constexpr size_t kPhasesListedOneByOne = 40;

struct PhaseSpan {
  std::string name;
  unsigned cpu = 0;
  uint64_t object = 0, start_ns = 0, end_ns = 0;
  bool envelope = false;
  uint64_t ns() const { return end_ns - start_ns; }
};

// In time order: by start, the longer first (an envelope before what it holds).
std::vector<PhaseSpan> phases_in_time_order(const nlohmann::ordered_json& phases);

// One object's hot swap: from its INTERPOSE to the end of its DESTROY.
struct ObjectSwap {
  uint64_t object = 0;
  unsigned cpu = 0;
  uint64_t start_ns = 0, end_ns = 0;
  uint64_t ns() const { return end_ns - start_ns; }
};
std::vector<ObjectSwap> object_swaps(const nlohmann::ordered_json& phases);

// What an envelope holds: the object swaps that start inside it.
struct EnvelopeContents {
  size_t swaps = 0;
  uint64_t longest_ns = 0;
};
EnvelopeContents contents_of(const PhaseSpan& envelope, const std::vector<ObjectSwap>& swaps);

// "envelope: 570 instance swaps on 4 CPUs, longest single swap 35.2 µs" and
// the like, for the summary and the timeline's brackets.
std::string envelope_label(const PhaseSpan& envelope, const std::vector<ObjectSwap>& swaps);

}  // namespace dusim::report
