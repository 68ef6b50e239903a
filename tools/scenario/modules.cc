#include "scenario/modules.h"

#include <spdlog/spdlog.h>

#include "common/errors.h"

namespace dusim::scenario {

std::vector<ModuleBuild> build_modules(const Scenario& s, const std::string& dir) {
  std::vector<ModuleBuild> out;
  for (const Update& u : s.updates) {
    ModuleBuild b = build_module(u.module, dir, std::string(DUSIM_SOURCE_DIR) + "/guest_os", u.cxxflags);
    if (!b.ok)
      throw tools::InputError(s.file + ": update '" + u.name + "': module " + u.module + " does not compile:\n" +
                              b.compiler_output);
    spdlog::debug("update {}: {} ({} bytes)", u.name, b.command, b.bytes.size());
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace dusim::scenario
