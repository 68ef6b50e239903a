// Numbers as the summary and the pages print them: thousands separators,
// and a unit chosen for the size (850 ns, 12.3 µs, 3.512 ms).
#pragma once

#include <cstdint>
#include <string>

namespace dusim::report {

// 1234567 -> "1,234,567".
std::string thousands(uint64_t n);

// `v` with `decimals` places and separators: 3512.7, 1 -> "3,512.7".
std::string fixed(double v, int decimals);

// A duration in the unit that suits it: "850 ns", "1.67 µs", "163.1 µs",
// "3.512 ms", "1.250 s".
std::string duration(uint64_t ns);

// A point in simulated time, always in µs so that columns line up:
// "3,512.700 µs".
std::string time_us(uint64_t ns);

// A rate with three significant digits at least: 22.3, 0.0412, 1,234.
std::string rate(double v);

}  // namespace dusim::report
