// A scenario's programs (scenario.h, Program): each built from its source
// with the cross toolchain (static, against glibc and libstdc++) or read
// from its file, and all packed into the initial image the guest kernel
// loads them from (loader/initrd.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::scenario {

// The command that builds `p` into `out` (for messages and tests).
std::string program_build_command(const Program& p, const std::string& out);

// Builds or reads every program (into `dir`) and returns the initial image
// (empty without programs); throws tools::InputError naming the program and
// the compiler's messages, or a file that cannot be read.
std::vector<uint8_t> build_programs(const Scenario& s, const std::string& dir);

}  // namespace dusim::scenario
