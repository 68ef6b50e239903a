#include "converge/converge.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/process.h"
#include "config/yaml_reader.h"
#include "exit_codes.h"
#include "report/sweep_html.h"
#include "scenario/scenario.h"
#include "sweep/plan.h"
#include "sweep/table.h"

namespace dusim::converge {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kQuantumKey = "machine.quantum_cycles";
const char* const kUpdateFigures[] = {"latency_ns", "blocked_calls", "blocked_max_ns"};

// The quantity's value in one row, or null.
json value_in(const json& row, const std::string& q) {
  if (q.rfind("coherence.", 0) == 0) {  // coherence.WINDOW.c2c_per_us
    std::string w = q.substr(10, q.rfind('.') - 10);
    return row.contains("c2c_per_us") && row["c2c_per_us"].contains(w) ? row["c2c_per_us"][w] : json();
  }
  if (q.rfind("metrics.", 0) == 0) {
    std::string name = q.substr(8);
    return row["metrics"].contains(name) ? row["metrics"][name] : json();
  }
  // updates.NAME.FIELD (NAME may hold dots: FIELD is the last part)
  size_t dot = q.rfind('.');
  std::string name = q.substr(8, dot - 8), field = q.substr(dot + 1);
  for (const json& u : row["updates"])
    if (u["name"] == name) return u.contains(field) ? u[field] : json();
  return nullptr;
}

// Cache-to-cache transfers per µs in each of the report's windows.
json c2c_per_window(const json& rep) {
  json out = json::object();
  if (!rep.is_object() || !rep.contains("coherence")) return out;
  for (const auto& [w, c] : rep["coherence"].items())
    if (c.contains("per_us") && c["per_us"].contains("c2c_transfers")) out[w] = c["per_us"]["c2c_transfers"];
  return out;
}

std::vector<uint64_t> parse_quanta(const std::string& text) {
  std::vector<uint64_t> q;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string v = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9 || std::stoull(v) == 0)
      throw tools::InputError("--quanta " + text + ": '" + v + "' is not a quantum in cycles (expected e.g. 1,10,100,1000)");
    if (std::find(q.begin(), q.end(), std::stoull(v)) != q.end())
      throw tools::InputError("--quanta " + text + ": " + v + " is given twice");
    q.push_back(std::stoull(v));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (q.size() < 2) throw tools::InputError("--quanta " + text + ": give at least two quanta (the smallest is the reference)");
  return q;
}

// --check NAME[=PERCENT]: NAME is a quantity, or a metric's bare name.
struct Check {
  std::string quantity;
  double bound;
};
std::vector<Check> parse_checks(const std::vector<std::string>& given, const std::vector<std::string>& quantities) {
  std::vector<Check> out;
  for (const std::string& g : given) {
    size_t eq = g.find('=');
    std::string name = g.substr(0, eq);
    double pct = 10;
    if (eq != std::string::npos) {
      try {
        size_t used = 0;
        pct = std::stod(g.substr(eq + 1), &used);
        if (used != g.size() - eq - 1 || pct < 0) throw std::invalid_argument("");
      } catch (const std::logic_error&) {
        throw tools::InputError("--check " + g + ": expected NAME or NAME=PERCENT");
      }
    }
    std::string q = std::find(quantities.begin(), quantities.end(), name) != quantities.end() ? name : "metrics." + name;
    if (std::find(quantities.begin(), quantities.end(), q) == quantities.end()) {
      std::string list;
      for (const std::string& k : quantities) list += (list.empty() ? "" : ", ") + k;
      throw tools::InputError("--check " + g + ": the runs report no quantity '" + name + "' (they report: " + list + ")");
    }
    out.push_back({q, pct / 100});
  }
  return out;
}

std::string number(double v) {
  if (std::isinf(v)) return "inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", int64_t(v));
  return fmt::format("{:.4g}", v);
}

std::string percent(double e) { return std::isinf(e) ? "inf" : fmt::format("{:+.1f} %", 100 * e); }

json cell_json(const Cell& c) {
  return {{"seeds", c.n}, {"mean", c.mean}, {"stddev", c.stddev}, {"min", c.min}, {"max", c.max}};
}

