#include "scenario/validate.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "common/errors.h"
#include "config/yaml_reader.h"
#include "exit_codes.h"
#include "scenario/modules.h"
#include "scenario/programs.h"
#include "scenario/scenario.h"
#include "scenario/simulate.h"

namespace dusim::scenario {

namespace fs = std::filesystem;

namespace {

// A scenario names its machine config (machine: {config: ...}); a machine
// config describes the machine itself.
bool is_scenario(const YAML::Node& doc) {
  bool found = false;
  for (const auto& kv : doc)
    if (kv.first.as<std::string>() == "machine" && kv.second.IsMap())
      for (const auto& m : kv.second) found = found || m.first.as<std::string>() == "config";
  return found;
}

int validate_machine_config(const std::string& path, const std::vector<std::string>& overrides) {
  MachineConfig cfg = load_machine_config(path);
  apply_machine_overrides(cfg, overrides);
  std::printf("%s: ok (machine config '%s': %u CPUs, %s)\n", path.c_str(), cfg.name.c_str(), cfg.cpus,
              cfg.caches ? std::string(coherence::to_string(cfg.hierarchy.protocol)).c_str() : "no caches");
  return exit_code::kSuccess;
}

// A folder removed however the validation ends.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("dusim-validate-" + std::to_string(getpid()));
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

int validate_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  Scenario s = load_scenario(path, overrides);  // checks every name a metric, window or check uses
  load_kernel(s);                    // and what run checks before it simulates
  packed_boot_args(s);
  {
    TempDir dir;
    build_modules(s, dir.path.string());
    build_programs(s, (dir.path / "programs").string());  // a program that does not build is the scenario's error
  }
  std::printf("%s: ok (scenario '%s': %u CPUs, %zu workloads, %zu updates, %zu programs, %zu checks)\n", path.c_str(),
              s.name.c_str(), s.machine.cpus, s.workloads.size(), s.updates.size(), s.programs.size(), s.checks.size());
  return exit_code::kSuccess;
}

}  // namespace

int validate_file(const std::string& path, const std::vector<std::string>& overrides) {
  return tools::exit_code_of([&] {
    return is_scenario(load_yaml_file(path)) ? validate_scenario(path, overrides) : validate_machine_config(path, overrides);
  });
}

}  // namespace dusim::scenario
