// Errors in what the user gave (a file, an option): the tool prints
// "dusim: MESSAGE" and exits with exit_code::kUsage (README.md, "Exit codes").
#pragma once

#include <functional>
#include <stdexcept>

namespace dusim::tools {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An output file that could not be written (the message names it): the tool
// prints "dusim: MESSAGE" and exits with exit_code::kOutputError.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs `body` and returns its exit code; an InputError or YamlError it throws
// is printed on stderr as "dusim: MESSAGE" and becomes kUsage, an
// OutputError becomes kOutputError. Other
// exceptions pass (the CLI reports them as "dusim: error: ...").
int exit_code_of(const std::function<int()>& body);

}  // namespace dusim::tools
