#include "scenario/module_build.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace dusim::scenario {

namespace fs = std::filesystem;

std::vector<std::string> module_cxxflags() {
  return {
#define MODULE_FLAG(flag) flag,
#include "dusim/module_flags.def"
#undef MODULE_FLAG
  };
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

int run_capturing(const std::string& cmd, std::string& output) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  return pclose(p);
}

ModuleBuild build_module(const std::string& source, const std::string& out_dir, const std::string& guest_root,
                         const std::vector<std::string>& extra_flags) {
  ModuleBuild b;
  fs::create_directories(out_dir);
  b.object = (fs::path(out_dir) / (fs::path(source).stem().string() + ".o")).string();
  std::string cmd = "powerpc64-linux-gnu-g++";
  for (const std::string& f : module_cxxflags()) cmd += " " + f;
  for (const std::string& f : extra_flags) cmd += " " + shell_quote(f);
  // __FILE__ relative to the module's folder and the kernel's source, so the
  // module's bytes (and its load time) do not depend on where either lives.
  std::string src = fs::absolute(source).lexically_normal().string();
  std::string root = fs::absolute(guest_root).lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  cmd += " -I " + shell_quote(root + "/include") + " -I " + shell_quote(root);
  cmd += " " + shell_quote("-fmacro-prefix-map=" + fs::path(src).parent_path().string() + "/=");
  cmd += " " + shell_quote("-fmacro-prefix-map=" + root + "/=guest_os/");
  cmd += " -o " + shell_quote(b.object) + " " + shell_quote(src);
  b.command = cmd;
  int status = run_capturing(cmd, b.compiler_output);
  if (status == -1) {
    b.compiler_output = "cannot run the cross compiler (powerpc64-linux-gnu-g++)";
    return b;
  }
  if (status != 0 || !fs::exists(b.object)) {
    if (b.compiler_output.empty()) b.compiler_output = "the cross compiler failed (status " + std::to_string(status) + ")";
    return b;
  }
  std::ifstream in(b.object, std::ios::binary);
  b.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  b.ok = !b.bytes.empty();
  return b;
}

}  // namespace dusim::scenario
