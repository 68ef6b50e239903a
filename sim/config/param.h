// What a parameter table's unit and default columns mean to the code that
// expands it (platform/machine_params.def, cache_coherence/params.def):
// header-only, so that the coherence library takes its defaults from the
// table without linking the configuration reader.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace dusim::param {

// A MiB, KiB or MHz key holds bytes or Hz: the factor from the key's unit to
// the member's (1 for every other unit).
constexpr uint64_t scale(std::string_view unit) {
  return unit == "MiB" ? uint64_t(1) << 20 : unit == "KiB" ? 1024 : unit == "MHz" ? 1'000'000 : 1;
}

// A member's initial value: the table's default, in the member's unit.
template <class T, class V>
constexpr T initial(V value, std::string_view unit) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return T(uint64_t(value) * scale(unit));
  else return T(value);
}

}  // namespace dusim::param
