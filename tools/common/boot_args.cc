#include "common/boot_args.h"

#include "config/yaml_reader.h"

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

std::string boot_arg_problem(const std::string& key, const std::string& value) {
  if (key.empty()) return "a boot argument needs a name";
  if (key.find('=') != std::string::npos) return "a boot argument's name cannot hold '='";
  if (const char* c = forbidden_character(key)) return std::string(c) + " cannot be part of a boot argument's name";
  if (const char* c = forbidden_character(value)) return std::string(c) + " cannot be part of a boot argument";
  return "";
}

}  // namespace dusim::tools
