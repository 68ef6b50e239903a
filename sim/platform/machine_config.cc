#include "platform/machine_config.h"

#include <filesystem>
#include <span>

#include "config/yaml_reader.h"

namespace dusim {

namespace {

using coherence::Protocol;
using coherence::Replacement;

// machine_params.def's range column (parenthesized: it passes through a macro).
struct Range {
  uint64_t min = 0, max = 0;
  bool power_of_two = false;
};
#define ANY (Range{})
#define RANGE(lo, hi) (Range{lo, hi, false})
#define POW2(lo, hi) (Range{lo, hi, true})

MachineParam row(std::string key, MachineParam::Field (*field)(MachineConfig&), Range r, std::string_view unit,
                 std::string description) {
  return MachineParam{std::move(key), field, r.min, r.max, r.power_of_two, unit, std::move(description)};
}

std::vector<MachineParam> table() {
  std::vector<MachineParam> t;
#define PARAM_ROW(path, key, range, unit, description) \
  t.push_back(row(key, [](MachineConfig& c) -> MachineParam::Field { return &c.path; }, range, unit, description));
#define PARAM_MACHINE(member, key, type, value, range, unit, description) PARAM_ROW(member, key, range, unit, description)
#define PARAM_CACHES(member, key, type, value, range, unit, description) \
  PARAM_ROW(hierarchy.member, key, range, unit, description)
#define PARAM_L1D(member, key, type, value, range, unit, description) \
  PARAM_ROW(hierarchy.l1d.member, key, range, unit, description)
#define PARAM_L1I(member, key, type, value, range, unit, description) \
  PARAM_ROW(hierarchy.l1i.member, key, range, unit, description)
#define PARAM_L2(member, key, type, value, range, unit, description) \
  PARAM_ROW(hierarchy.l2.member, key, range, unit, description)
#define PARAM_LATENCY(k, value, range)                                                            \
  PARAM_ROW(latency[size_t(ppc::InsnClass::k)], std::string("latency.") + ppc::insn_class_name(ppc::InsnClass::k), \
            range, "cycles", std::string("latency of ") + ppc::insn_class_description(ppc::InsnClass::k))
#include "platform/machine_params.def"
#undef PARAM_ROW
  return t;
}

constexpr size_t kLatencyRows = 0
#define PARAM_LATENCY(k, value, range) +1
#include "platform/machine_params.def"
    ;
static_assert(kLatencyRows == size_t(ppc::InsnClass::Count), "machine_params.def: one PARAM_LATENCY per instruction class");

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// Spelled out for compilers without C++20's aggregate deduction (clang < 17,
// which builds the fuzz targets: tests/fuzz/).
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

template <class E>
void read_choice(YamlMap& m, const std::string& key, E& v, const char* noun, const char* choices) {
  if (!m.has(key)) return;
  std::string s = m.get<std::string>(key, "");
  using coherence::parse;
  if (!parse(s, v)) m.fail(key, "unknown " + std::string(noun) + " '" + s + "' (" + choices + ")");
}

// One key of map `m` into its member.
void read_value(YamlMap& m, const std::string& key, const MachineParam& p, MachineConfig& cfg) {
  std::visit(Overloaded{
                 [&](std::string* v) { *v = m.get<std::string>(key, *v); },
                 [&](bool* v) { *v = m.get<bool>(key, *v); },
                 [&](Protocol* v) { read_choice(m, key, *v, "protocol", "MESI or MOESI"); },
                 [&](Replacement* v) { read_choice(m, key, *v, "policy", "lru, tree-plru, random"); },
                 [&](SyncPolicy* v) { read_choice(m, key, *v, "sync policy", "ordered or quantum"); },
                 [&](auto* v) {  // the integers
                   const uint64_t scale = param::scale(p.unit);
                   uint64_t x = m.get_uint(key, uint64_t(*v) / scale, p.min, p.max);
                   if (p.power_of_two && (x & (x - 1))) m.fail(key, "must be a power of two");
                   *v = std::remove_reference_t<decltype(*v)>(x * scale);
                 },
             },
             p.field(cfg));
}

// Reads the rows under map `m`, whose keys start with `prefix_len` characters
// of its path: a leaf is read where the table lists it, a nested map where
// the table first names one of its keys.
void read_rows(YamlMap& m, std::span<const MachineParam* const> rows, size_t prefix_len, MachineConfig& cfg) {
  std::vector<std::string> maps_read;
  for (const MachineParam* p : rows) {
    std::string rest = p->key.substr(prefix_len);
    size_t dot = rest.find('.');
    if (dot == std::string::npos) {
      read_value(m, rest, *p, cfg);
      continue;
    }
    std::string child = rest.substr(0, dot + 1);  // "l1d."
    if (std::find(maps_read.begin(), maps_read.end(), child) != maps_read.end()) continue;
    maps_read.push_back(child);
    std::vector<const MachineParam*> inside;
    for (const MachineParam* q : rows)
      if (q->key.compare(prefix_len, child.size(), child) == 0) inside.push_back(q);
    YamlMap sub = m.map(child.substr(0, dot));
    read_rows(sub, inside, prefix_len + child.size(), cfg);
    sub.finish();
  }
}

// Applies the keys of one file (or override document) to `cfg`.
void apply(YamlMap top, MachineConfig& cfg) {
  static const std::vector<const MachineParam*> rows = [] {
    std::vector<const MachineParam*> r;
    for (const MachineParam& p : machine_params()) r.push_back(&p);
    return r;
  }();
  top.raw("base");  // handled by the caller
  read_rows(top, rows, 0, cfg);
  top.finish();
}

MachineConfig load_chain(const std::string& path, int depth) {
  YAML::Node doc = load_yaml_file(path);
  YamlMap top(doc, path, "");
  MachineConfig cfg;
  if (top.has("base")) {
    if (depth > 8) top.fail("base", "base configs nest too deeply (a cycle?)");
    std::string base = top.get<std::string>("base", "");
    std::filesystem::path p = std::filesystem::path(path).parent_path() / base;
    std::error_code ec;  // a name the file system cannot take (too long, say) is the config's error, not ours
    if (!std::filesystem::exists(p, ec))
      top.fail("base", ec ? "cannot use " + p.string() + " as a config file: " + ec.message() : "no such config file: " + p.string());
    cfg = load_chain(p.string(), depth + 1);
  }
  apply(top, cfg);
  cfg.files.push_back(path);
  return cfg;
}

void finalize(MachineConfig& cfg, const std::string& path) {
  cfg.hierarchy.num_cpus = cfg.cpus;
  try {
    cfg.hierarchy.validate();
  } catch (const std::invalid_argument& e) {
    throw YamlError(path + ": caches: " + e.what());
  }
  if (cfg.tlb_ways > cfg.tlb_entries)
    throw YamlError(path + ": mmu.tlb_ways: " + std::to_string(cfg.tlb_ways) + " ways do not fit in mmu.tlb_entries " +
                    std::to_string(cfg.tlb_entries));
}

}  // namespace

std::string_view to_string(SyncPolicy p) { return p == SyncPolicy::Ordered ? "ordered" : "quantum"; }

bool parse(std::string_view name, SyncPolicy& out) {
  if (name == "ordered") out = SyncPolicy::Ordered;
  else if (name == "quantum") out = SyncPolicy::Quantum;
  else return false;
  return true;
}

const std::vector<MachineParam>& machine_params() {
  static const std::vector<MachineParam> t = table();
  return t;
}

MachineConfig load_machine_config(const std::string& path) {
  MachineConfig cfg = load_chain(path, 0);
  cfg.file = path;
  finalize(cfg, path);
  return cfg;
}

namespace {

// KEY=VALUE as the document {a: {b: VALUE}} for the dotted key a.b, built
// node by node around the value: nothing in the key or the value can add
// another key.
YAML::Node nested(const std::vector<std::string>& parts, size_t k, const YAML::Node& value) {
  if (k == parts.size()) return value;
  YAML::Node m(YAML::NodeType::Map);
  m[parts[k]] = nested(parts, k + 1, value);
  return m;
}

}  // namespace

void apply_machine_overrides(MachineConfig& cfg, const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides) {
    const std::string where = "--set " + escaped(o);
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) throw YamlError(where + ": expected KEY=VALUE");
    std::string key = o.substr(0, eq), value = o.substr(eq + 1);
    if (const char* c = forbidden_character(o))
      throw YamlError(where + ": key '" + escaped(key) + "': " + c + " cannot be part of a --set");
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) parts.push_back(key.substr(start, dot - start));
    parts.push_back(key.substr(start));
    for (const std::string& p : parts)
      if (p.empty()) throw YamlError(where + ": key '" + key + "': an empty part (two dots, or a dot at an end)");
    // The value is read as YAML on its own (quotes, numbers as a file
    // would write them) and must be one value; empty is the empty string.
    YAML::Node parsed;
    try {
      parsed = YAML::Load(value);
    } catch (const YAML::ParserException& e) {
      throw YamlError(where + ": key '" + key + "': " + e.msg);
    }
    if (parsed.IsDefined() && !parsed.IsNull() && !parsed.IsScalar())
      throw YamlError(where + ": key '" + key + "': expected a single value");
    YAML::Node scalar(parsed.IsScalar() ? parsed.Scalar() : std::string());  // without the parse's line and column
    apply(YamlMap(nested(parts, 0, scalar), where, ""), cfg);
  }
  finalize(cfg, cfg.file);
}

}  // namespace dusim
