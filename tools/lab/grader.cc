// Reading labs/N-NAME/grader.yaml strictly (file:line:column: key on every
// error, unknown keys refused), as the scenario loader reads a scenario.
#include "lab/grader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "common/errors.h"
#include "config/yaml_reader.h"
#include "report/checks.h"

namespace dusim::lab {

namespace fs = std::filesystem;

std::string Variant::name() const {
  return "cpus=" + std::to_string(cpus) + " seed=" + std::to_string(seed) + " quantum=" + std::to_string(quantum);
}

std::string Variant::folder() const {
  return "cpus" + std::to_string(cpus) + "-seed" + std::to_string(seed) + "-q" + std::to_string(quantum);
}

unsigned Lab::max_points() const {
  unsigned n = 0;
  for (const Test& t : tests) n += t.points;
  return n;
}

std::string labs_root() {
  const char* env = std::getenv("DUSIM_LABS_DIR");
  return env && *env ? fs::absolute(env).lexically_normal().string() : std::string(DUSIM_SOURCE_DIR) + "/labs";
}

namespace {

YamlMap item(const YamlMap& parent, const std::string& key, const YAML::Node& n, size_t i) {
  return YamlMap(n, parent.file(), parent.key_path(key) + "[" + std::to_string(i) + "]");
}

YAML::Node list(YamlMap& m, const std::string& key, bool required) {
  YAML::Node n = m.raw(key);
  if (!n.IsDefined() || n.IsNull()) {
    if (required) m.fail(key, "missing: expected a list");
    return YAML::Node(YAML::NodeType::Sequence);
  }
  if (!n.IsSequence()) m.fail(key, "expected a list");
  return n;
}

Variant read_variant(YamlMap v) {
  Variant out;
  out.cpus = unsigned(v.get_uint("cpus", 4, 1, 64));
  out.seed = v.get_uint("seed", 1, 0, ~uint64_t(0) >> 1);
  out.quantum = v.get_uint("quantum", 1000, 1, uint64_t(1) << 32);
  v.finish();
  return out;
}

Test read_test(YamlMap t, const Lab& lab, const std::string& where) {
  Test out;
  out.where = where;
  out.name = t.get<std::string>("name", "");
  if (out.name.empty()) t.fail("name", "missing: every test needs a name");
  out.points = unsigned(t.get_uint("points", 0, 1, 1000));
  if (!t.has("points")) t.fail("points", "missing: how many points the test is worth");
  out.timeout_s = unsigned(t.get_uint("timeout_s", 60, 1, 3600));
  out.scenario = t.get<std::string>("scenario", lab.scenarios.size() == 1 ? lab.scenarios.begin()->first : "");
  if (!lab.scenarios.count(out.scenario)) {
    std::string names;
    for (const auto& [k, v] : lab.scenarios) names += (names.empty() ? "" : ", ") + k;
    t.fail("scenario", "unknown scenario '" + out.scenario + "' (the grader's scenarios: " + names + ")");
  }
  YAML::Node checks = list(t, "expect", true);
  for (size_t i = 0; i < checks.size(); ++i) {
    if (!checks[i].IsScalar())
      throw YamlError(yaml_where(t.file(), checks[i].Mark(), t.key_path("expect") + "[" + std::to_string(i) + "]") +
                      "expected a check, PATH OP VALUE");
    std::string why = report::check_syntax(checks[i].Scalar());
    if (!why.empty())
      throw YamlError(yaml_where(t.file(), checks[i].Mark(), t.key_path("expect") + "[" + std::to_string(i) + "]") + why);
    out.checks.push_back(checks[i].Scalar());
  }
  if (out.checks.empty()) t.fail("expect", "a test needs at least one check");
  YAML::Node vs = list(t, "variants", false);
  for (size_t i = 0; i < vs.size(); ++i) {
    size_t k = vs[i].IsScalar() ? std::strtoul(vs[i].Scalar().c_str(), nullptr, 10) : ~size_t(0);
    if (!vs[i].IsScalar() || k >= lab.variants.size())
      throw YamlError(yaml_where(t.file(), vs[i].Mark(), t.key_path("variants") + "[" + std::to_string(i) + "]") +
                      "expected the index of one of the grader's " + std::to_string(lab.variants.size()) + " variants");
    out.variants.push_back(k);
  }
  if (out.variants.empty())
    for (size_t k = 0; k < lab.variants.size(); ++k) out.variants.push_back(k);
  out.hint = t.get<std::string>("hint", "");
  t.finish();
  return out;
}

Lab read_lab(const fs::path& dir, unsigned number) {
  std::string file = (dir / "grader.yaml").string();
  YamlMap top(load_yaml_file(file), file, "");
  Lab lab;
  lab.number = number;
  lab.dir = dir.string();
  lab.title = top.get<std::string>("title", "");
  if (lab.title.empty()) top.fail("title", "missing: the lab's title");
  lab.teaches = top.get<std::string>("teaches", "");
  YAML::Node sc = top.raw("scenarios");
  if (!sc.IsDefined() || !sc.IsMap() || sc.size() == 0) top.fail("scenarios", "expected a mapping of names to scenario files");
  for (const auto& kv : sc) {
    if (!kv.second.IsScalar())
      throw YamlError(yaml_where(file, kv.second.Mark(), "scenarios." + kv.first.as<std::string>()) + "expected a file name");
    lab.scenarios[kv.first.as<std::string>()] = kv.second.Scalar();
  }
  YAML::Node vs = list(top, "variants", true);
  for (size_t i = 0; i < vs.size(); ++i) lab.variants.push_back(read_variant(item(top, "variants", vs[i], i)));
  if (lab.variants.empty()) top.fail("variants", "a grader needs at least one variant");
  YAML::Node ts = list(top, "tests", true);
  std::set<std::string> names;
  for (size_t i = 0; i < ts.size(); ++i) {
    std::string where = yaml_where(file, ts[i].Mark(), "tests[" + std::to_string(i) + "]");
    if (where.size() > 2 && where.compare(where.size() - 2, 2, ": ") == 0) where.resize(where.size() - 2);
    lab.tests.push_back(read_test(item(top, "tests", ts[i], i), lab, where));
    if (!names.insert(lab.tests.back().name).second)
      throw YamlError(where + ": a second test named '" + lab.tests.back().name + "'");
  }
  top.finish();
  return lab;
}

// N of a folder named N-NAME, or 0.
unsigned number_of(const fs::path& p) {
  std::string n = p.filename().string();
  size_t dash = n.find('-');
  if (dash == 0 || dash == std::string::npos || !std::all_of(n.begin(), n.begin() + dash, ::isdigit)) return 0;
  return unsigned(std::stoul(n.substr(0, dash)));
}

}  // namespace

std::vector<Lab> find_labs(const std::string& root) {
  std::vector<std::pair<unsigned, fs::path>> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory() && number_of(e.path()) && fs::exists(e.path() / "grader.yaml")) dirs.push_back({number_of(e.path()), e.path()});
  if (ec) throw tools::InputError("cannot read the labs folder " + root + ": " + ec.message());
  std::sort(dirs.begin(), dirs.end());
  std::vector<Lab> labs;
  for (const auto& [n, d] : dirs) labs.push_back(read_lab(d, n));
  return labs;
}

Lab load_lab(const std::string& root, unsigned n) {
  std::error_code ec;
  std::vector<unsigned> numbers;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    unsigned k = number_of(e.path());
    if (!k || !fs::exists(e.path() / "grader.yaml")) continue;
    if (k == n) return read_lab(e.path(), n);
    numbers.push_back(k);
  }
  std::sort(numbers.begin(), numbers.end());
  std::string have;
  for (unsigned k : numbers) have += (have.empty() ? "" : ", ") + std::to_string(k);
  throw tools::InputError("there is no lab " + std::to_string(n) + " in " + root + " (labs: " + (have.empty() ? "none" : have) +
                          "; ./dusim lab list)");
}

}  // namespace dusim::lab
