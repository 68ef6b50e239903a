#include "common/errors.h"

#include <cstdio>
#include <string_view>

#include "config/yaml_reader.h"
#include "exit_codes.h"

namespace dusim::tools {

namespace {

int complain(std::string_view message, int code = exit_code::kUsage) {
  bool ended = !message.empty() && message.back() == '\n';  // a compiler's output ends its own last line
  std::fprintf(stderr, "dusim: %.*s%s", int(message.size()), message.data(), ended ? "" : "\n");
  return code;
}

}  // namespace

int exit_code_of(const std::function<int()>& body) {
  try {
    return body();
  } catch (const YamlError& e) {
    return complain(e.what());
  } catch (const InputError& e) {
    return complain(e.what());
  } catch (const OutputError& e) {
    return complain(e.what(), exit_code::kOutputError);
  }
}

}  // namespace dusim::tools
