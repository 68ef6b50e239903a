#include "objdump_names.h"

#include <map>

#include "cpu_ppc64/decoder.h"

namespace dusim::ppc::test {

namespace {

// Extended mnemonics binutils prints, each with the base instruction it
// stands for. From Power ISA 2.06 Book I Appendix E ("Assembler Extended
// Mnemonics") and binutils' opcodes/ppc-opc.c; the branch, trap and isel
// families are generated in names() below. A name may stand for more than
// one base (mftb is an instruction and also mfspr 268).
struct Alias {
  const char* printed;
  const char* base;
};
// clang-format off
constexpr Alias kAliases[] = {
    {"nop", "ori"},         {"xnop", "xori"},         {"li", "addi"},          {"la", "addi"},
    {"subi", "addi"},       {"lis", "addis"},         {"subis", "addis"},      {"subic", "addic"},
    {"subic.", "addic."},   {"sub", "subf"},          {"subc", "subfc"},       {"mr", "or"},
    {"not", "nor"},
    // or Rx,Rx,Rx with x = 26, 27, 29, 30: thread priority hints
    {"miso", "or"},         {"yield", "or"},          {"mdoio", "or"},         {"mdoom", "or"},
    {"cmpwi", "cmpi"},      {"cmpdi", "cmpi"},        {"cmplwi", "cmpli"},     {"cmpldi", "cmpli"},
    {"cmpw", "cmp"},        {"cmpd", "cmp"},          {"cmplw", "cmpl"},       {"cmpld", "cmpl"},
    {"trap", "tw"},         {"crset", "creqv"},       {"crclr", "crxor"},      {"crmove", "cror"},
    {"crnot", "crnor"},     {"mtcr", "mtcrf"},
    {"slwi", "rlwinm"},     {"srwi", "rlwinm"},       {"rotlwi", "rlwinm"},    {"rotrwi", "rlwinm"},
    {"clrlwi", "rlwinm"},   {"clrrwi", "rlwinm"},     {"extlwi", "rlwinm"},    {"extrwi", "rlwinm"},
    {"clrlslwi", "rlwinm"}, {"rotlw", "rlwnm"},       {"inslwi", "rlwimi"},    {"insrwi", "rlwimi"},
    {"rotldi", "rldicl"},   {"rotrdi", "rldicl"},     {"srdi", "rldicl"},      {"clrldi", "rldicl"},
    {"extrdi", "rldicl"},   {"sldi", "rldicr"},       {"clrrdi", "rldicr"},    {"extldi", "rldicr"},
    {"clrlsldi", "rldic"},  {"insrdi", "rldimi"},     {"rotld", "rldcl"},
    {"hwsync", "sync"},     {"lwsync", "sync"},       {"ptesync", "sync"},
    {"dcbtct", "dcbt"},     {"dcbtds", "dcbt"},       {"dcbtt", "dcbt"},       {"dcbtstct", "dcbtst"},
    {"dcbtstds", "dcbtst"}, {"dcbtstt", "dcbtst"},    {"dcbfl", "dcbf"},       {"dcbflp", "dcbf"},
    {"dcbzl", "dcbz"},      {"mftb", "mfspr"},        {"mftbu", "mfspr"},      {"mftbu", "mftb"},
};
// clang-format on

// Names objdump prints even with -M raw that are not ours: the PowerPC 970
// calls dcbz with (reserved) bit 10 set dcbzl.
constexpr Alias kRawAliases[] = {{"dcbzl", "dcbz"}};

// Branch conditions (Appendix E.2): CR-bit tests, CTR tests, both, none.
constexpr const char* kBranchConds[] = {"",   "lt", "le", "eq", "ge",  "gt", "nl",   "ne",   "ng",  "so", "ns",
                                        "un", "nu", "t",  "f",  "dnz", "dz", "dnzt", "dnzf", "dzt", "dzf"};
// Trap conditions (Appendix E.3).
constexpr const char* kTrapConds[] = {"lt",  "le",  "eq",  "ge",  "gt",  "nl",  "ne", "ng",
                                      "llt", "lle", "lge", "lgt", "lnl", "lng", "u"};

bool is_branch(Form f, std::string_view base) {
  return f == Form::I || f == Form::B || base == "bclr" || base == "bcctr" || base == "bctar";
}

const InsnDef* entry_named(std::string_view base) {
  for (const InsnDef& d : insn_table())
    if (base == d.mnemonic) return &d;
  return nullptr;
}

// Adds `stem` read as `base`, with the suffix letters base's form allows.
void add(std::multimap<std::string, Reading>& m, const std::string& stem, const std::string& base) {
  const InsnDef* d = entry_named(base);
  if (!d) return;
  auto put = [&](const std::string& suffix, bool oe, bool lk, bool aa) {
    m.emplace(stem + suffix, Reading{.base = base, .oe = oe, .lk = lk, .aa = aa});
  };
  put("", false, false, false);
  if (d->form == Form::XO) put("o", true, false, false);
  if (is_branch(d->form, base)) put("l", false, true, false);
  if (d->form == Form::I || d->form == Form::B) {
    put("a", false, false, true);
    put("la", false, true, true);
  }
}

const std::multimap<std::string, Reading>& names(Names kind) {
  static const auto build = [](Names kind) {
    std::multimap<std::string, Reading> m;
    for (const InsnDef& d : insn_table()) add(m, d.mnemonic, d.mnemonic);
    if (kind == Names::Raw) {
      for (const Alias& a : kRawAliases) add(m, a.printed, a.base);
      return m;
    }
    for (const Alias& a : kAliases) add(m, a.printed, a.base);
    const char* targets[][2] = {{"", "bc"}, {"lr", "bclr"}, {"ctr", "bcctr"}, {"tar", "bctar"}};
    for (const char* cond : kBranchConds)
      for (auto& [to, base] : targets)
        if (*cond || *to) add(m, std::string("b") + cond + to, base);
    for (const char* cond : kTrapConds) {
      for (const char* op : {"tw", "td"}) {
        add(m, std::string(op) + cond, op);
        add(m, std::string(op) + cond + "i", std::string(op) + "i");
      }
    }
    for (const char* cond : {"lt", "gt", "eq"}) add(m, std::string("isel") + cond, "isel");
    return m;
  };
  static const auto extended = build(Names::Extended), raw = build(Names::Raw);
  return kind == Names::Raw ? raw : extended;
}

}  // namespace

std::vector<Reading> read_mnemonic(std::string_view printed, Names kind) {
  const auto& m = names(kind);
  std::string name(printed);
  bool hint = false, rc = false;
  if (!name.empty() && (name.back() == '+' || name.back() == '-')) {
    hint = true;
    name.pop_back();
  }
  // A trailing '.' is part of some base names ("andi.", "stwcx."); otherwise it is Rc.
  if (m.find(name) == m.end() && !name.empty() && name.back() == '.') {
    rc = true;
    name.pop_back();
  }
  std::vector<Reading> out;
  for (auto [it, end] = m.equal_range(name); it != end; ++it) {
    Reading r = it->second;
    r.rc = rc;
    r.hint = hint;
    out.push_back(r);
  }
  // binutils names about a hundred SPRs (mfxer, mtamr, mfsprg, ...); any
  // other mf.../mt... of the extended names is mfspr or mtspr. The raw pass
  // checks the same words without this rule.
  if (out.empty() && kind == Names::Extended && !rc && !hint && name.size() > 2) {
    if (name.starts_with("mf")) out.push_back(Reading{.base = "mfspr", .rc = false});
    if (name.starts_with("mt")) out.push_back(Reading{.base = "mtspr", .rc = false});
  }
  return out;
}

bool suffixes_agree(const Reading& r, uint32_t raw) {
  const InsnDef* d = entry_named(r.base);
  if (!d) return false;
  std::string_view base = r.base;
  bool branch = is_branch(d->form, base);
  if (r.hint && !(branch && d->form != Form::I)) return false;
  if (branch) return LK(raw) == r.lk && (d->form == Form::XL || AA(raw) == r.aa);
  if (r.lk || r.aa) return false;
  if (d->form == Form::XO && OE(raw) != r.oe) return false;
  if (r.oe && d->form != Form::XO) return false;
  // Bit 31 is Rc in these forms; an X-form larx uses it as EH, and words
  // whose bit 31 is reserved never reach here with it set (objdump rejects them).
  // So it is in the floating-point A-forms (isel's bit 31 is reserved).
  bool bit31_is_rc = d->form == Form::XO || d->form == Form::M || d->form == Form::MD || d->form == Form::MDS ||
                     d->form == Form::XS || (d->form == Form::X && !base.ends_with("arx") && !base.ends_with(".")) ||
                     (d->form == Form::A && base.starts_with("f"));
  if (r.rc) return bit31_is_rc && Rc(raw);
  return !bit31_is_rc || !Rc(raw);
}

}  // namespace dusim::ppc::test
