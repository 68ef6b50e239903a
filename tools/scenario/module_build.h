// Update modules arrive as C++ source: dusim compiles each with the cross
// compiler and the kernel's headers into a real ELF relocatable object, so a
// user can write a module without touching CMake.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim::scenario {

struct ModuleBuild {
  bool ok = false;
  std::string object;          // path of the .o
  std::string command;         // what ran
  std::string compiler_output; // the compiler's messages (on failure: why)
  std::vector<uint8_t> bytes;  // the object file
};

// Compiles `source` into `out_dir`. `guest_root` is the guest_os folder
// (its include/ and the folder itself are on the include path).
ModuleBuild build_module(const std::string& source, const std::string& out_dir, const std::string& guest_root,
                         const std::vector<std::string>& extra_flags);

// The compiler flags every module is built with (guest_os/include/dusim/module_flags.def).
std::vector<std::string> module_cxxflags();

// For the cross-compiler commands here and in programs.cc: `s` quoted for
// the shell; and `cmd` run with its standard output and error appended to
// `output`, returning its wait status (-1 when it could not be started).
std::string shell_quote(const std::string& s);
int run_capturing(const std::string& cmd, std::string& output);

}  // namespace dusim::scenario
