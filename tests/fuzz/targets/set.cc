// Fuzz target: --set KEY=VALUE, as `dusim run` applies it (load_scenario with
// overrides: the scenario's keys and the machine's, then the checks against
// the result), on the pipeline test's scenario; and the folder label a run
// with --set is named after (override_label), which must stay one safe name.
//
// Input: the overrides one after another, each ended by a backslash and one
// more byte (FuzzedDataProvider::ConsumeRandomLengthString), so a value may
// hold any byte, newlines and NULs included.
#include <fuzzer/FuzzedDataProvider.h>

#include <cctype>
#include <cstdint>

#include "common/errors.h"
#include "config/yaml_reader.h"
#include "config_ranges.h"
#include "fuzz_common.h"
#include "scenario/overrides.h"
#include "scenario/scenario.h"

namespace {

void check_label(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos) return;
  std::string label = dusim::scenario::override_label(text.substr(0, eq), text.substr(eq + 1));
  if (label.empty() || label == "." || label == "..") dusim::fuzz::broken("override_label gives '" + label + "' for " + text);
  for (char c : label)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      dusim::fuzz::broken("override_label gives '" + label + "' for " + text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<std::string> overrides;
  while (in.remaining_bytes() > 0 && overrides.size() < 16) overrides.push_back(in.ConsumeRandomLengthString(256));
  for (const std::string& o : overrides) check_label(o);
  try {
    dusim::scenario::Scenario s =
        dusim::scenario::load_scenario(std::string(DUSIM_ROOT) + "/tests/pipeline/pipeline.yaml", overrides);
    std::string all;
    for (const std::string& o : overrides) all += "--set " + o + " ";
    dusim::fuzz::check_ranges(s.machine, all);
    if (s.sample_ns < 1000 || s.sample_ns > 1'000'000'000) dusim::fuzz::broken("sample_us out of range from " + all);
  } catch (const dusim::YamlError&) {
  } catch (const dusim::tools::InputError&) {
  } catch (const std::exception& e) {
    dusim::fuzz::unclear(e);
  }
  return 0;
}
