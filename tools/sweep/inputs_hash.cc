#include "sweep/inputs_hash.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/errors.h"

namespace dusim::sweep {

namespace {

struct Fnv1a {
  uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  }
  // Length first, so ("ab", "c") and ("a", "bc") differ.
  void field(const std::string& s) {
    bytes(std::to_string(s.size()) + ":");
    bytes(s);
  }
};

std::string contents(const std::string& what, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw tools::InputError("sweep: cannot read the " + what + " " + path + " to hash it");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string inputs_hash(const scenario::Scenario& s, const std::vector<std::string>& sets) {
  Fnv1a f;
  f.field(contents("scenario", s.file));
  for (const std::string& c : s.machine.files) f.field(contents("machine config", c));
  f.field(contents("guest image", scenario::kernel_image(s)));
  for (const scenario::Update& u : s.updates) f.field(contents("module source", u.module));
  f.field(std::to_string(sets.size()));
  for (const std::string& x : sets) f.field(x);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return hex;
}

}  // namespace dusim::sweep
