// `dusim validate FILE [--set K=V]`: checks a scenario (loading it with the
// overrides, checking its checks' syntax, compiling its modules, and what
// run checks before it simulates: the kernel image and the boot arguments)
// or a machine config, without running.
#pragma once

#include <string>
#include <vector>

namespace dusim::scenario {

// Returns the tool's exit code: kSuccess, or kUsage with the error printed.
// `overrides` are --set KEY=VALUE, as `run` takes them.
int validate_file(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace dusim::scenario
