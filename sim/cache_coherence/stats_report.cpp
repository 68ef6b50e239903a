// Statistics out: JSON for report.json and a table for the terminal.
//
// JSON layout (stable keys):
//   protocol            "MESI" | "MOESI" (or a test table's name)
//   cpus, line_size     numbers
//   descriptions.cache  {counter: description}   (stats.def; "misses" included)
//   descriptions.bus    {counter: description}
//   caches              {"cpu<N>.l1d" | "cpu<N>.l1i" | "l2": {counter: value}}
//   bus                 {counter: value}
//   ranges              [{name, base, size, caches: {...}, bus: {...}}]
#include <algorithm>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "cache_coherence/memory_system.h"

namespace dusim::coherence {
namespace {

// Stored and derived counters alike (misses included).
nlohmann::json to_json(const CacheCounters& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const CacheColumn& col : kCacheColumns) j[std::string(col.name)] = col.value(c);
  return j;
}

nlohmann::json to_json(const BusCounters& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : kBusStats) j[std::string(f.name)] = c.*f.member;
  return j;
}

void print_cache_rows(std::ostream& out, const std::vector<std::pair<std::string, const CacheCounters*>>& rows) {
  size_t name_w = 5;
  for (const auto& r : rows) name_w = std::max(name_w, r.first.size());
  std::vector<size_t> w;
  for (const CacheColumn& col : kCacheColumns) {
    size_t width = col.header.size();
    for (const auto& r : rows) width = std::max(width, std::to_string(col.value(*r.second)).size());
    w.push_back(width);
  }
  out << std::left << std::setw(int(name_w)) << "cache" << std::right;
  for (size_t i = 0; i < std::size(kCacheColumns); ++i) out << "  " << std::setw(int(w[i])) << kCacheColumns[i].header;
  out << '\n';
  for (const auto& r : rows) {
    out << std::left << std::setw(int(name_w)) << r.first << std::right;
    for (size_t i = 0; i < std::size(kCacheColumns); ++i)
      out << "  " << std::setw(int(w[i])) << kCacheColumns[i].value(*r.second);
    out << '\n';
  }
}

void print_bus(std::ostream& out, const BusCounters& b) {
  out << "bus:";
  for (const auto& f : kBusStats) out << ' ' << f.name << '=' << b.*f.member;
  out << '\n';
}

CacheCounters sum(const CacheCounters& a, const CacheCounters& b) {
  CacheCounters s = a;
  for (const auto& f : kCacheStats) s.*f.member += b.*f.member;
  return s;
}

}  // namespace

unsigned AddressRanges::add(std::string name, uint64_t base, uint64_t size) {
  if (ranges_.size() >= kMax) throw std::invalid_argument("at most 64 address ranges");
  if (size == 0) throw std::invalid_argument("address range '" + name + "' has size 0");
  ranges_.push_back(Range{std::move(name), base, size});
  return unsigned(ranges_.size() - 1);
}

nlohmann::json MemorySystem::stats_json() const {
  nlohmann::json j;
  j["protocol"] = std::string(table_.name());
  j["cpus"] = config_.num_cpus;
  j["line_size"] = config_.line_size;
  auto& dc = j["descriptions"]["cache"];
  for (const CacheColumn& col : kCacheColumns) dc[std::string(col.name)] = std::string(col.description);
  auto& db = j["descriptions"]["bus"];
  for (const auto& f : kBusStats) db[std::string(f.name)] = std::string(f.description);

  auto caches = [&](auto&& pick) {
    nlohmann::json c = nlohmann::json::object();
    for (const Cache& l1c : l1s_) c[l1c.name()] = to_json(pick(l1c.stats));
    c[l2_.name()] = to_json(pick(l2_.stats));
    return c;
  };
  j["caches"] = caches([](const RangedCounters<CacheCounters>& r) -> const CacheCounters& { return r.total(); });
  j["bus"] = to_json(bus_stats_.total());
  j["ranges"] = nlohmann::json::array();
  for (unsigned i = 0; i < ranges_.all().size(); ++i) {
    const auto& r = ranges_.all()[i];
    nlohmann::json rj;
    rj["name"] = r.name;
    rj["base"] = r.base;
    rj["size"] = r.size;
    rj["caches"] = caches([i](const RangedCounters<CacheCounters>& rc) -> const CacheCounters& { return rc.range(i); });
    rj["bus"] = to_json(bus_stats_.range(i));
    j["ranges"].push_back(std::move(rj));
  }
  return j;
}

void MemorySystem::print_stats(std::ostream& out) const {
  auto section = [&](const std::string& title, auto&& pick, const BusCounters& bus) {
    out << title << '\n';
    std::vector<std::pair<std::string, const CacheCounters*>> rows;
    CacheCounters all_l1d, all_l1i;
    for (const Cache& c : l1s_) {
      const CacheCounters& v = pick(c.stats);
      rows.emplace_back(c.name(), &v);
      bool icache = c.name().ends_with(".l1i");
      (icache ? all_l1i : all_l1d) = sum(icache ? all_l1i : all_l1d, v);
    }
    rows.emplace_back("all.l1d", &all_l1d);
    rows.emplace_back("all.l1i", &all_l1i);
    rows.emplace_back(l2_.name(), &pick(l2_.stats));
    print_cache_rows(out, rows);
    print_bus(out, bus);
  };
  std::ostringstream title;
  title << "Coherence statistics: " << table_.name() << ", " << config_.num_cpus << " CPUs, "
        << config_.line_size << "-byte lines";
  section(title.str(), [](const RangedCounters<CacheCounters>& r) -> const CacheCounters& { return r.total(); },
          bus_stats_.total());
  for (unsigned i = 0; i < ranges_.all().size(); ++i) {
    const auto& r = ranges_.all()[i];
    std::ostringstream t;
    t << "\nRange " << r.name << " [0x" << std::hex << r.base << ", 0x" << r.base + r.size << ")";
    section(t.str(), [i](const RangedCounters<CacheCounters>& rc) -> const CacheCounters& { return rc.range(i); },
            bus_stats_.range(i));
  }
  out << "\nColumns:\n";
  for (const CacheColumn& col : kCacheColumns)
    out << "  " << std::left << std::setw(9) << col.header << std::right << col.description << '\n';
  out << "Bus counters:\n";
  for (const auto& f : kBusStats) out << "  " << std::left << std::setw(16) << f.name << std::right << f.description << '\n';
}

}  // namespace dusim::coherence
