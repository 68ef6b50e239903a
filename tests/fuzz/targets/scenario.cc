// Fuzz target: the scenario loader (tools/scenario/load.cc), as `dusim run`
// and `dusim validate` call it. The input is a scenario file; the shipped
// scenarios' folders and configs are linked beside it, so names in the seed
// corpus (tests/fuzz/corpus/scenario/) resolve as they do in scenarios/.
#include <cstdint>

#include "common/errors.h"
#include "config/yaml_reader.h"
#include "fuzz_common.h"
#include "scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dusim::fuzz::scratch({"scenarios", "configs"});
  std::string path = dusim::fuzz::write_input("fuzz.yaml", data, size);
  try {
    dusim::scenario::Scenario s = dusim::scenario::load_scenario(path);
    (void)dusim::scenario::boot_args(s);
  } catch (const dusim::YamlError&) {
  } catch (const dusim::tools::InputError&) {
  } catch (const std::exception& e) {
    dusim::fuzz::unclear(e);
  }
  return 0;
}
