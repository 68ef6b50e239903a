#include "report/phase_style.h"

#include <cstdlib>

namespace dusim::report {

// The swap steps in warm-to-cool order of the mechanism; envelopes in dark
// tones so their brackets read as frames, not as work.
const std::vector<PhaseStyle>& phase_styles() {
  static const std::vector<PhaseStyle> all = {
      {"LOAD", "#4e79a7", false, false, "module load"},
      {"VERSION", "#9c755f", false, false, "version check"},
      {"FACTORY_SWAP", "#7b4173", true, false, "the factory's hot swap"},
      {"INTERPOSE", "#f28e2b", false, true, "mediator installed"},
      {"FORWARD", "#edc948", false, true, "calls forwarded and tracked"},
      {"BLOCK", "#b07aa1", false, true, "new calls held"},
      {"QUIESCE", "#17becf", false, true, "wait for calls in flight"},
      {"TRANSFER", "#59a14f", false, true, "state transfer"},
      {"SWITCH", "#ff9da7", false, true, "entries switched, calls released"},
      {"DESTROY", "#8c8c8c", false, true, "old object destroyed"},
      {"INSTANCE_SWAPS", "#637939", true, false, "every instance's hot swap"},
      {"INIT", "#393b79", true, false, "the module's init"},
      {"REVERT", "#843c39", true, false, "the swaps back to the previous class"},
      {"COMMIT", "#31a354", true, false, "objects kept for a revert freed"},
      {"UNLOAD", "#de9ed6", false, false, "replaced code unloaded"},
      {"LAZY_ARM", "#bcbd22", false, false, "old instances marked for conversion on their next call"},
      {"LAZY_FINISH", "#dbdb8d", false, false, "the rest of a lazy update converted before a later one"},
  };
  return all;
}

const PhaseStyle& phase_style(std::string_view name) {
  static const PhaseStyle unknown{"?", "#c7c7c7", false, false, "phase"};
  for (const PhaseStyle& p : phase_styles())
    if (p.name == name) return p;
  return unknown;
}

std::string ansi_colour(const char* hex) {
  long v = std::strtol(hex + 1, nullptr, 16);
  return "\033[38;2;" + std::to_string((v >> 16) & 0xff) + ";" + std::to_string((v >> 8) & 0xff) + ";" +
         std::to_string(v & 0xff) + "m";
}

}  // namespace dusim::report
