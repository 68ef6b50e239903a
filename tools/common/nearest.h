// "did you mean ...?" for a name the user mistyped: the closest of the names
// that exist, by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), compared without regard to case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dusim::tools {

// The closest candidate, or "" when none is close enough to be a typo (more
// than a third of the longer name would have to change).
std::string nearest_name(std::string_view got, const std::vector<std::string>& candidates);

// " (did you mean NAME?)", or "" when there is no close name.
std::string did_you_mean(std::string_view got, const std::vector<std::string>& candidates);

}  // namespace dusim::tools
