// Reading objdump's mnemonics as entries of our instruction table.
//
// objdump prints a base mnemonic with suffixes ("addo." = add with OE=1 and
// Rc=1, "bcla+" = bc with LK=1, AA=1 and a taken hint) or, unless told `-M
// raw`, an extended mnemonic ("mr", "beqlr", "sldi", "mflr"). A Reading is
// one base instruction that the printed name can stand for, together with the
// suffix bits the name states; suffixes_agree() checks those bits against the
// word itself, so a suffix is never taken on trust. The extended-mnemonic
// table is in objdump_names.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dusim::ppc::test {

struct Reading {
  std::string base;   // mnemonic of a table entry
  bool rc = false;    // '.' suffix
  bool oe = false;    // 'o' suffix (XO form)
  bool lk = false;    // 'l' suffix (branches)
  bool aa = false;    // 'a' suffix (branches)
  bool hint = false;  // '+' or '-' suffix (conditional branches)
};

enum class Names {
  Extended,  // objdump's default output: extended mnemonics are read through the alias table
  Raw,       // `objdump -M raw`: base mnemonics only
};

// Every reading of `printed`; empty when it names nothing in our table.
std::vector<Reading> read_mnemonic(std::string_view printed, Names names);

// Whether the word's OE, Rc, LK and AA bits are what the reading's suffixes say.
bool suffixes_agree(const Reading& r, uint32_t raw);

}  // namespace dusim::ppc::test
