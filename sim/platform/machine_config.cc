#include "platform/machine_config.h"

#include <filesystem>

#include "config/yaml_reader.h"

namespace dusim {

namespace {

void read_cache(YamlMap m, coherence::CacheGeometry& g) {
  g.size_bytes = m.get_uint("size_kib", g.size_bytes / 1024, 1, 1u << 20) * 1024;
  g.associativity = unsigned(m.get_uint("associativity", g.associativity, 1, 64));
  g.hit_latency = unsigned(m.get_uint("hit_latency", g.hit_latency, 1, 10000));
  if (m.has("replacement")) {
    std::string r = m.get<std::string>("replacement", "");
    if (!coherence::parse(r, g.replacement)) m.fail("replacement", "unknown policy '" + r + "' (lru, tree-plru, random)");
  }
  m.finish();
}

// Applies the keys of one file (or override document) to `cfg`.
void apply(YamlMap top, MachineConfig& cfg) {
  cfg.name = top.get<std::string>("name", cfg.name);
  top.raw("base");  // handled by the caller
  {
    YamlMap m = top.map("machine");
    cfg.cpus = unsigned(m.get_uint("cpus", cfg.cpus, 1, 64));
    cfg.clock_hz = m.get_uint("clock_mhz", cfg.clock_hz / 1'000'000, 1, 100'000) * 1'000'000;
    cfg.memory_bytes = m.get_uint("memory_mib", cfg.memory_bytes >> 20, 16, 3840) << 20;
    cfg.quantum_cycles = m.get_uint("quantum_cycles", cfg.quantum_cycles, 1, 100'000'000);
    cfg.timebase_divider = unsigned(m.get_uint("timebase_divider", cfg.timebase_divider, 1, 1024));
    cfg.console = m.get<std::string>("console", cfg.console);
    m.finish();
  }
  {
    YamlMap m = top.map("latency");
    static const char* const names[] = {"alu", "multiply", "divide", "branch", "load", "store", "sync", "system"};
    for (size_t k = 0; k < cfg.latency.size(); ++k) cfg.latency[k] = uint8_t(m.get_uint(names[k], cfg.latency[k], 1, 255));
    m.finish();
  }
  {
    YamlMap m = top.map("caches");
    auto& h = cfg.hierarchy;
    cfg.caches = m.get<bool>("enabled", cfg.caches);
    if (m.has("protocol")) {
      std::string p = m.get<std::string>("protocol", "");
      if (!coherence::parse(p, h.protocol)) m.fail("protocol", "unknown protocol '" + p + "' (MESI or MOESI)");
    }
    h.line_size = unsigned(m.get_uint("line_size", h.line_size, 16, 4096));
    if (h.line_size & (h.line_size - 1)) m.fail("line_size", "must be a power of two");
    read_cache(m.map("l1d"), h.l1d);
    read_cache(m.map("l1i"), h.l1i);
    read_cache(m.map("l2"), h.l2);
    h.memory_latency = unsigned(m.get_uint("memory_latency", h.memory_latency, 1, 100000));
    h.c2c_latency = unsigned(m.get_uint("c2c_latency", h.c2c_latency, 1, 100000));
    h.upgrade_latency = unsigned(m.get_uint("upgrade_latency", h.upgrade_latency, 1, 100000));
    h.cache_op_latency = unsigned(m.get_uint("cache_op_latency", h.cache_op_latency, 1, 100000));
    h.sync_latency = unsigned(m.get_uint("sync_latency", h.sync_latency, 1, 100000));
    h.bus_data_occupancy = unsigned(m.get_uint("bus_data_occupancy", h.bus_data_occupancy, 0, 100000));
    h.bus_address_occupancy = unsigned(m.get_uint("bus_address_occupancy", h.bus_address_occupancy, 0, 100000));
    h.seed = m.get_uint("seed", h.seed, 0, ~uint64_t(0) >> 1);
    m.finish();
  }
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
    if (!std::filesystem::exists(p)) top.fail("base", "no such config file: " + p.string());
    cfg = load_chain(p.string(), depth + 1);
  }
  apply(top, cfg);
  return cfg;
}

void finalize(MachineConfig& cfg, const std::string& path) {
  cfg.hierarchy.num_cpus = cfg.cpus;
  try {
    cfg.hierarchy.validate();
  } catch (const std::invalid_argument& e) {
    throw YamlError(path + ": caches: " + e.what());
  }
}

}  // namespace

MachineConfig load_machine_config(const std::string& path) {
  MachineConfig cfg = load_chain(path, 0);
  cfg.file = path;
  finalize(cfg, path);
  return cfg;
}

void apply_machine_overrides(MachineConfig& cfg, const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) throw YamlError("--set " + o + ": expected key=value");
    // Build a nested YAML document from the dotted key and apply it.
    std::string key = o.substr(0, eq), value = o.substr(eq + 1);
    size_t start = 0;
    std::vector<std::string> parts;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) parts.push_back(key.substr(start, dot - start));
    parts.push_back(key.substr(start));
    std::string text;
    for (size_t k = 0; k < parts.size(); ++k) text += std::string(2 * k, ' ') + parts[k] + ":" + (k + 1 < parts.size() ? "\n" : " " + value + "\n");
    YAML::Node parsed;
    try {
      parsed = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw YamlError("--set " + o + ": " + e.msg);
    }
    apply(YamlMap(parsed, "--set " + o, ""), cfg);
  }
  finalize(cfg, cfg.file);
}

}  // namespace dusim