// The variants, planned as a sweep plans them: the quantum slowest, then the seed.
sweep::Plan plan_converge(const ConvergeOptions& o, const std::vector<uint64_t>& quanta, const fs::path& out) {
  std::string quanta_axis = std::string(kQuantumKey) + "=";
  for (size_t k = 0; k < quanta.size(); ++k) quanta_axis += (k ? "," : "") + std::to_string(quanta[k]);
  sweep::SweepOptions so;
  so.scenario = o.scenario;
  so.vary = {quanta_axis};
  if (o.seeds > 1) {
    std::string seeds_axis = "seed=";
    for (unsigned k = 1; k <= o.seeds; ++k) seeds_axis += (k > 1 ? "," : "") + std::to_string(k);
    so.vary.push_back(seeds_axis);
  }
  so.overrides = o.overrides;
  so.self = o.self;
  so.out_dir = out.string();
  return sweep::make_plan(so);
}

// Every run's row, by quantum too, and the host seconds per run at each quantum.
struct Runs {
  json rows = json::array();
  std::map<uint64_t, json> by_quantum;
  std::map<uint64_t, double> host_seconds;
  int worst = 0;  // the worst exit code other than a failed check
};

// Runs every variant of the plan, one after another, as a sweep does.
Runs run_all(const sweep::Plan& plan, const ConvergeOptions& o, const fs::path& out) {
  Runs runs;
  for (const sweep::PlannedVariant& pv : plan.variants) {
    const sweep::Variant& v = pv.v;
    fs::path dir = pv.dir, log = out / (v.name + ".log");
    int rc = tools::run_and_wait(pv.command, log.string());
    json rep = sweep::read_report((dir / "report.json").string());
    json row = sweep::variant_row(plan, pv, rc, rep);
    row["c2c_per_us"] = c2c_per_window(rep);
    uint64_t q = std::stoull(v.values[0]);
    std::printf("converge: quantum %s%s: exit %d, host %s s\n", v.values[0].c_str(),
                o.seeds > 1 ? (", seed " + v.values[1]).c_str() : "", rc,
                row["wall_seconds"].is_number() ? fmt::format("{:.2f}", row["wall_seconds"].get<double>()).c_str() : "?");
    std::fflush(stdout);
    if (rc != 0 && rc != exit_code::kCheckFailed) {
      std::fprintf(stderr, "converge: variant %s exited %d (see %s)\n", v.name.c_str(), rc, log.string().c_str());
      runs.worst = std::max(runs.worst, rc);
    }
    if (row["wall_seconds"].is_number()) runs.host_seconds[q] += row["wall_seconds"].get<double>() / o.seeds;
    runs.by_quantum[q].push_back(row);
    runs.rows.push_back(row);
  }
  return runs;
}

