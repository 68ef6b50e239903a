// Our decoder against binutils on random words.
//
// For every entry of the table, words are drawn by taking the entry's
// match and randomizing every bit outside its mask (fixed seed; every other
// word has its reserved fields cleared, so entries with many reserved bits
// still yield well-formed words). Each word is also mutated by flipping one
// bit of the mask at a time, which lands on other entries or on words we do
// not decode. objdump disassembles all of them twice: with extended mnemonics
// (`-M power7`, read through the alias table of objdump_names.cc) and with
// base mnemonics (`-M raw,power7`); both must name the entry decode() chose,
// with suffixes that match the word's OE/Rc/LK/AA bits. A few instructions
// binutils files under another CPU are disassembled under that one instead
// (binutils_cpu() in isa_rules.cc). `-M any` is not used: for a word POWER7
// rejects it falls back to POWER-era and embedded names (lu, lm, mbar) that
// accept invalid forms.
//
// A word objdump prints as `.long` while we decode it is judged again with
// its reserved bits cleared (isa_rules.h): if objdump then agrees, the
// difference was only reserved bits; if the word is an invalid form the ISA
// names, it is counted under that rule. Both are summarized, not failed.
// Everything else fails: a different mnemonic, an unexplained `.long`, or a
// word we reject that binutils reads as one of our entries.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_ppc64/decoder.h"
#include "cross_tools.h"
#include "isa_rules.h"
#include "objdump_names.h"
#include "table_lines.h"

namespace dusim::ppc::test {
namespace {

constexpr int kWordsPerEntry = 512;
constexpr uint32_t kSeed = 0x0d051a;

struct Word {
  uint32_t raw;
  uint16_t def;     // decode(raw)
  uint16_t source;  // the entry it was drawn from
};

std::string hex(uint32_t w) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%08x", w);
  return buf;
}

const char* mnemonic(uint16_t def) { return insn_table()[def].mnemonic; }

uint16_t entry_named(std::string_view m) {
  for (uint16_t k = 0; k < insn_table().size(); ++k)
    if (m == insn_table()[k].mnemonic) return k;
  return kNoDef;
}

std::vector<Word> draw_words() {
  auto t = insn_table();
  std::mt19937 rng(kSeed);
  std::vector<Word> words;
  for (uint16_t k = 0; k < t.size(); ++k) {
    std::vector<uint32_t> drawn;
    for (int n = 0; n < kWordsPerEntry; ++n) {
      uint32_t w = t[k].match | (uint32_t(rng()) & ~t[k].mask);
      if (n % 2 == 0) w &= ~reserved_bits(t[k].mnemonic, w);
      drawn.push_back(w);
    }
    for (uint32_t w : drawn) words.push_back({w, decode(w), k});
    for (uint32_t bit = 1; bit; bit <<= 1) {
      if (!(t[k].mask & bit)) continue;
      for (int n = 0; n < 2; ++n) {
        uint32_t w = drawn[n] ^ bit;
        words.push_back({w, decode(w), k});
      }
    }
  }
  return words;
}

// Whether objdump's line names entry `def` for word `raw`.
bool names_entry(const Disassembled& d, Names kind, uint16_t def, uint32_t raw) {
  if (!d.valid) return false;
  for (const Reading& r : read_mnemonic(d.mnemonic, kind))
    if (r.base == mnemonic(def) && suffixes_agree(r, raw)) return true;
  return false;
}

// objdump's verdict on a word we decode as `def`, from both of its views. The
// views can differ: with -M raw, binutils also rejects a branch whose BO hint
// bits are the reserved at=01, which its extended mnemonics accept.
enum class Verdict { Agrees, Disagrees, Rejects };
Verdict judge(const Disassembled& ext, const Disassembled& raw, uint16_t def, uint32_t w) {
  bool by_ext = names_entry(ext, Names::Extended, def, w), by_raw = names_entry(raw, Names::Raw, def, w);
  if ((ext.valid && !by_ext) || (raw.valid && !by_raw)) return Verdict::Disagrees;
  return by_ext && by_raw ? Verdict::Agrees : Verdict::Rejects;
}

// The table entry that objdump's raw line names, if any.
const char* our_entry_in(const Disassembled& raw_line, uint32_t raw) {
  if (!raw_line.valid) return nullptr;
  for (const Reading& r : read_mnemonic(raw_line.mnemonic, Names::Raw)) {
    uint16_t k = entry_named(r.base);
    if (k != kNoDef && suffixes_agree(r, raw)) return mnemonic(k);
  }
  return nullptr;
}

// objdump's two views of a list of words, each under the CPU binutils files
// the word's instruction under.
struct Views {
  std::vector<Disassembled> extended, raw;
};
Views disassemble(CrossTools& tools, const std::vector<uint32_t>& raws, const std::vector<std::string>& cpus) {
  Views v{std::vector<Disassembled>(raws.size()), std::vector<Disassembled>(raws.size())};
  for (const std::string& cpu : std::set<std::string>(cpus.begin(), cpus.end())) {
    std::vector<uint32_t> group;
    std::vector<size_t> where;
    for (size_t k = 0; k < raws.size(); ++k)
      if (cpus[k] == cpu) group.push_back(raws[k]), where.push_back(k);
    auto ext = tools.disassemble(group, cpu);
    auto raw = tools.disassemble(group, "raw," + cpu);
    for (size_t k = 0; k < group.size(); ++k) v.extended[where[k]] = ext[k], v.raw[where[k]] = raw[k];
  }
  return v;
}

struct Tally {
  std::map<std::string, int> agreed;            // per entry
  std::map<std::string, int> reserved;          // per entry: .long only because of reserved bits
  std::map<std::string, int> invalid_forms;     // per rule
  std::map<std::string, std::string> examples;  // per category: one word, for the summary
  std::map<std::string, int> rejected_by_us;    // words we do not decode, by objdump's raw mnemonic
  std::vector<std::string> failures;

