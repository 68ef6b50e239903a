#include "common/output_file.h"

#include <fstream>

namespace dusim::tools {

void write_output(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

}  // namespace dusim::tools