int run_converge(const ConvergeOptions& o) {
  std::vector<uint64_t> quanta = parse_quanta(o.quanta);
  if (o.seeds == 0 || o.seeds > 1000) throw tools::InputError("--seeds " + std::to_string(o.seeds) + ": expected 1 to 1000");
  for (const std::string& f : o.overrides)
    if (f.rfind(std::string(kQuantumKey) + "=", 0) == 0)
      throw tools::InputError("--set " + f + ": converge varies the quantum itself (--quanta)");
  scenario::Scenario s = scenario::load_scenario(o.scenario, o.overrides);
  const uint64_t reference = *std::min_element(quanta.begin(), quanta.end());

  fs::path out = o.out_dir.empty() ? fs::path("out") / (s.name + "-converge") : fs::path(o.out_dir);
  const sweep::Plan plan = plan_converge(o, quanta, out);
  const std::vector<std::string>& updates = plan.updates;
  const std::vector<std::string>& metrics = plan.metrics;
  fs::create_directories(out);

  const Runs runs = run_all(plan, o, out);
  if (runs.worst) return runs.worst;
  const json& rows = runs.rows;
  std::map<uint64_t, json> by_quantum = runs.by_quantum;
  std::map<uint64_t, double> host_seconds = runs.host_seconds;

  // Per quantity, per quantum: the cell against the reference's.
  std::vector<std::string> names = quantity_names(rows);
  std::vector<Check> checks = parse_checks(o.checks, names);
  std::string csv = "quantity,quantum_cycles,seeds,mean,stddev,min,max,reference,relative_error,within_10pct_or_spread\n";
  json table = json::array();
  std::string text = fmt::format("{:<44}", "quantity (mean over " + std::to_string(o.seeds) + (o.seeds > 1 ? " seeds)" : " seed)"));
  for (uint64_t q : quanta) text += fmt::format(" {:>22}", "q=" + std::to_string(q) + (q == reference ? " (ref)" : ""));
  text += "\n";
  unsigned failed = 0;
  for (const std::string& name : names) {
    const Cell ref = cell_of(by_quantum[reference], name);
    json per = json::array();
    text += fmt::format("{:<44}", name);
    for (uint64_t q : quanta) {
      Cell c = cell_of(by_quantum[q], name);
      double err = relative_error(c.mean, ref.mean);
      bool ok = within(c, ref, 0.10);
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", name, q, c.n, number(c.mean), number(c.stddev), number(c.min),
                         number(c.max), number(ref.mean), std::isinf(err) ? "inf" : fmt::format("{:.4f}", err), ok ? "yes" : "no");
      per.push_back({{"quantum_cycles", q}, {"value", cell_json(c)}, {"relative_error", std::isinf(err) ? json("inf") : json(err)},
                     {"within_10pct_or_spread", ok}});
      text += fmt::format(" {:>22}", c.n == 0 ? std::string("-") : q == reference ? number(c.mean)
                                                                   : number(c.mean) + " (" + percent(err) + ")");
      for (const Check& ch : checks) {
        if (ch.quantity != name || q == reference || within(c, ref, ch.bound)) continue;
        std::fprintf(stderr, "converge: %s at quantum %llu is %s, %s from %s at quantum %llu (bound %.0f %%)\n", name.c_str(),
                     (unsigned long long)q, number(c.mean).c_str(), percent(err).c_str(), number(ref.mean).c_str(),
                     (unsigned long long)reference, 100 * ch.bound);
        ++failed;
      }
    }
    text += "\n";
    table.push_back({{"quantity", name}, {"reference_quantum_cycles", reference}, {"at", per}});
  }
  text += fmt::format("{:<44}", "host seconds (per run)");
  json host = json::object();
  for (uint64_t q : quanta) {
    text += fmt::format(" {:>22}", fmt::format("{:.2f}", host_seconds[q]));
    host[std::to_string(q)] = host_seconds[q];
  }
  text += "\n";
  std::printf("%s", text.c_str());

  std::vector<std::string> keys{kQuantumKey};
  if (o.seeds > 1) keys.push_back("seed");
  json doc = {{"scenario", s.name}, {"sync_policy", std::string(to_string(s.machine.sync_policy))}, {"seeds", o.seeds},
              {"reference_quantum_cycles", reference}, {"host_seconds", host}, {"quantities", table}, {"runs", rows}};
  tools::write_output(out / "converge.csv", csv);
  tools::write_output(out / "converge.json", doc.dump(2) + "\n");
  tools::write_output(out / "converge.html", report::build_sweep_html(s.name + " (convergence over the quantum)", keys, rows, updates, metrics));
  std::printf("converge: %zu runs; table %s, plot %s\n", rows.size(), (out / "converge.csv").string().c_str(),
              (out / "converge.html").string().c_str());
  if (failed) {
    std::fprintf(stderr, "converge: %u checked figure(s) outside their bound\n", failed);
    return exit_code::kCheckFailed;
  }
  return 0;
}

}  // namespace

std::vector<std::string> quantity_names(const json& rows) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const json& r : rows)
    for (const json& u : r["updates"])
      for (const char* f : kUpdateFigures) add("updates." + u["name"].get<std::string>() + "." + f);
  for (const json& r : rows)
    for (const auto& [k, v] : r["metrics"].items())
      if (v.is_number()) add("metrics." + k);
  for (const json& r : rows)
    if (r.contains("c2c_per_us"))
      for (const auto& [w, v] : r["c2c_per_us"].items()) add("coherence." + w + ".c2c_per_us");
  return names;
}

Cell cell_of(const json& rows, const std::string& quantity) {
  Cell c;
  std::vector<double> xs;
  for (const json& r : rows) {
    json v = value_in(r, quantity);
    if (v.is_number()) xs.push_back(v.get<double>());
  }
  c.n = unsigned(xs.size());
  if (xs.empty()) return c;
  c.min = *std::min_element(xs.begin(), xs.end());
  c.max = *std::max_element(xs.begin(), xs.end());
  for (double x : xs) c.mean += x / xs.size();
  if (xs.size() > 1) {
    double ss = 0;
    for (double x : xs) ss += (x - c.mean) * (x - c.mean);
    c.stddev = std::sqrt(ss / (xs.size() - 1));
  }
  return c;
}

double relative_error(double v, double ref) {
  if (v == ref) return 0;
  if (ref == 0) return std::numeric_limits<double>::infinity();
  return (v - ref) / std::fabs(ref);
}

bool within(const Cell& c, const Cell& ref, double bound) {
  if (c.n == 0 || ref.n == 0) return c.n == ref.n;
  double allowed = std::max({bound * std::fabs(ref.mean), ref.max - ref.min, c.max - c.min});
  return std::fabs(c.mean - ref.mean) <= allowed;
}

int converge(const ConvergeOptions& o) {
  return tools::exit_code_of([&] { return run_converge(o); });
}

}  // namespace dusim::converge
