// The instruction table is unambiguous: no 32-bit word matches two entries,
// every entry decodes to itself, and names and bodies are not reused.
//
// Two entries (m1, v1) and (m2, v2) overlap iff some word w has
// (w & m1) == v1 and (w & m2) == v2. On the bits both masks fix, that needs
// v1 and v2 to agree; the remaining bits are free. Hence
//   overlap  <=>  ((m1 & m2) & (v1 ^ v2)) == 0,
// and when they overlap, v1 | (v2 & ~m1) is a word that matches both.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "cpu_ppc64/decoder.h"
#include "table_lines.h"

namespace dusim::ppc::test {
namespace {

bool matches(uint32_t w, uint32_t mask, uint32_t match) { return (w & mask) == match; }

bool overlap(const InsnDef& a, const InsnDef& b) { return ((a.mask & b.mask) & (a.match ^ b.match)) == 0; }

// A word that matches both entries when they overlap.
uint32_t witness(const InsnDef& a, const InsnDef& b) { return a.match | (b.match & ~a.mask); }

std::string hex(uint32_t w) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%08x", w);
  return buf;
}

// ---- the predicate itself ---------------------------------------------------

// Exhaustive over 8-bit words: the predicate says "overlap" exactly when some
// word matches both, and the witness is such a word.
TEST(OverlapPredicate, AgreesWithExhaustiveSearchOnSmallWords) {
  std::mt19937 rng(2);
  int overlapping = 0, disjoint = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    InsnDef a{}, b{};
    a.mask = rng() & 0xff;
    a.match = rng() & a.mask;
    b.mask = rng() & 0xff;
    b.match = rng() & b.mask;
    bool some_word_matches_both = false;
    for (uint32_t w = 0; w < 256; ++w)
      some_word_matches_both |= matches(w, a.mask, a.match) && matches(w, b.mask, b.match);
    ASSERT_EQ(overlap(a, b), some_word_matches_both)
        << "mask/match " << hex(a.mask) << "/" << hex(a.match) << " vs " << hex(b.mask) << "/" << hex(b.match);
    if (some_word_matches_both) {
      ++overlapping;
      uint32_t w = witness(a, b);
      EXPECT_TRUE(matches(w, a.mask, a.match) && matches(w, b.mask, b.match));
    } else {
      ++disjoint;
    }
  }
  EXPECT_GT(overlapping, 100);  // both outcomes were exercised
  EXPECT_GT(disjoint, 100);
}

// Deliberately colliding entries built by the decoder's own make_def.
TEST(OverlapPredicate, FlagsCollidingTableLines) {
  // An X-form line reusing add's extended opcode: X ignores nothing that XO fixes.
  InsnDef add = make_def("add", Form::XO, 31, 266, nullptr, InsnClass::Alu);
  InsnDef fake = make_def("fake", Form::X, 31, 266, nullptr, InsnClass::Alu);
  EXPECT_TRUE(overlap(add, fake));
  EXPECT_EQ(decode(witness(add, fake)), decode(add.match));  // the real table takes the word as add

  // mfcr written as plain X-form would swallow mfocrf (bit 11 is then free).
  InsnDef mfocrf = make_def("mfocrf", Form::XFXo, 31, 19 | 1024, nullptr, InsnClass::Alu);
  InsnDef mfcr_as_x = make_def("mfcr", Form::X, 31, 19, nullptr, InsnClass::Alu);
  EXPECT_TRUE(overlap(mfocrf, mfcr_as_x));

  // A primary-only line overlaps everything under its opcode.
  InsnDef prim31 = make_def("everything", Form::Prim, 31, 0, nullptr, InsnClass::Alu);
  EXPECT_TRUE(overlap(prim31, add));

  // Disjoint: mfcr and mfocrf as the table writes them; add and subf.
  InsnDef mfcr = make_def("mfcr", Form::XFXo, 31, 19, nullptr, InsnClass::Alu);
  EXPECT_FALSE(overlap(mfcr, mfocrf));
  EXPECT_FALSE(overlap(add, make_def("subf", Form::XO, 31, 40, nullptr, InsnClass::Alu)));
  EXPECT_FALSE(overlap(make_def("ld", Form::DS, 58, 0, nullptr, InsnClass::Load),
                       make_def("ldu", Form::DS, 58, 1, nullptr, InsnClass::Load)));
}

// ---- the table ---------------------------------------------------------------

