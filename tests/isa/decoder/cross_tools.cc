#include "cross_tools.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dusim::ppc::test {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

CrossTools::CrossTools() {
  std::string tmpl = (fs::temp_directory_path() / "dusim-decoder-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a scratch directory under " + tmpl);
  dir_ = tmpl;
}

CrossTools::~CrossTools() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void CrossTools::run(const std::string& command) {
  fs::path err = dir_ / "stderr.txt";
  std::string line = command + " 2>" + err.string();
  if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + command + "\n" + slurp(err));
}

// Lines of `objdump -d -z` look like "  1c:\t7c 20 18 ac \tdcbfl   0,r3";
// -z keeps runs of zero words from being elided as "...".
std::vector<std::pair<uint32_t, Disassembled>> CrossTools::objdump(const fs::path& object, const std::string& options) {
  fs::path out = dir_ / ("dis" + std::to_string(files_++) + ".txt");
  std::string opt = options.empty() ? "" : " -M " + options;
  run(std::string(DUSIM_PPC_OBJDUMP) + " -d -z" + opt + " " + object.string() + " >" + out.string());
  std::vector<std::pair<uint32_t, Disassembled>> lines;
  std::ifstream in(out);
  for (std::string line; std::getline(in, line);) {
    size_t colon = line.find(":\t");
    if (colon == std::string::npos || line.find_first_not_of(" 0123456789abcdef") != colon) continue;
    size_t tab = line.find('\t', colon + 2);
    std::string bytes = line.substr(colon + 2, tab == std::string::npos ? std::string::npos : tab - colon - 2);
    uint32_t word = 0;
    int nbytes = 0;
    std::istringstream hex(bytes);
    for (unsigned b; hex >> std::hex >> b; ++nbytes) word = word << 8 | b;
    if (nbytes != 4) throw std::runtime_error("unexpected objdump line: " + line);
    std::string text = tab == std::string::npos ? "" : trim(line.substr(tab + 1));
    size_t sp = text.find_first_of(" \t");
    Disassembled d;
    d.mnemonic = text.substr(0, sp);
    d.operands = sp == std::string::npos ? "" : trim(text.substr(sp));
    d.valid = !d.mnemonic.empty() && d.mnemonic != ".long";
    lines.emplace_back(word, std::move(d));
  }
  return lines;
}

std::vector<uint32_t> CrossTools::assemble(const std::string& source) {
  std::string name = "asm" + std::to_string(files_++);
  fs::path src = dir_ / (name + ".s"), obj = dir_ / (name + ".o");
  std::ofstream(src) << source;
  run(std::string(DUSIM_PPC_AS) + " -a64 -mbig -mpower7 " + src.string() + " -o " + obj.string());
  std::vector<uint32_t> words;
  for (auto& [w, d] : objdump(obj, "raw")) words.push_back(w);
  return words;
}

std::vector<Disassembled> CrossTools::disassemble(const std::vector<uint32_t>& words, const std::string& options) {
  std::string name = "words" + std::to_string(files_++);
  fs::path src = dir_ / (name + ".s"), obj = dir_ / (name + ".o");
  {
    std::ofstream s(src);
    char buf[32];
    for (uint32_t w : words) {
      snprintf(buf, sizeof buf, ".long 0x%08x\n", w);
      s << buf;
    }
  }
  run(std::string(DUSIM_PPC_AS) + " -a64 -mbig -mpower7 " + src.string() + " -o " + obj.string());
  auto lines = objdump(obj, options);
  if (lines.size() != words.size())
    throw std::runtime_error("objdump printed " + std::to_string(lines.size()) + " lines for " +
                             std::to_string(words.size()) + " words");
  std::vector<Disassembled> out;
  out.reserve(words.size());
  for (size_t k = 0; k < words.size(); ++k) {
    if (lines[k].first != words[k]) throw std::runtime_error("objdump lines out of order at word " + std::to_string(k));
    out.push_back(std::move(lines[k].second));
  }
  return out;
}

}  // namespace dusim::ppc::test
