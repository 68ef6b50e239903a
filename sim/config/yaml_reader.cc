#include "config/yaml_reader.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace dusim {

namespace {

// yaml-cpp keeps the first of two equal keys and drops the second; a key
// that is a list or a mapping cannot be read as a name. Both are refused,
// at the offending key, everywhere in the document.
void check_keys(const YAML::Node& n, const std::string& file, const std::string& path) {
  if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i) check_keys(n[i], file, path + "[" + std::to_string(i) + "]");
    return;
  }
  if (!n.IsMap()) return;
  std::map<std::string, int> first_line;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar())
      throw YamlError(yaml_where(file, kv.first.Mark(), path) + "a key must be a single value, not a list or a mapping");
    const std::string key = path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar();
    auto [at, fresh] = first_line.emplace(kv.first.Scalar(), kv.first.Mark().line + 1);
    if (!fresh) throw YamlError(yaml_where(file, kv.first.Mark(), key) + "given twice (first on line " + std::to_string(at->second) + ")");
    check_keys(kv.second, file, key);
  }
}

}  // namespace

std::string yaml_where(const std::string& file, const YAML::Mark& mark, const std::string& key) {
  std::string s = file;
  if (mark.line >= 0) s += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  s += ": ";
  if (!key.empty()) s += "key '" + key + "': ";
  return s;
}

YAML::Node load_yaml_file(const std::string& path) {
  // Read whole before parsing: a directory or a device is refused here by
  // name (yaml-cpp would throw std::ios_base::failure from inside its reader,
  // with no file name, and leak its buffer: found by tests/fuzz).
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw YamlError(path + ": is a directory, not a YAML file");
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw YamlError(path + ": not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw YamlError(path + ": cannot open file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw YamlError(path + ": cannot read file");
  try {
    YAML::Node n = YAML::Load(text);
    if (!n.IsDefined() || n.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!n.IsMap()) throw YamlError(yaml_where(path, n.Mark(), "") + "the top level must be a mapping of keys");
    check_keys(n, path, "");
    return n;
  } catch (const YAML::ParserException& e) {
    throw YamlError(yaml_where(path, e.mark, "") + "syntax error: " + e.msg);
  }
}

const char* forbidden_character(const std::string& text) {
  for (char c : text) {
    if (c == '\0') return "a NUL";
    if (c == '\n') return "a newline";
    if (c == '\r') return "a carriage return";
  }
  return nullptr;
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\0' ? "\\0" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string(1, c);
  return out;
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap())
    throw YamlError(yaml_where(file_, node_.Mark(), path_) + "expected a mapping of keys");
}

uint64_t YamlMap::get_uint(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max) {
  YAML::Node n = at(key);
  int64_t v = get<int64_t>(key, int64_t(fallback));
  if (v < int64_t(min) || uint64_t(v) > max)
    throw YamlError(yaml_where(file_, n.IsDefined() ? n.Mark() : node_.Mark(), key_path(key)) + "must be between " +
                    std::to_string(min) + " and " + std::to_string(max) + ", got " + std::to_string(v));
  return uint64_t(v);
}

YamlMap YamlMap::map(const std::string& key) {
  used_.insert(key);
  YAML::Node n = at(key);
  if (n.IsDefined() && !n.IsNull() && !n.IsMap())
    throw YamlError(yaml_where(file_, n.Mark(), key_path(key)) + "expected a mapping of keys");
  return YamlMap(n.IsDefined() ? n : YAML::Node(YAML::NodeType::Map), file_, key_path(key));
}

YAML::Node YamlMap::raw(const std::string& key) {
  used_.insert(key);
  return at(key);
}

void YamlMap::finish() const {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    std::string k = kv.first.as<std::string>();
    if (!used_.count(k)) throw YamlError(yaml_where(file_, kv.first.Mark(), key_path(k)) + "unknown key");
  }
}

void YamlMap::fail(const std::string& key, const std::string& message) const {
  YAML::Node n = at(key);
  throw YamlError(yaml_where(file_, n.IsDefined() ? n.Mark() : node_.Mark(), key_path(key)) + message);
}

}  // namespace dusim
