// The argument area of the boot-information block (README.md, "The
// machine"): KEY=VALUE strings, each ended by a NUL, the list by another.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim::tools {

std::vector<uint8_t> pack_boot_args(const std::vector<std::string>& args);

}  // namespace dusim::tools
