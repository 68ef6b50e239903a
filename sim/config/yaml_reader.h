// Strict reading of YAML files: every error names the file, line, column and
// the key, and unknown keys are errors (a typo must not be silently ignored).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

namespace dusim {

struct YamlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "file:line:column: key 'a.b': message" (line and column 1-based).
std::string yaml_where(const std::string& file, const YAML::Mark& mark, const std::string& key);

// Loads a file; throws YamlError on a missing file, a directory, a syntax
// error, a key given twice or a key that is not a single value.
YAML::Node load_yaml_file(const std::string& path);

// A value given on the command line, or passed on to the guest as a boot
// argument, is one line of text: "a NUL", "a newline" or "a carriage
// return" when `text` holds one (it would end the value and start another
// argument or YAML key), else nullptr.
const char* forbidden_character(const std::string& text);
// `text` with NUL, newline and carriage return written \0, \n and \r (for messages).
std::string escaped(const std::string& text);

// A mapping being read. get() records the keys it has read; finish() rejects
// the rest.
class YamlMap {
 public:
  YamlMap(YAML::Node node, std::string file, std::string path);

  bool has(const std::string& key) const { return at(key).IsDefined(); }
  template <class T>
  T get(const std::string& key, T fallback);
  uint64_t get_uint(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max);
  // A nested mapping (an empty one when absent).
  YamlMap map(const std::string& key);
  YAML::Node raw(const std::string& key);
  // Throws for the first key not read.
  void finish() const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const std::string& file() const { return file_; }
  std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

 private:
  // Const lookup: never inserts the key.
  YAML::Node at(const std::string& key) const {
    const YAML::Node& n = node_;
    return n[key];
  }
  YAML::Node node_;
  std::string file_, path_;
  std::set<std::string> used_;
};

template <class T>
T YamlMap::get(const std::string& key, T fallback) {
  used_.insert(key);
  YAML::Node n = at(key);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  if (!n.IsScalar()) throw YamlError(yaml_where(file_, n.Mark(), key_path(key)) + "expected a single value");
  try {
    return n.as<T>();
  } catch (const YAML::BadConversion&) {
    const char* want = std::is_same_v<T, bool> ? "true or false"
                       : std::is_integral_v<T> ? "an integer"
                       : std::is_floating_point_v<T> ? "a number" : "a string";
    throw YamlError(yaml_where(file_, n.Mark(), key_path(key)) + "expected " + want + ", got '" + n.Scalar() + "'");
  }
}

}  // namespace dusim