TEST(InsnTable, NoTwoEntriesOverlap) {
  auto t = insn_table();
  int pairs = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    for (size_t j = i + 1; j < t.size(); ++j, ++pairs) {
      EXPECT_FALSE(overlap(t[i], t[j])) << t[i].mnemonic << " and " << t[j].mnemonic << " both match "
                                        << hex(witness(t[i], t[j]));
    }
  }
  EXPECT_EQ(pairs, int(t.size() * (t.size() - 1) / 2));
}

TEST(InsnTable, MatchLiesWithinMask) {
  for (const InsnDef& d : insn_table()) {
    EXPECT_EQ(d.match & ~d.mask, 0u) << d.mnemonic << " match " << hex(d.match) << " mask " << hex(d.mask);
    EXPECT_EQ(d.mask >> 26, 0x3fu) << d.mnemonic << ": the primary opcode is always part of the mask";
  }
}

TEST(InsnTable, EntriesAreTheDefLinesInOrder) {
  auto t = insn_table();
  ASSERT_EQ(t.size(), std::size(kTableLines));
  for (size_t k = 0; k < t.size(); ++k) {
    const TableLine& l = kTableLines[k];
    InsnDef d = make_def(l.mnemonic, l.form, l.po, l.xo, nullptr, InsnClass::Alu);
    EXPECT_STREQ(t[k].mnemonic, l.mnemonic);
    EXPECT_EQ(t[k].mask, d.mask) << l.mnemonic;
    EXPECT_EQ(t[k].match, d.match) << l.mnemonic;
  }
}

TEST(InsnTable, MnemonicsAreUnique) {
  std::map<std::string, size_t> seen;
  for (size_t k = 0; k < insn_table().size(); ++k) {
    auto [it, fresh] = seen.emplace(insn_table()[k].mnemonic, k);
    EXPECT_TRUE(fresh) << insn_table()[k].mnemonic << " is on lines " << it->second << " and " << k;
  }
}

// Every line has a body of its own, by name and by function.
TEST(InsnTable, NoTwoEntriesShareABody) {
  auto t = insn_table();
  std::map<std::string, size_t> by_body;
  std::map<ExecFn, size_t> by_exec;
  for (size_t k = 0; k < t.size(); ++k) {
    ASSERT_NE(t[k].exec, nullptr) << t[k].mnemonic;
    auto [b, fresh_body] = by_body.emplace(kTableLines[k].body, k);
    auto [e, fresh_exec] = by_exec.emplace(t[k].exec, k);
    EXPECT_TRUE(fresh_body) << "body " << b->first << " reused by " << t[k].mnemonic;
    EXPECT_TRUE(fresh_exec) << t[k].mnemonic << " shares the function of " << t[e->second].mnemonic;
  }
}

// decode() finds every entry from its own match and from any word that
// matches it (bits outside the mask drawn at random, fixed seed).
TEST(InsnTable, DecodeFindsEachEntry) {
  auto t = insn_table();
  std::mt19937 rng(7);
  for (size_t k = 0; k < t.size(); ++k) {
    EXPECT_EQ(decode(t[k].match), k) << t[k].mnemonic << " from " << hex(t[k].match);
    for (int n = 0; n < 1000; ++n) {
      uint32_t w = t[k].match | (uint32_t(rng()) & ~t[k].mask);
      ASSERT_EQ(decode(w), k) << t[k].mnemonic << " from " << hex(w);
    }
  }
}

}  // namespace
}  // namespace dusim::ppc::test

namespace dusim::ppc::test {
namespace {

// The store-conditionals' bit 31 is part of the opcode (always 1; binutils
// rejects the word otherwise): with it clear the word is not an instruction.
TEST(InsnTable, StoreConditionalNeedsBit31) {
  const std::map<std::string, uint32_t> words = {
      {"stbcx.", 0x7c64456d}, {"sthcx.", 0x7c6445ad}, {"stwcx.", 0x7c64412d}, {"stdcx.", 0x7c6441ad}};
  for (const auto& [name, raw] : words) {
    uint16_t k = decode(raw);
    ASSERT_NE(k, kNoDef) << name;
    EXPECT_STREQ(insn_table()[k].mnemonic, name.c_str());
    EXPECT_EQ(decode(raw & ~1u), kNoDef) << name << " with bit 31 = 0";
  }
}

}  // namespace
}  // namespace dusim::ppc::test
