#include "sweep/table.h"

#include <algorithm>
#include <fstream>

#include "sweep/summary.h"

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

// RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled.
std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? "\"\"" : std::string(1, c);
  return out + "\"";
}

// A cell: empty for null, strings unquoted.
std::string cell(const json& v) { return quoted(v.is_null() ? std::string("") : v.is_string() ? v.get<std::string>() : v.dump()); }

const char* const kUpdateColumns[] = {"status", "latency_ns", "blocked_calls", "blocked_max_ns"};

}  // namespace

json read_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  json rep = json::parse(in, nullptr, false);
  return rep.is_discarded() ? json(nullptr) : rep;
}

std::vector<std::string> fixed_keys(const Plan& p) {
  auto varied = [&p](const std::string& k) {
    return std::any_of(p.axes.begin(), p.axes.end(), [&k](const Axis& a) { return a.key == k; });
  };
  std::vector<std::string> keys;
  if (!varied("seed")) keys.push_back("seed");
  for (const std::string& f : p.overrides) {
    std::string k = f.substr(0, f.find('='));
    if (!varied(k) && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  return keys;
}

json variant_row(const Plan& p, const PlannedVariant& v, int exit_code, const json& rep) {
  json row;
  row["variant"] = v.v.name;
  for (size_t k = 0; k < p.axes.size(); ++k) row[p.axes[k].key] = v.v.values[k];
  for (const std::string& k : fixed_keys(p)) {
    if (k == "seed") row[k] = std::to_string(v.seed);
    for (const std::string& f : p.overrides)  // the last --set of a key wins, as in `dusim run`
      if (f.compare(0, k.size() + 1, k + "=") == 0) row[k] = f.substr(k.size() + 1);
  }
  row["exit_code"] = exit_code;
  json ups = json::array();
  for (const std::string& name : p.updates) {
    json u;
    if (rep.is_object() && rep.contains("updates"))
      for (const json& x : rep["updates"])
        if (x["name"] == name) u = x;
    ups.push_back({{"name", name}, {"status", value_at(u, {"status"})}, {"latency_ns", value_at(u, {"latency_ns"})},
                   {"blocked_calls", value_at(u, {"blocked_calls", "count"})}, {"blocked_max_ns", value_at(u, {"blocked_calls", "max_ns"})}});
  }
  row["updates"] = ups;
  unsigned passed = 0, total = 0;
  json failed = json::array();
  if (rep.is_object() && rep.contains("checks"))
    for (const json& ch : rep["checks"]) {
      ++total;
      if (ch["passed"].get<bool>()) ++passed;
      else failed.push_back({{"name", ch["name"]}, {"expected", ch.value("expected", "")}, {"actual", ch.value("actual", "")}});
    }
  row["checks_passed"] = passed;
  row["checks_total"] = total;
  row["failed_checks"] = failed;
  row["wall_seconds"] = value_at(rep, {"host", "wall_seconds"});
  row["metrics"] = rep.is_object() && rep.contains("metrics") ? rep["metrics"] : json::object();
  row["metric_units"] = json::object();
  for (size_t k = 0; k < p.metrics.size(); ++k) row["metric_units"][p.metrics[k]] = p.units[k];
  return row;
}

std::string csv_header(const Plan& p) {
  std::string csv = "variant";
  for (const Axis& a : p.axes) csv += "," + quoted(a.key);
  for (const std::string& k : fixed_keys(p)) csv += "," + quoted(k);
  csv += ",exit_code";
  for (const std::string& u : p.updates)
    for (const char* c : kUpdateColumns) csv += "," + quoted(u + "." + c);
  csv += ",checks_passed,checks_total";
  for (size_t k = 0; k < p.metrics.size(); ++k) csv += "," + quoted(metric_column(p.metrics[k], p.units[k]));
  return csv + ",wall_seconds\n";
}

std::string csv_line(const Plan& p, const json& row) {
  std::string line = cell(row["variant"]);
  for (const Axis& a : p.axes) line += "," + cell(row[a.key]);
  for (const std::string& k : fixed_keys(p)) line += "," + cell(row.contains(k) ? row[k] : json());
  line += "," + std::to_string(row["exit_code"].get<int>());
  for (const json& u : row["updates"])
    for (const char* c : kUpdateColumns) line += "," + cell(u[c]);
  line += "," + std::to_string(row["checks_passed"].get<unsigned>()) + "," + std::to_string(row["checks_total"].get<unsigned>());
  const json& m = row["metrics"];
  for (const std::string& name : p.metrics) line += "," + cell(m.contains(name) ? m[name] : json());
  return line + "," + cell(row["wall_seconds"]) + "\n";
}

}  // namespace dusim::sweep
