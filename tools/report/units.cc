#include "report/units.h"

#include <fmt/format.h>

#include <cmath>

namespace dusim::report {

std::string thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string fixed(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", std::fabs(v), decimals);
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string sign = v < 0 && s.find_first_not_of("0.") != std::string::npos ? "-" : "";
  return sign + thousands(std::stoull(whole)) + frac;
}

std::string duration(uint64_t ns) {
  if (ns < 1000) return std::to_string(ns) + " ns";
  double us = double(ns) / 1e3;
  if (ns < 10'000) return fixed(us, 2) + " µs";
  if (ns < 1'000'000) return fixed(us, 1) + " µs";
  if (ns < 1'000'000'000) return fixed(double(ns) / 1e6, 3) + " ms";
  return fixed(double(ns) / 1e9, 3) + " s";
}

std::string time_us(uint64_t ns) { return fixed(double(ns) / 1e3, 3) + " µs"; }

std::string rate(double v) {
  double a = std::fabs(v);
  if (a == 0) return "0";
  if (a >= 100) return fixed(v, 0);
  if (a >= 10) return fixed(v, 1);
  if (a >= 1) return fixed(v, 2);
  int places = 2 - int(std::floor(std::log10(a)));
  return fixed(v, std::min(places, 9));
}

}  // namespace dusim::report
