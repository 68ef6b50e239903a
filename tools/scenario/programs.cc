#include "scenario/programs.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "common/errors.h"
#include "loader/initrd.h"
#include "scenario/module_build.h"

namespace dusim::scenario {

namespace fs = std::filesystem;

std::string program_build_command(const Program& p, const std::string& out) {
  const std::string ext = fs::path(p.source).extension().string();
  const bool cxx = ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".C";
  // -ffile-prefix-map: the program's bytes do not depend on where the
  // scenario lives (its __FILE__s and debug paths).
  std::string cmd = cxx ? "powerpc64-linux-gnu-g++" : "powerpc64-linux-gnu-gcc";
  cmd += " -O2 -static -pthread -Wall -Wextra ";
  std::string map = "-ffile-prefix-map=";
  map += fs::path(p.source).parent_path().string();
  map += "/=";
  cmd += shell_quote(map);
  for (const std::string& f : p.cflags) {
    cmd.push_back(' ');
    cmd += shell_quote(f);
  }
  cmd += " -o ";
  cmd += shell_quote(out);
  cmd.push_back(' ');
  cmd += shell_quote(p.source);
  return cmd;
}

std::vector<uint8_t> build_programs(const Scenario& s, const std::string& dir) {
  if (s.programs.empty()) return {};
  std::vector<InitrdFile> files;
  for (const Program& p : s.programs) {
    std::string path = p.file;
    if (!p.source.empty()) {
      fs::create_directories(dir);
      path = (fs::path(dir) / p.name).string();
      std::string cmd = program_build_command(p, path), output;
      if (run_capturing(cmd, output) != 0)
        throw tools::InputError(s.file + ": program '" + p.name + "': " + p.source + " does not build:\n" + cmd + "\n" + output);
      spdlog::debug("program {}: {}", p.name, cmd);
    }
    try {
      InitrdFile f = initrd_file_from_spec(p.name + "=" + path);
      files.push_back(std::move(f));
    } catch (const std::runtime_error& e) {
      throw tools::InputError(s.file + ": program '" + p.name + "': " + e.what());
    }
  }
  return make_initrd(files);
}

}  // namespace dusim::scenario