  void fail(const std::string& what) { failures.push_back(what); }
  void example(const std::string& category, const std::string& text) { examples.emplace(category, text); }
};

void print_summary(const Tally& t, size_t words, double seconds) {
  int agreed = 0, reserved = 0, invalid = 0;
  for (auto& [m, n] : t.agreed) agreed += n;
  for (auto& [m, n] : t.reserved) reserved += n;
  for (auto& [m, n] : t.invalid_forms) invalid += n;
  printf("decoder vs binutils: %zu words in %.1f s\n", words, seconds);
  printf("  agreed (mnemonic and suffix bits, extended and raw): %d words, %zu entries\n", agreed, t.agreed.size());
  printf("  entries with the fewest agreeing words:");
  for (auto& [m, n] : t.agreed)
    if (n < 64) printf(" %s:%d", m.c_str(), n);
  int ours_not = 0;
  for (auto& [m, n] : t.rejected_by_us) ours_not += n;
  printf("\n  not decoded by us, nor by objdump as one of our entries: %d words; objdump:\n   ", ours_not);
  for (auto& [m, n] : t.rejected_by_us) printf(" %s:%d", m.c_str(), n);
  printf("\n");
  printf("  .long only because of reserved bits: %d words in %zu entries:\n   ", reserved, t.reserved.size());
  for (auto& [m, n] : t.reserved) printf(" %s:%d", m.c_str(), n);
  printf("\n  .long as invalid forms (ours to refuse at execution, not at decode): %d words\n", invalid);
  for (auto& [rule, n] : t.invalid_forms) printf("    %6d  %s\n", n, rule.c_str());
  printf("  examples:\n");
  for (auto& [category, text] : t.examples) printf("    %-28s %s\n", category.c_str(), text.c_str());
  printf("  failures: %zu\n", t.failures.size());
}

// The comparison can fail: a wrong entry, a wrong suffix bit and a word we
// would wrongly reject are all caught; the rules that excuse a `.long` do not
// excuse well-formed words.
TEST(DecoderVsBinutils, ComparisonCatchesWrongAnswers) {
  CrossTools tools;
  const uint32_t add = 0x7c642a14, add_rc = 0x7c642a15, mr = 0x7c832378, mflr = 0x7c0802a6, bdnz = 0x4200fff8;
  std::vector<uint32_t> raws = {add, add_rc, mr, mflr, bdnz};
  auto ext = tools.disassemble(raws, "power7"), raw = tools.disassemble(raws, "raw,power7");

  EXPECT_EQ(judge(ext[0], raw[0], entry_named("add"), add), Verdict::Agrees);
  EXPECT_EQ(judge(ext[0], raw[0], entry_named("subf"), add), Verdict::Disagrees);
  EXPECT_EQ(judge(ext[1], raw[1], entry_named("add"), add_rc), Verdict::Agrees);
  EXPECT_EQ(judge(ext[1], raw[1], entry_named("add"), add), Verdict::Disagrees) << "'.' printed, Rc=0 in the word";
  EXPECT_EQ(judge(ext[2], raw[2], entry_named("or"), mr), Verdict::Agrees) << ext[2].text();
  EXPECT_EQ(judge(ext[2], raw[2], entry_named("nor"), mr), Verdict::Disagrees);
  EXPECT_EQ(judge(ext[3], raw[3], entry_named("mfspr"), mflr), Verdict::Agrees) << ext[3].text();
  EXPECT_EQ(judge(ext[3], raw[3], entry_named("mtspr"), mflr), Verdict::Disagrees);
  EXPECT_EQ(judge(ext[4], raw[4], entry_named("bc"), bdnz), Verdict::Agrees) << ext[4].text();
  EXPECT_EQ(judge(ext[4], raw[4], entry_named("bclr"), bdnz), Verdict::Disagrees);
  EXPECT_EQ(judge(ext[4], raw[4], entry_named("bc"), bdnz | 1), Verdict::Disagrees)
      << "no 'l' printed, LK=1 in the word";

  // A word we failed to decode would be caught by name.
  EXPECT_STREQ(our_entry_in(raw[0], add), "add");
  EXPECT_EQ(our_entry_in(raw[2], mr), std::string("or"));
  // Extended names are only read as such outside -M raw.
  EXPECT_TRUE(read_mnemonic("mr", Names::Raw).empty());
  EXPECT_FALSE(read_mnemonic("mr", Names::Extended).empty());
  EXPECT_TRUE(read_mnemonic("frobnicate", Names::Extended).empty());

  // The excuses: reserved bits and invalid forms name only what they should.
  EXPECT_EQ(reserved_bits("mfmsr", 0x7c6000a6), 0x001ff801u);  // bits 11-20 and 31
  EXPECT_EQ(reserved_bits("add", add), 0u);
  EXPECT_NE(invalid_form("lwzu", 0x84600008), nullptr);  // lwzu 3,8(0)
  EXPECT_EQ(invalid_form("lwzu", 0x84640008), nullptr);  // lwzu 3,8(4)
  EXPECT_EQ(invalid_form("add", add), nullptr);
}

TEST(DecoderVsBinutils, RandomOperandFields) {
  auto start = std::chrono::steady_clock::now();
  CrossTools tools;
  std::vector<Word> words = draw_words();

  std::vector<uint32_t> raws;
  std::vector<std::string> cpus;
  for (const Word& w : words) {
    raws.push_back(w.raw);
    cpus.push_back(binutils_cpu(mnemonic(w.def != kNoDef ? w.def : w.source)));
  }
  Views v = disassemble(tools, raws, cpus);

  Tally tally;
  std::vector<size_t> rejected;  // decoded by us, .long to objdump
  for (size_t k = 0; k < words.size(); ++k) {
    const Word& w = words[k];
    const Disassembled &ext = v.extended[k], &raw = v.raw[k];
    if (w.def == kNoDef) {
      if (const char* ours = our_entry_in(raw, w.raw))
        tally.fail(hex(w.raw) + ": decoder rejects it, objdump reads it as " + ours + " (\"" + raw.text() + "\")");
      else
        ++tally.rejected_by_us[raw.mnemonic];
      continue;
    }
    switch (judge(ext, raw, w.def, w.raw)) {
      case Verdict::Agrees:
        ++tally.agreed[mnemonic(w.def)];
        tally.example("agreed",
                      hex(w.raw) + " " + mnemonic(w.def) + " = \"" + ext.text() + "\" / \"" + raw.text() + "\"");
        break;
      case Verdict::Disagrees:
        tally.fail(hex(w.raw) + ": decoder says " + mnemonic(w.def) + ", objdump says \"" + ext.text() + "\" (raw \"" +
                   raw.text() + "\")");
        break;
      case Verdict::Rejects:
        rejected.push_back(k);
        break;
    }
  }

  // The words objdump rejected, again with their reserved bits cleared.
  std::vector<uint32_t> cleared;
  std::vector<std::string> cleared_cpus;
  for (size_t k : rejected) {
    const Word& w = words[k];
    cleared.push_back(w.raw & ~reserved_bits(mnemonic(w.def), w.raw));
    cleared_cpus.push_back(cpus[k]);
  }
  Views again = disassemble(tools, cleared, cleared_cpus);
  for (size_t n = 0; n < rejected.size(); ++n) {
    const Word& w = words[rejected[n]];
    uint32_t w0 = cleared[n];
    const Disassembled &ext0 = again.extended[n], &raw0 = again.raw[n];
    std::string what = hex(w.raw) + " (" + mnemonic(w.def) + ")";
    Verdict v0 = judge(ext0, raw0, w.def, w0);
    if (w0 != w.raw && v0 == Verdict::Agrees) {
      ++tally.reserved[mnemonic(w.def)];
      tally.example("reserved bits", what + ": .long; without reserved bits " + hex(w0) + " = \"" + ext0.text() + "\"");
    } else if (v0 == Verdict::Disagrees) {
      tally.fail(what + ": .long; without reserved bits " + hex(w0) + " objdump says \"" + ext0.text() + "\" (raw \"" +
                 raw0.text() + "\")");
    } else if (const char* rule = invalid_form(mnemonic(w.def), w0)) {
      ++tally.invalid_forms[rule];
      tally.example(std::string("invalid form: ") + mnemonic(w.def), what + ": " + rule);
    } else {
      tally.fail(what + ": objdump prints .long, even as " + hex(w0) +
                 " without reserved bits; no invalid-form rule applies");
    }
  }

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(tally, words.size(), seconds);

  // Every entry was compared with binutils on some well-formed word.
  for (size_t k = 0; k < insn_table().size(); ++k) {
    EXPECT_GT(tally.agreed[mnemonic(k)], 0) << mnemonic(k) << " never agreed with objdump";
  }
  for (size_t n = 0; n < tally.failures.size() && n < 60; ++n) ADD_FAILURE() << tally.failures[n];
  EXPECT_EQ(tally.failures.size(), 0u);
}

}  // namespace
}  // namespace dusim::ppc::test
