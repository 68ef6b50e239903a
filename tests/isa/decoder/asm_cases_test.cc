// Our decoder against the assembler: one line of assembly per table entry
// (and some extended mnemonics), assembled by powerpc64-linux-gnu-as; the word
// must decode to the entry named, and the field accessors of insn.h must give
// back the operands written. Every entry of the table needs a line here: the
// test fails on an entry without one, so a new table line comes with its case.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cpu_ppc64/decoder.h"
#include "cross_tools.h"
#include "isa_rules.h"

namespace dusim::ppc::test {
namespace {

// The accessors of insn.h by field name, with the other names the ISA gives
// the same bits (as insn.h's comments list them).
using Accessor = int64_t (*)(uint32_t);
const std::map<std::string, Accessor>& fields() {
  static const std::map<std::string, Accessor> f = {
      {"RT", [](uint32_t w) -> int64_t { return RT(w); }},
      {"RS", [](uint32_t w) -> int64_t { return RT(w); }},
      {"BO", [](uint32_t w) -> int64_t { return RT(w); }},
      {"TO", [](uint32_t w) -> int64_t { return RT(w); }},
      {"BT", [](uint32_t w) -> int64_t { return RT(w); }},
      {"RA", [](uint32_t w) -> int64_t { return RA(w); }},
      {"BI", [](uint32_t w) -> int64_t { return RA(w); }},
      {"BA", [](uint32_t w) -> int64_t { return RA(w); }},
      {"RB", [](uint32_t w) -> int64_t { return RB(w); }},
      {"BB", [](uint32_t w) -> int64_t { return RB(w); }},
      {"SH", [](uint32_t w) -> int64_t { return RB(w); }},
      {"RC", [](uint32_t w) -> int64_t { return RC(w); }},
      {"MB", [](uint32_t w) -> int64_t { return RC(w); }},
      {"BC", [](uint32_t w) -> int64_t { return RC(w); }},
      {"ME", [](uint32_t w) -> int64_t { return ME(w); }},
      {"Rc", [](uint32_t w) -> int64_t { return Rc(w); }},
      {"EH", [](uint32_t w) -> int64_t { return Rc(w); }},
      {"OE", [](uint32_t w) -> int64_t { return OE(w); }},
      {"LK", [](uint32_t w) -> int64_t { return LK(w); }},
      {"AA", [](uint32_t w) -> int64_t { return AA(w); }},
      {"BF", [](uint32_t w) -> int64_t { return BF(w); }},
      {"BFA", [](uint32_t w) -> int64_t { return BFA(w); }},
      {"L", [](uint32_t w) -> int64_t { return L10(w); }},
      {"SI", [](uint32_t w) -> int64_t { return SI(w); }},
      {"UI", [](uint32_t w) -> int64_t { return int64_t(UI(w)); }},
      {"DS", [](uint32_t w) -> int64_t { return DS(w); }},
      {"BD", [](uint32_t w) -> int64_t { return BD(w); }},
      {"LI", [](uint32_t w) -> int64_t { return LI(w); }},
      {"SPR", [](uint32_t w) -> int64_t { return SPR(w); }},
      {"FXM", [](uint32_t w) -> int64_t { return FXM(w); }},
      {"SH64", [](uint32_t w) -> int64_t { return SH64(w); }},
      {"MB64", [](uint32_t w) -> int64_t { return MB64(w); }},
      {"FRT", [](uint32_t w) -> int64_t { return RT(w); }},
      {"FRS", [](uint32_t w) -> int64_t { return RT(w); }},
      {"FRA", [](uint32_t w) -> int64_t { return RA(w); }},
      {"FRB", [](uint32_t w) -> int64_t { return RB(w); }},
      {"FRC", [](uint32_t w) -> int64_t { return RC(w); }},
      {"FLM", [](uint32_t w) -> int64_t { return FLM(w); }},
      {"L6", [](uint32_t w) -> int64_t { return L6(w); }},
      {"W", [](uint32_t w) -> int64_t { return W15(w); }},
      {"U", [](uint32_t w) -> int64_t { return U4(w); }},
  };
  return f;
}

struct AsmCase {
  const char* text;           // one instruction, binutils syntax
  const char* entry;          // the table entry it must decode to
  const char* expect;         // "FIELD=value ...", values in C syntax
  const char* cpu = nullptr;  // `.machine` for it; default: binutils_cpu(entry)
};

// Operand order is the ISA's: "and RA,RS,RB" puts RS in bits 6-10 (accessor
// RT/RS) and RA in 11-15. Branch targets are relative to the line (".+8").
// The L field of sync and dcbf and TH of dcbt sit in the RT field; L of
// mtmsrd is bit 15, the low bit of the RA field; EH of larx is bit 31.
const AsmCase kCases[] = {
    // ---- branches, system call ----
    {"b .+0x100", "b", "LI=0x100 AA=0 LK=0"},
    {"bla 0x1234", "b", "LI=0x1234 AA=1 LK=1"},
    {"bc 12,2,.-8", "bc", "BO=12 BI=2 BD=-8 AA=0 LK=0"},
    {"bcla 4,30,0x80", "bc", "BO=4 BI=30 BD=0x80 AA=1 LK=1"},
    {"sc", "sc", ""},
    {"bclr 20,0,0", "bclr", "BO=20 BI=0 LK=0"},
    {"bclrl 12,5,0", "bclr", "BO=12 BI=5 LK=1"},
    {"bcctr 20,0,0", "bcctr", "BO=20 BI=0 LK=0"},
    {"bcctrl 4,7,0", "bcctr", "BO=4 BI=7 LK=1"},
    {"bctar 12,1,0", "bctar", "BO=12 BI=1 LK=0"},
    {"rfid", "rfid", ""},
    {"hrfid", "hrfid", ""},
    {"isync", "isync", ""},
    // ---- condition register ----
    {"mcrf 2,5", "mcrf", "BF=2 BFA=5"},
    {"crand 1,2,3", "crand", "BT=1 BA=2 BB=3"},
    {"crandc 4,5,6", "crandc", "BT=4 BA=5 BB=6"},
    {"creqv 7,8,9", "creqv", "BT=7 BA=8 BB=9"},
    {"crnand 10,11,12", "crnand", "BT=10 BA=11 BB=12"},
    {"crnor 13,14,15", "crnor", "BT=13 BA=14 BB=15"},
    {"cror 16,17,18", "cror", "BT=16 BA=17 BB=18"},
    {"crorc 19,20,21", "crorc", "BT=19 BA=20 BB=21"},
    {"crxor 22,23,31", "crxor", "BT=22 BA=23 BB=31"},
    {"mfcr 3", "mfcr", "RT=3"},
    {"mfocrf 3,0x10", "mfocrf", "RT=3 FXM=0x10"},
    {"mtcrf 0x81,3", "mtcrf", "FXM=0x81 RS=3"},  // one-bit masks assemble as mtocrf on POWER4+
    {"mtocrf 0x01,5", "mtocrf", "FXM=0x01 RS=5"},
    // ---- arithmetic, immediate ----
    {"addi 3,4,-5", "addi", "RT=3 RA=4 SI=-5"},
    {"addis 3,4,0x1234", "addis", "RT=3 RA=4 SI=0x1234"},
    {"addic 5,6,100", "addic", "RT=5 RA=6 SI=100"},
    {"addic. 7,8,-1", "addic.", "RT=7 RA=8 SI=-1"},
    {"subfic 9,10,32767", "subfic", "RT=9 RA=10 SI=32767"},
    {"mulli 11,12,-32768", "mulli", "RT=11 RA=12 SI=-32768"},
    // ---- arithmetic, register ----
    {"add 3,4,5", "add", "RT=3 RA=4 RB=5 OE=0 Rc=0"},
    {"addc. 6,7,8", "addc", "RT=6 RA=7 RB=8 OE=0 Rc=1"},
    {"addeo 9,10,11", "adde", "RT=9 RA=10 RB=11 OE=1 Rc=0"},
    {"addmeo. 12,13", "addme", "RT=12 RA=13 OE=1 Rc=1"},
    {"addze 14,15", "addze", "RT=14 RA=15 OE=0 Rc=0"},
    {"subf 16,17,18", "subf", "RT=16 RA=17 RB=18"},
    {"subfc 19,20,21", "subfc", "RT=19 RA=20 RB=21"},
    {"subfe 22,23,24", "subfe", "RT=22 RA=23 RB=24"},
    {"subfme 25,26", "subfme", "RT=25 RA=26"},
    {"subfze. 27,28", "subfze", "RT=27 RA=28 Rc=1"},
    {"nego 29,30", "neg", "RT=29 RA=30 OE=1"},
    {"mullw 3,4,5", "mullw", "RT=3 RA=4 RB=5"},
    {"mulldo. 6,7,8", "mulld", "RT=6 RA=7 RB=8 OE=1 Rc=1"},
    {"mulhw 9,10,11", "mulhw", "RT=9 RA=10 RB=11"},
    {"mulhwu. 12,13,14", "mulhwu", "RT=12 RA=13 RB=14 Rc=1"},
    {"mulhd 15,16,17", "mulhd", "RT=15 RA=16 RB=17"},
    {"mulhdu 18,19,20", "mulhdu", "RT=18 RA=19 RB=20"},
    {"divw 21,22,23", "divw", "RT=21 RA=22 RB=23"},
    {"divwu 24,25,26", "divwu", "RT=24 RA=25 RB=26"},
    {"divd 27,28,29", "divd", "RT=27 RA=28 RB=29"},
    {"divduo 30,31,1", "divdu", "RT=30 RA=31 RB=1 OE=1"},
    {"divwe 3,4,5", "divwe", "RT=3 RA=4 RB=5"},
    {"divweu 6,7,8", "divweu", "RT=6 RA=7 RB=8"},
    {"divde 9,10,11", "divde", "RT=9 RA=10 RB=11"},
    {"divdeu 12,13,14", "divdeu", "RT=12 RA=13 RB=14"},
    // ---- compare, trap ----
    {"cmpi 7,1,3,-8", "cmpi", "BF=7 L=1 RA=3 SI=-8"},
    {"cmpli 2,0,4,65535", "cmpli", "BF=2 L=0 RA=4 UI=65535"},
    {"cmp 1,1,3,4", "cmp", "BF=1 L=1 RA=3 RB=4"},
    {"cmpl 0,0,5,6", "cmpl", "BF=0 L=0 RA=5 RB=6"},
    {"twi 4,3,-1", "twi", "TO=4 RA=3 SI=-1"},
    {"tdi 12,5,7", "tdi", "TO=12 RA=5 SI=7"},
    {"tw 31,0,0", "tw", "TO=31 RA=0 RB=0"},
    {"td 4,3,4", "td", "TO=4 RA=3 RB=4"},
    {"isel 3,4,5,6", "isel", "RT=3 RA=4 RB=5 BC=6"},
    // ---- logical ----
    {"andi. 3,4,0xff", "andi.", "RA=3 RS=4 UI=0xff"},
    {"andis. 5,6,0x8000", "andis.", "RA=5 RS=6 UI=0x8000"},
    {"ori 7,8,0xffff", "ori", "RA=7 RS=8 UI=0xffff"},
    {"oris 9,10,1", "oris", "RA=9 RS=10 UI=1"},
    {"xori 11,12,0x1234", "xori", "RA=11 RS=12 UI=0x1234"},
    {"xoris 13,14,0xfedc", "xoris", "RA=13 RS=14 UI=0xfedc"},
    {"and 3,4,5", "and", "RA=3 RS=4 RB=5 Rc=0"},
    {"andc. 6,7,8", "andc", "RA=6 RS=7 RB=8 Rc=1"},
    {"or 9,10,11", "or", "RA=9 RS=10 RB=11"},
    {"orc 12,13,14", "orc", "RA=12 RS=13 RB=14"},
    {"xor 15,16,17", "xor", "RA=15 RS=16 RB=17"},
    {"nor. 18,19,20", "nor", "RA=18 RS=19 RB=20 Rc=1"},
    {"nand 21,22,23", "nand", "RA=21 RS=22 RB=23"},
    {"eqv 24,25,26", "eqv", "RA=24 RS=25 RB=26"},
    {"extsb 3,4", "extsb", "RA=3 RS=4 Rc=0"},
    {"extsh. 5,6", "extsh", "RA=5 RS=6 Rc=1"},
    {"extsw 7,8", "extsw", "RA=7 RS=8"},
    {"cntlzw 9,10", "cntlzw", "RA=9 RS=10"},
    {"cntlzd. 11,12", "cntlzd", "RA=11 RS=12 Rc=1"},
    {"popcntb 13,14", "popcntb", "RA=13 RS=14"},
    {"popcntw 15,16", "popcntw", "RA=15 RS=16"},
    {"popcntd 17,18", "popcntd", "RA=17 RS=18"},
    {"prtyw 19,20", "prtyw", "RA=19 RS=20"},
    {"prtyd 21,22", "prtyd", "RA=21 RS=22"},
    {"cmpb 23,24,25", "cmpb", "RA=23 RS=24 RB=25"},
    // ---- rotate and shift ----
    {"rlwinm 3,4,5,6,7", "rlwinm", "RA=3 RS=4 SH=5 MB=6 ME=7 Rc=0"},
    {"rlwnm. 8,9,10,11,12", "rlwnm", "RA=8 RS=9 RB=10 MB=11 ME=12 Rc=1"},
    {"rlwimi 13,14,31,0,31", "rlwimi", "RA=13 RS=14 SH=31 MB=0 ME=31"},
    {"rldicl 3,4,40,50", "rldicl", "RA=3 RS=4 SH64=40 MB64=50"},
    {"rldicr 5,6,33,62", "rldicr", "RA=5 RS=6 SH64=33 MB64=62"},  // ME sits where MB does
    {"rldic 7,8,5,35", "rldic", "RA=7 RS=8 SH64=5 MB64=35"},
    {"rldimi. 9,10,63,1", "rldimi", "RA=9 RS=10 SH64=63 MB64=1 Rc=1"},
    {"rldcl 11,12,13,40", "rldcl", "RA=11 RS=12 RB=13 MB64=40"},
    {"rldcr 14,15,16,33", "rldcr", "RA=14 RS=15 RB=16 MB64=33"},
    {"slw 3,4,5", "slw", "RA=3 RS=4 RB=5"},
    {"srw. 6,7,8", "srw", "RA=6 RS=7 RB=8 Rc=1"},
    {"sraw 9,10,11", "sraw", "RA=9 RS=10 RB=11"},
    {"srawi 12,13,31", "srawi", "RA=12 RS=13 SH=31"},
    {"sld 14,15,16", "sld", "RA=14 RS=15 RB=16"},
    {"srd 17,18,19", "srd", "RA=17 RS=18 RB=19"},
    {"srad 20,21,22", "srad", "RA=20 RS=21 RB=22"},
    {"sradi 23,24,63", "sradi", "RA=23 RS=24 SH64=63 Rc=0"},
    {"sradi. 25,26,7", "sradi", "RA=25 RS=26 SH64=7 Rc=1"},
    // ---- loads ----
    {"lbz 3,-8(4)", "lbz", "RT=3 RA=4 SI=-8"},
    {"lbzu 5,1(6)", "lbzu", "RT=5 RA=6 SI=1"},
    {"lhz 7,2(8)", "lhz", "RT=7 RA=8 SI=2"},
    {"lhzu 9,-2(10)", "lhzu", "RT=9 RA=10 SI=-2"},
    {"lha 11,4(12)", "lha", "RT=11 RA=12 SI=4"},
    {"lhau 13,-4(14)", "lhau", "RT=13 RA=14 SI=-4"},
    {"lwz 15,0x7ffc(1)", "lwz", "RT=15 RA=1 SI=0x7ffc"},
    {"lwzu 16,-0x8000(17)", "lwzu", "RT=16 RA=17 SI=-0x8000"},
    {"lwa 3,8(4)", "lwa", "RT=3 RA=4 DS=8"},
    {"ld 3,-16(1)", "ld", "RT=3 RA=1 DS=-16"},
    {"ldu 5,32(6)", "ldu", "RT=5 RA=6 DS=32"},
    {"lbzx 3,4,5", "lbzx", "RT=3 RA=4 RB=5"},
    {"lbzux 6,7,8", "lbzux", "RT=6 RA=7 RB=8"},
    {"lhzx 9,10,11", "lhzx", "RT=9 RA=10 RB=11"},
    {"lhzux 12,13,14", "lhzux", "RT=12 RA=13 RB=14"},
    {"lhax 15,16,17", "lhax", "RT=15 RA=16 RB=17"},
    {"lhaux 18,19,20", "lhaux", "RT=18 RA=19 RB=20"},
    {"lwzx 21,22,23", "lwzx", "RT=21 RA=22 RB=23"},
    {"lwzux 24,25,26", "lwzux", "RT=24 RA=25 RB=26"},
    {"lwax 27,28,29", "lwax", "RT=27 RA=28 RB=29"},
    {"lwaux 30,31,1", "lwaux", "RT=30 RA=31 RB=1"},
    {"ldx 3,0,5", "ldx", "RT=3 RA=0 RB=5"},
    {"ldux 6,7,8", "ldux", "RT=6 RA=7 RB=8"},
    {"lhbrx 9,10,11", "lhbrx", "RT=9 RA=10 RB=11"},
    {"lwbrx 12,13,14", "lwbrx", "RT=12 RA=13 RB=14"},
    {"ldbrx 15,16,17", "ldbrx", "RT=15 RA=16 RB=17"},
    {"lmw 28,-64(1)", "lmw", "RT=28 RA=1 SI=-64"},
    {"lswi 5,9,8", "lswi", "RT=5 RA=9 RB=8"},
    {"lswx 5,6,7", "lswx", "RT=5 RA=6 RB=7"},
    {"lbarx 3,4,5", "lbarx", "RT=3 RA=4 RB=5 EH=0"},
    {"lharx 6,7,8", "lharx", "RT=6 RA=7 RB=8"},
    {"lwarx 9,10,11,1", "lwarx", "RT=9 RA=10 RB=11 EH=1"},
    {"ldarx 12,13,14", "ldarx", "RT=12 RA=13 RB=14 EH=0"},
    // ---- stores ----
    {"stb 3,-1(4)", "stb", "RS=3 RA=4 SI=-1"},
    {"stbu 5,1(6)", "stbu", "RS=5 RA=6 SI=1"},
    {"sth 7,2(8)", "sth", "RS=7 RA=8 SI=2"},
    {"sthu 9,-2(10)", "sthu", "RS=9 RA=10 SI=-2"},
    {"stw 3,-4(1)", "stw", "RS=3 RA=1 SI=-4"},
    {"stwu 1,-32(1)", "stwu", "RS=1 RA=1 SI=-32"},
    {"std 3,8(1)", "std", "RS=3 RA=1 DS=8"},
    {"stdu 1,-112(1)", "stdu", "RS=1 RA=1 DS=-112"},
    {"stbx 3,4,5", "stbx", "RS=3 RA=4 RB=5"},
    {"stbux 6,7,8", "stbux", "RS=6 RA=7 RB=8"},
    {"sthx 9,10,11", "sthx", "RS=9 RA=10 RB=11"},
    {"sthux 12,13,14", "sthux", "RS=12 RA=13 RB=14"},
    {"stwx 15,16,17", "stwx", "RS=15 RA=16 RB=17"},
    {"stwux 18,19,20", "stwux", "RS=18 RA=19 RB=20"},
    {"stdx 21,22,23", "stdx", "RS=21 RA=22 RB=23"},
    {"stdux 24,25,26", "stdux", "RS=24 RA=25 RB=26"},
    {"sthbrx 27,28,29", "sthbrx", "RS=27 RA=28 RB=29"},
    {"stwbrx 30,31,3", "stwbrx", "RS=30 RA=31 RB=3"},
    {"stdbrx 4,5,6", "stdbrx", "RS=4 RA=5 RB=6"},
    {"stmw 30,8(1)", "stmw", "RS=30 RA=1 SI=8"},
    {"stswi 5,6,8", "stswi", "RS=5 RA=6 RB=8"},
    {"stswx 5,6,7", "stswx", "RS=5 RA=6 RB=7"},
    {"stbcx. 3,4,5", "stbcx.", "RS=3 RA=4 RB=5 Rc=1"},
    {"sthcx. 6,7,8", "sthcx.", "RS=6 RA=7 RB=8 Rc=1"},
    {"stwcx. 9,10,11", "stwcx.", "RS=9 RA=10 RB=11 Rc=1"},
    {"stdcx. 12,13,14", "stdcx.", "RS=12 RA=13 RB=14 Rc=1"},
    // ---- storage control, ordering ----
    {"sync", "sync", "RT=0"},
    {"sync 1", "sync", "RT=1"},
    {"eieio", "eieio", ""},
    {"dcbt 3,4", "dcbt", "RT=0 RA=3 RB=4"},
    {"dcbt 5,6,16", "dcbt", "RT=16 RA=5 RB=6"},
    {"dcbtst 7,8", "dcbtst", "RT=0 RA=7 RB=8"},
    {"dcbz 3,4", "dcbz", "RA=3 RB=4"},
    {"dcbf 5,6", "dcbf", "RT=0 RA=5 RB=6"},
    {"dcbf 7,8,1", "dcbf", "RT=1 RA=7 RB=8"},
    {"dcbst 9,10", "dcbst", "RA=9 RB=10"},
    {"dcbi 11,12", "dcbi", "RA=11 RB=12"},
    {"icbi 13,14", "icbi", "RA=13 RB=14"},
    // ---- segment lookaside buffer, TLB ----
    {"slbmte 3,4", "slbmte", "RS=3 RB=4"},
    {"slbie 5", "slbie", "RB=5"},
    {"slbia", "slbia", ""},
    {"slbmfev 6,7", "slbmfev", "RT=6 RB=7"},
    {"slbmfee 8,9", "slbmfee", "RT=8 RB=9"},
    {"tlbie 10,0", "tlbie", "RB=10"},
    {"tlbiel 11", "tlbiel", "RB=11"},
    {"tlbsync", "tlbsync", ""},
    // ---- special-purpose registers, machine state ----
    {"mfspr 3,8", "mfspr", "RT=3 SPR=8"},
    {"mfspr 4,1023", "mfspr", "RT=4 SPR=1023"},
    {"mtspr 9,3", "mtspr", "SPR=9 RS=3"},
    {"mtspr 272,5", "mtspr", "SPR=272 RS=5"},
    {"mftb 3", "mftb", "RT=3 SPR=268"},
    {"mftb 4,269", "mftb", "RT=4 SPR=269"},
    {"mfmsr 3", "mfmsr", "RT=3"},
    {"mtmsr 4", "mtmsr", "RS=4 RA=0"},
    {"mtmsrd 5,1", "mtmsrd", "RS=5 RA=1"},
    // ---- floating point: loads and stores ----
    {"lfs 1,8(3)", "lfs", "FRT=1 RA=3 SI=8"},
    {"lfsu 2,-8(4)", "lfsu", "FRT=2 RA=4 SI=-8"},
    {"lfd 3,16(5)", "lfd", "FRT=3 RA=5 SI=16"},
    {"lfdu 4,-16(6)", "lfdu", "FRT=4 RA=6 SI=-16"},
    {"stfs 5,4(7)", "stfs", "FRS=5 RA=7 SI=4"},
    {"stfsu 6,-4(8)", "stfsu", "FRS=6 RA=8 SI=-4"},
    {"stfd 7,24(1)", "stfd", "FRS=7 RA=1 SI=24"},
    {"stfdu 8,-24(1)", "stfdu", "FRS=8 RA=1 SI=-24"},
    {"lfdp 2,16(3)", "lfdp", "FRT=2 RA=3 DS=16"},
    {"stfdp 4,-16(5)", "stfdp", "FRS=4 RA=5 DS=-16"},
    {"lfsx 1,3,4", "lfsx", "FRT=1 RA=3 RB=4"},
    {"lfsux 2,5,6", "lfsux", "FRT=2 RA=5 RB=6"},
    {"lfdx 3,7,8", "lfdx", "FRT=3 RA=7 RB=8"},
    {"lfdux 4,9,10", "lfdux", "FRT=4 RA=9 RB=10"},
    {"lfiwax 5,11,12", "lfiwax", "FRT=5 RA=11 RB=12"},
    {"lfiwzx 6,13,14", "lfiwzx", "FRT=6 RA=13 RB=14"},
    {"lfdpx 8,15,16", "lfdpx", "FRT=8 RA=15 RB=16"},
    {"stfsx 7,15,16", "stfsx", "FRS=7 RA=15 RB=16"},
    {"stfsux 8,17,18", "stfsux", "FRS=8 RA=17 RB=18"},
    {"stfdx 9,19,20", "stfdx", "FRS=9 RA=19 RB=20"},
    {"stfdux 10,21,22", "stfdux", "FRS=10 RA=21 RB=22"},
    {"stfiwx 11,23,24", "stfiwx", "FRS=11 RA=23 RB=24"},
    {"stfdpx 10,25,26", "stfdpx", "FRS=10 RA=25 RB=26"},
    // ---- floating point: arithmetic, multiply-add ----
    {"fadd 4,5,6", "fadd", "FRT=4 FRA=5 FRB=6 Rc=0"},
    {"fadds. 1,2,3", "fadds", "FRT=1 FRA=2 FRB=3 Rc=1"},
    {"fsub 7,8,9", "fsub", "FRT=7 FRA=8 FRB=9"},
    {"fsubs 10,11,12", "fsubs", "FRT=10 FRA=11 FRB=12"},
    {"fmul. 13,14,15", "fmul", "FRT=13 FRA=14 FRC=15 Rc=1"},
    {"fmuls 16,17,18", "fmuls", "FRT=16 FRA=17 FRC=18"},
    {"fdiv 19,20,21", "fdiv", "FRT=19 FRA=20 FRB=21"},
    {"fdivs 22,23,24", "fdivs", "FRT=22 FRA=23 FRB=24"},
    {"fsqrt 25,26", "fsqrt", "FRT=25 FRB=26"},
    {"fsqrts. 27,28", "fsqrts", "FRT=27 FRB=28 Rc=1"},
    {"fre 29,30", "fre", "FRT=29 FRB=30"},
    {"fres 31,0", "fres", "FRT=31 FRB=0"},
    {"frsqrte 1,2", "frsqrte", "FRT=1 FRB=2"},
    {"frsqrtes 3,4", "frsqrtes", "FRT=3 FRB=4"},
    {"fsel 5,6,7,8", "fsel", "FRT=5 FRA=6 FRC=7 FRB=8"},
    {"fmadd 1,2,3,4", "fmadd", "FRT=1 FRA=2 FRC=3 FRB=4 Rc=0"},
    {"fmadds. 5,6,7,8", "fmadds", "FRT=5 FRA=6 FRC=7 FRB=8 Rc=1"},
    {"fmsub 9,10,11,12", "fmsub", "FRT=9 FRA=10 FRC=11 FRB=12"},
    {"fmsubs 13,14,15,16", "fmsubs", "FRT=13 FRA=14 FRC=15 FRB=16"},
    {"fnmadd 17,18,19,20", "fnmadd", "FRT=17 FRA=18 FRC=19 FRB=20"},
    {"fnmadds 21,22,23,24", "fnmadds", "FRT=21 FRA=22 FRC=23 FRB=24"},
    {"fnmsub. 25,26,27,28", "fnmsub", "FRT=25 FRA=26 FRC=27 FRB=28 Rc=1"},
    {"fnmsubs 29,30,31,0", "fnmsubs", "FRT=29 FRA=30 FRC=31 FRB=0"},
    // ---- floating point: rounding and conversion ----
    {"frsp 1,2", "frsp", "FRT=1 FRB=2 Rc=0"},
    {"fctiw 3,4", "fctiw", "FRT=3 FRB=4"},
    {"fctiwz. 5,6", "fctiwz", "FRT=5 FRB=6 Rc=1"},
    {"fctiwu 7,8", "fctiwu", "FRT=7 FRB=8"},
    {"fctiwuz 9,10", "fctiwuz", "FRT=9 FRB=10"},
    {"fctid 11,12", "fctid", "FRT=11 FRB=12"},
    {"fctidz 13,14", "fctidz", "FRT=13 FRB=14"},
    {"fctidu 15,16", "fctidu", "FRT=15 FRB=16"},
    {"fctiduz 17,18", "fctiduz", "FRT=17 FRB=18"},
    {"fcfid 19,20", "fcfid", "FRT=19 FRB=20"},
    {"fcfidu 21,22", "fcfidu", "FRT=21 FRB=22"},
    {"fcfids 23,24", "fcfids", "FRT=23 FRB=24"},
    {"fcfidus. 25,26", "fcfidus", "FRT=25 FRB=26 Rc=1"},
    {"frin 27,28", "frin", "FRT=27 FRB=28"},
    {"friz 29,30", "friz", "FRT=29 FRB=30"},
    {"frip 31,1", "frip", "FRT=31 FRB=1"},
    {"frim. 2,3", "frim", "FRT=2 FRB=3 Rc=1"},
    // ---- floating point: compare, test, move ----
    {"fcmpu 7,1,2", "fcmpu", "BF=7 FRA=1 FRB=2"},
    {"fcmpo 1,3,4", "fcmpo", "BF=1 FRA=3 FRB=4"},
    {"ftdiv 2,5,6", "ftdiv", "BF=2 FRA=5 FRB=6"},
    {"ftsqrt 3,7", "ftsqrt", "BF=3 FRB=7"},
    {"fmr 1,2", "fmr", "FRT=1 FRB=2 Rc=0"},
    {"fneg. 3,4", "fneg", "FRT=3 FRB=4 Rc=1"},
    {"fabs 5,6", "fabs", "FRT=5 FRB=6"},
    {"fnabs 7,8", "fnabs", "FRT=7 FRB=8"},
    {"fcpsgn 9,10,11", "fcpsgn", "FRT=9 FRA=10 FRB=11"},
    // ---- floating point: status and control register ----
    {"mffs 12", "mffs", "FRT=12 Rc=0"},
    {"mffs. 13", "mffs", "FRT=13 Rc=1"},
    {"mcrfs 2,5", "mcrfs", "BF=2 BFA=5"},
    {"mtfsfi 7,3", "mtfsfi", "BF=7 U=3 W=0 Rc=0"},
    {"mtfsfi. 0,15,1", "mtfsfi", "BF=0 U=15 W=1 Rc=1"},
    {"mtfsf 0xff,14", "mtfsf", "FLM=0xff FRB=14 L6=0 W=0"},
    {"mtfsf 0x81,15,1,1", "mtfsf", "FLM=0x81 FRB=15 L6=1 W=1"},
    {"mtfsb0 24", "mtfsb0", "BT=24 Rc=0"},
    {"mtfsb1. 31", "mtfsb1", "BT=31 Rc=1"},
    // ---- extended mnemonics, as the compiler writes them ----
    {"nop", "ori", "RS=0 RA=0 UI=0"},
    {"li 3,-1", "addi", "RT=3 RA=0 SI=-1"},
    {"lis 4,0x1234", "addis", "RT=4 RA=0 SI=0x1234"},
    {"subi 3,4,1", "addi", "RT=3 RA=4 SI=-1"},
    {"mr 3,4", "or", "RA=3 RS=4 RB=4 Rc=0"},
    {"not 5,6", "nor", "RA=5 RS=6 RB=6"},
    {"sub 3,4,5", "subf", "RT=3 RA=5 RB=4"},
    {"blr", "bclr", "BO=20 BI=0 LK=0"},
    {"bctrl", "bcctr", "BO=20 BI=0 LK=1"},
    {"bdnz .-8", "bc", "BO=16 BI=0 BD=-8"},
    {"beq 7,.+12", "bc", "BO=12 BI=30 BD=12"},
    {"bne+ .+16", "bc", "BO=7 BI=2 BD=16"},
    {"bne- .+16", "bc", "BO=6 BI=2 BD=16"},
    {"mflr 0", "mfspr", "RT=0 SPR=8"},
    {"mtctr 12", "mtspr", "RS=12 SPR=9"},
    {"mtxer 3", "mtspr", "RS=3 SPR=1"},
    {"mftb 5", "mfspr", "RT=5 SPR=268", "power7"},  // POWER4 and later: mfspr 268
    {"cmpdi 7,3,0", "cmpi", "BF=7 L=1 RA=3 SI=0"},
    {"cmplw 2,4,5", "cmpl", "BF=2 L=0 RA=4 RB=5"},
    {"sldi 3,4,5", "rldicr", "RA=3 RS=4 SH64=5 MB64=58"},
    {"srdi 3,4,5", "rldicl", "RA=3 RS=4 SH64=59 MB64=5"},
    {"clrldi 3,4,32", "rldicl", "RA=3 RS=4 SH64=0 MB64=32"},
    {"extrdi 3,4,8,16", "rldicl", "RA=3 RS=4 SH64=24 MB64=56"},
    {"insrdi 3,4,8,16", "rldimi", "RA=3 RS=4 SH64=40 MB64=16"},
    {"slwi 3,4,2", "rlwinm", "RA=3 RS=4 SH=2 MB=0 ME=29"},
    {"crclr 5", "crxor", "BT=5 BA=5 BB=5"},
    {"crset 6", "creqv", "BT=6 BA=6 BB=6"},
    {"mtcr 3", "mtcrf", "FXM=0xff RS=3"},
    {"trap", "tw", "TO=31 RA=0 RB=0"},
    {"lwsync", "sync", "RT=1"},
    {"ptesync", "sync", "RT=2"},
};

// "RT=3 SI=-5" -> {{"RT", 3}, {"SI", -5}}
std::vector<std::pair<std::string, int64_t>> parse_expect(const std::string& text) {
  std::vector<std::pair<std::string, int64_t>> out;
  std::istringstream in(text);
  for (std::string item; in >> item;) {
    size_t eq = item.find('=');
    out.emplace_back(item.substr(0, eq), std::strtoll(item.c_str() + eq + 1, nullptr, 0));
  }
  return out;
}

TEST(DecoderVsAssembler, EveryEntryDecodesTheOperandsWritten) {
  std::string source;
  for (const AsmCase& c : kCases)
    source += std::string(".machine ") + (c.cpu ? c.cpu : binutils_cpu(c.entry)) + "\n\t" + c.text + "\n";
  CrossTools tools;
  std::vector<uint32_t> words = tools.assemble(source);
  ASSERT_EQ(words.size(), std::size(kCases)) << "each case must assemble to exactly one word";

  std::set<std::string> covered;
  int checked_fields = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    const AsmCase& c = kCases[k];
    uint32_t w = words[k];
    char hex[16];
    snprintf(hex, sizeof hex, "0x%08x", w);
    uint16_t def = decode(w);
    ASSERT_NE(def, kNoDef) << c.text << " assembles to " << hex << ", which does not decode";
    EXPECT_STREQ(insn_table()[def].mnemonic, c.entry) << c.text << " (" << hex << ")";
    covered.insert(insn_table()[def].mnemonic);
    for (auto& [name, value] : parse_expect(c.expect)) {
      auto f = fields().find(name);
      if (f == fields().end()) {
        ADD_FAILURE() << c.text << ": no accessor named " << name;
        continue;
      }
      EXPECT_EQ(f->second(w), value) << c.text << " (" << hex << "): field " << name;
      ++checked_fields;
    }
  }
  for (const InsnDef& d : insn_table()) EXPECT_TRUE(covered.count(d.mnemonic)) << d.mnemonic << " has no assembly case";
  printf("decoder vs assembler: %zu lines, %zu entries, %d fields checked\n", std::size(kCases), covered.size(),
         checked_fields);
}

}  // namespace
}  // namespace dusim::ppc::test
