// Writes or checks the files made from sim/platform/machine_params.def:
// configs/power5.yaml (whole) and the reference table of
// sim/platform/README.md (between its params markers).
//   config_docs check|write POWER5_YAML PLATFORM_README
// check exits 1, naming the file, when one differs from the table.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "platform/machine_config.h"

namespace {

constexpr std::string_view kBegin = "<!-- machine_params.def: begin -->\n";
constexpr std::string_view kEnd = "<!-- machine_params.def: end -->\n";

bool read(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// `readme` with the text between the markers replaced by `table`; empty when
// the markers are missing.
std::string with_table(const std::string& readme, const std::string& table) {
  size_t b = readme.find(kBegin), e = readme.find(kEnd);
  if (b == std::string::npos || e == std::string::npos || e < b) return "";
  return readme.substr(0, b + kBegin.size()) + table + readme.substr(e);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::string(argv[1]) != "check" && std::string(argv[1]) != "write")) {
    std::fprintf(stderr, "usage: config_docs check|write POWER5_YAML PLATFORM_README\n");
    return 2;
  }
  const bool write = std::string(argv[1]) == "write";
  const std::string yaml_path = argv[2], readme_path = argv[3];
  std::string yaml, readme;
  if (!read(yaml_path, yaml) || !read(readme_path, readme)) {
    std::fprintf(stderr, "config_docs: cannot read %s or %s\n", yaml_path.c_str(), readme_path.c_str());
    return 2;
  }
  const std::string want_yaml = dusim::machine_config_yaml();
  const std::string want_readme = with_table(readme, dusim::machine_config_reference());
  if (want_readme.empty()) {
    std::fprintf(stderr, "config_docs: %s lacks the markers %.*s", readme_path.c_str(), int(kBegin.size()), kBegin.data());
    return 2;
  }
  int stale = 0;
  struct File {
    const std::string &path, &have, &want;
  };
  for (const File& f : {File{yaml_path, yaml, want_yaml}, File{readme_path, readme, want_readme}}) {
    const std::string &path = f.path, &want = f.want;
    if (f.have == want) continue;
    if (write) {
      std::ofstream(path) << want;
      std::printf("config_docs: wrote %s\n", path.c_str());
    } else {
      std::printf("config_docs: %s differs from the parameter table (sim/platform/machine_params.def); "
                  "run `cmake --build build --target config-docs`\n", path.c_str());
      ++stale;
    }
  }
  return stale ? 1 : 0;
}

// dusim_platform links SystemC, whose library expects the program's sc_main
// (a sanitized build links it eagerly); this program elaborates no
// simulation (main is its own).
extern "C" int sc_main(int, char**) { return 0; }
