// How the update phases (UPDATE_PHASE in guest_os/include/dusim/
// update_events.def) are shown, in one place for report.html, trace.json and
// the terminal summary: each phase's fixed colour, whether it is an envelope
// (a phase that contains other phases: drawn as a bracket in a lane of its
// own, never over its children), and whether it is a step of one object's
// hot swap (INTERPOSE .. DESTROY, which together make one "swap").
//
// Every phase the catalog has must be listed here (a test checks it), so a
// new phase gets its own colour instead of a borrowed one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dusim::report {

struct PhaseStyle {
  std::string_view name;
  const char* colour;  // #rrggbb
  bool envelope;
  bool swap_step;
  const char* role;  // a few words for legends and envelope labels
};

// In the order of update_events.def.
const std::vector<PhaseStyle>& phase_styles();

// The style of `name`; an unknown phase is grey, not an envelope.
const PhaseStyle& phase_style(std::string_view name);

// Blocked calls (held by a mediator) in every view.
constexpr const char* kBlockedCallColour = "#d62728";
constexpr const char* kBlockedCallName = "blocked call";

// "\033[38;2;R;G;Bm" for a #rrggbb colour (24-bit terminal colour).
std::string ansi_colour(const char* hex);

}  // namespace dusim::report
