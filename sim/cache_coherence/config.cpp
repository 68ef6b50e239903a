#include "cache_coherence/config.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <stdexcept>
#include <string>

namespace dusim::coherence {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

void check_cache(const char* name, const CacheGeometry& g, unsigned line_size) {
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(std::string("cache config ") + name + ": " + what);
  };
  if (g.associativity == 0) fail("associativity must be at least 1");
  if (g.size_bytes == 0 || g.size_bytes % (uint64_t(line_size) * g.associativity) != 0) {
    fail("size_bytes must be a non-zero multiple of line_size * associativity");
  }
  if (g.hit_latency == 0) fail("hit_latency must be at least 1 cycle");
  if (g.replacement == Replacement::TreePLRU && g.associativity > 64) fail("tree-plru supports at most 64 ways");
}

}  // namespace

std::string_view to_string(Protocol p) { return p == Protocol::MESI ? "MESI" : "MOESI"; }

std::string_view to_string(Replacement r) {
  switch (r) {
    case Replacement::LRU: return "lru";
    case Replacement::TreePLRU: return "tree-plru";
    case Replacement::Random: return "random";
  }
  return "?";
}

bool parse(std::string_view name, Protocol& out) {
  std::string n = lower(name);
  if (n == "mesi") out = Protocol::MESI;
  else if (n == "moesi") out = Protocol::MOESI;
  else return false;
  return true;
}

bool parse(std::string_view name, Replacement& out) {
  std::string n = lower(name);
  if (n == "lru") out = Replacement::LRU;
  else if (n == "tree-plru" || n == "plru") out = Replacement::TreePLRU;
  else if (n == "random") out = Replacement::Random;
  else return false;
  return true;
}

void HierarchyConfig::validate() const {
  if (num_cpus < 1 || num_cpus > 64) throw std::invalid_argument("num_cpus must be 1..64");
  if (line_size < 8 || !std::has_single_bit(line_size)) {
    throw std::invalid_argument("line_size must be a power of two, at least 8");
  }
  check_cache("l1d", l1d, line_size);
  check_cache("l1i", l1i, line_size);
  check_cache("l2", l2, line_size);
  if (memory_latency == 0) throw std::invalid_argument("memory_latency must be at least 1 cycle");
  if (uint64_t n = modelled_lines(); n > kMaxModelledLines) {
    throw std::invalid_argument(
        std::to_string(num_cpus) + " CPUs x (" + std::to_string(l1d.size_bytes >> 10) + " KiB L1D + " +
        std::to_string(l1i.size_bytes >> 10) + " KiB L1I) + " + std::to_string(l2.size_bytes >> 10) + " KiB L2 are " +
        std::to_string(n) + " lines of " + std::to_string(line_size) + " bytes, " + std::to_string(n * kHostBytesPerLine >> 20) +
        " MiB of host memory for the cache model; at most " + std::to_string(kMaxModelledLines) + " lines (" +
        std::to_string(kMaxModelledLines * kHostBytesPerLine >> 20) + " MiB) in all: fewer CPUs, smaller caches or longer lines");
  }
}

uint64_t HierarchyConfig::modelled_lines() const {
  return uint64_t(num_cpus) * ((l1d.size_bytes + l1i.size_bytes) / line_size) + l2.size_bytes / line_size;
}

}  // namespace dusim::coherence
