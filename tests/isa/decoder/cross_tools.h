// The cross binutils that ./dusim installs, run as the reference for the
// decoder tests: `as` turns assembly text into words, `objdump` turns words
// back into text. Both run in a scratch directory removed on destruction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dusim::ppc::test {

// One line of objdump -d: the mnemonic as printed (with its suffixes) and the
// operand text. Words objdump cannot decode print as `.long` and are invalid.
struct Disassembled {
  bool valid;
  std::string mnemonic;
  std::string operands;
  std::string text() const { return operands.empty() ? mnemonic : mnemonic + " " + operands; }
};

class CrossTools {
 public:
  CrossTools();
  ~CrossTools();
  CrossTools(const CrossTools&) = delete;
  CrossTools& operator=(const CrossTools&) = delete;

  // Assembles `source` (64-bit, big-endian, -mpower7 unless a `.machine`
  // line says otherwise) and returns the words of its .text section.
  std::vector<uint32_t> assemble(const std::string& source);

  // Disassembles `words` with `objdump -d -M <options>`, one result per word.
  std::vector<Disassembled> disassemble(const std::vector<uint32_t>& words, const std::string& options);

 private:
  void run(const std::string& command);
  std::vector<std::pair<uint32_t, Disassembled>> objdump(const std::filesystem::path& object,
                                                         const std::string& options);

  std::filesystem::path dir_;
  int files_ = 0;
};

}  // namespace dusim::ppc::test
