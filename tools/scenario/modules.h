// A scenario's update modules, compiled (scenario/module_build.h) in the
// order of its updates.
#pragma once

#include <string>
#include <vector>

#include "scenario/module_build.h"
#include "scenario/scenario.h"

namespace dusim::scenario {

// Compiles every module into `dir`; throws tools::InputError with the
// compiler's messages for the first that does not compile.
std::vector<ModuleBuild> build_modules(const Scenario& s, const std::string& dir);

}  // namespace dusim::scenario
