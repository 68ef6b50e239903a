// Fuzz target: the machine-config loader (sim/platform/machine_config.cc),
// `base:` chains included (the shipped configs are linked beside the input).
#include <cstdint>

#include "config/yaml_reader.h"
#include "config_ranges.h"
#include "fuzz_common.h"
#include "platform/machine_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dusim::fuzz::scratch({"configs"});
  std::string path = dusim::fuzz::write_input("fuzz-config.yaml", data, size);
  try {
    dusim::MachineConfig cfg = dusim::load_machine_config(path);
    dusim::fuzz::check_ranges(cfg, std::string(reinterpret_cast<const char*>(data), size));
  } catch (const dusim::YamlError&) {
  } catch (const std::exception& e) {
    dusim::fuzz::unclear(e);
  }
  return 0;
}
