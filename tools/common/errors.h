// Errors in what the user gave (a file, an option): the tool prints
// "dusim: MESSAGE" and exits with exit_code::kUsage (README.md, "Exit codes").
#pragma once

#include <functional>
#include <stdexcept>

namespace dusim::tools {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs `body` and returns its exit code; an InputError or YamlError it throws
// is printed on stderr as "dusim: MESSAGE" and becomes kUsage. Other
// exceptions pass (the CLI reports them as "dusim: error: ...").
int exit_code_of(const std::function<int()>& body);

}  // namespace dusim::tools
