#include "sweep/table.h"

#include <fmt/format.h>

#include <fstream>

namespace dusim::sweep {

using json = nlohmann::ordered_json;

namespace {

json value_at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return nullptr;
    cur = &(*cur)[k];
  }
  return *cur;
}

// A cell: empty for null, strings unquoted.
std::string cell(const json& v) { return v.is_null() ? std::string("") : v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

json read_report(const std::string& path) {
  json rep;
  std::ifstream in(path);
  if (in) in >> rep;
  return rep;
}

json variant_row(const std::vector<Axis>& axes, const Variant& v, int exit_code, const json& rep) {
  json row;
  for (size_t k = 0; k < axes.size(); ++k) row[axes[k].key] = v.values[k];
  row["exit_code"] = exit_code;
  json u = rep.contains("updates") && !rep["updates"].empty() ? rep["updates"][0] : json();
  row["update_status"] = value_at(u, {"status"});
  row["update_latency_ns"] = value_at(u, {"latency_ns"});
  row["blocked_calls"] = value_at(u, {"blocked_calls", "count"});
  row["blocked_max_ns"] = value_at(u, {"blocked_calls", "max_ns"});
  unsigned passed = 0, total = 0;
  if (rep.contains("checks"))
    for (const json& ch : rep["checks"]) ++total, passed += ch["passed"].get<bool>();
  row["checks_passed"] = passed;
  row["checks_total"] = total;
  row["wall_seconds"] = value_at(rep, {"host", "wall_seconds"});
  row["metrics"] = rep.contains("metrics") ? rep["metrics"] : json::object();
  return row;
}

std::string csv_header(const std::vector<Axis>& axes, const std::vector<std::string>& metrics) {
  std::string csv;
  for (const Axis& a : axes) csv += a.key + ",";
  csv += "exit_code,update_status,update_latency_ns,blocked_calls,blocked_max_ns,checks_passed,checks_total";
  for (const std::string& m : metrics) csv += "," + m;  // the scenario's own facts, per variant
  return csv + ",wall_seconds\n";
}

std::string csv_line(const Variant& v, const json& row, const std::vector<std::string>& metrics) {
  std::string line;
  for (const std::string& x : v.values) line += x + ",";
  line += fmt::format("{},{},{},{},{},{},{}", row["exit_code"].get<int>(), cell(row["update_status"]),
                      cell(row["update_latency_ns"]), cell(row["blocked_calls"]), cell(row["blocked_max_ns"]),
                      row["checks_passed"].get<unsigned>(), row["checks_total"].get<unsigned>());
  const json& m = row["metrics"];
  for (const std::string& name : metrics) line += "," + cell(m.contains(name) ? m[name] : json());
  return line + "," + cell(row["wall_seconds"]) + "\n";
}

}  // namespace dusim::sweep
