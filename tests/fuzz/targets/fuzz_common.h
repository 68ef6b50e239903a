// What every fuzz target shares: a scratch folder per process (the parsers
// read files, so each input is written to one), and the rule for errors.
//
// The rule: an input either parses, or is refused with the parser's own error
// type (YamlError, InputError, BadElf: file, line, column and key, or the
// file and the reason). A crash, a sanitizer report, a hang or a leak is a
// finding. Any other exception is an unclear message (it reaches the user as
// "dusim: error: ..." with no file or key): it is printed, and with
// DUSIM_FUZZ_STRICT=1 in the environment it is a finding too.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <typeinfo>

namespace dusim::fuzz {

namespace fs = std::filesystem;

// A folder of its own under the system's temporary folder, removed at exit.
// `links` are folders whose entries are symlinked into it, so that an input
// may name the shipped configs and modules as the real files do.
inline const fs::path& scratch(std::initializer_list<const char*> links = {}) {
  static fs::path dir = [&] {
    fs::path d = fs::temp_directory_path() / ("dusim-fuzz-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    for (const char* l : links)
      for (const auto& e : fs::directory_iterator(fs::path(DUSIM_ROOT) / l)) {
        std::error_code ec;
        fs::create_symlink(e.path(), d / e.path().filename(), ec);
      }
    std::atexit([] { fs::remove_all(fs::temp_directory_path() / ("dusim-fuzz-" + std::to_string(getpid()))); });
    return d;
  }();
  return dir;
}

inline std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
  fs::path p = scratch() / name;
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return p.string();
}

// An exception that is not the parser's own error type.
inline void unclear(const std::exception& e) {
  static std::set<std::string> seen;
  std::string what = std::string(typeid(e).name()) + ": " + e.what();
  if (seen.insert(what).second) std::fprintf(stderr, "dusim-fuzz: unclear error: %s\n", what.c_str());
  static const bool strict = [] {
    const char* s = std::getenv("DUSIM_FUZZ_STRICT");
    return s && *s == '1';
  }();
  if (strict) std::abort();
}

// A finding that is not a crash: an invariant the parser's result breaks.
[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "dusim-fuzz: invariant broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace dusim::fuzz
