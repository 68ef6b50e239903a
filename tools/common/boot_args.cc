#include "common/boot_args.h"

namespace dusim::tools {

std::vector<uint8_t> pack_boot_args(const std::vector<std::string>& args) {
  std::vector<uint8_t> out;
  for (const std::string& a : args) {
    out.insert(out.end(), a.begin(), a.end());
    out.push_back(0);
  }
  out.push_back(0);
  return out;
}

}  // namespace dusim::tools
