#include "common/nearest.h"

#include <algorithm>
#include <cctype>

namespace dusim::tools {

namespace {

// Optimal string alignment distance, case-folded.
size_t distance(std::string_view a, std::string_view b) {
  auto eq = [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = eq(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1])) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string nearest_name(std::string_view got, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = ~size_t(0);
  for (const std::string& c : candidates) {
    size_t d = distance(got, c);
    if (d < best_d) best_d = d, best = c;
  }
  if (best.empty() || best_d == 0) return best;
  size_t longer = std::max(got.size(), best.size());
  return best_d * 3 <= longer ? best : std::string();
}

std::string did_you_mean(std::string_view got, const std::vector<std::string>& candidates) {
  std::string n = nearest_name(got, candidates);
  return n.empty() ? std::string() : " (did you mean " + n + "?)";
}

}  // namespace dusim::tools
