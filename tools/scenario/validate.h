// `dusim validate FILE`: checks a scenario (loading it, checking its checks'
// syntax and compiling its modules) or a machine config, without running.
#pragma once

#include <string>

namespace dusim::scenario {

// Returns the tool's exit code: kSuccess, or kUsage with the error printed.
int validate_file(const std::string& path);

}  // namespace dusim::scenario
