// The invariant a loaded machine config must hold, whatever the input: every
// integer key inside its documented range (machine_params.def), powers of two
// where the table says so.
#pragma once

#include <string>
#include <variant>

#include "config/param.h"
#include "fuzz_common.h"
#include "platform/machine_config.h"

namespace dusim::fuzz {

inline void check_ranges(MachineConfig cfg, const std::string& input) {
  for (const MachineParam& p : machine_params()) {
    std::visit(
        [&](auto* member) {
          using T = std::remove_pointer_t<decltype(member)>;
          if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            uint64_t v = uint64_t(*member) / param::scale(p.unit);
            if (p.max > 0 && (v < p.min || v > p.max))
              broken(p.key + " = " + std::to_string(v) + " outside " + std::to_string(p.min) + ".." +
                     std::to_string(p.max) + " was accepted from: " + input);
            if (p.power_of_two && v && (v & (v - 1)))
              broken(p.key + " = " + std::to_string(v) + " (not a power of two) was accepted from: " + input);
          }
        },
        p.field(cfg));
  }
}

}  // namespace dusim::fuzz
