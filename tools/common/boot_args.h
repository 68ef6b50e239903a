// The argument area of the boot-information block (README.md, "The
// machine"): KEY=VALUE strings, each ended by a NUL, the list by another.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim::tools {

std::vector<uint8_t> pack_boot_args(const std::vector<std::string>& args);

// Why KEY=VALUE cannot be one boot argument ("" when it can): an empty key,
// an '=' in the key (the guest would split there), a NUL (it would end the
// argument and start another) or a line break in either.
std::string boot_arg_problem(const std::string& key, const std::string& value);

}  // namespace dusim::tools
