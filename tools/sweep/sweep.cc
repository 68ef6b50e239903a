#include "sweep/sweep.h"

#include <cstdio>
#include <filesystem>

#include "common/errors.h"
#include "common/nearest.h"
#include "common/output_file.h"
#include "common/process.h"
#include "config/yaml_reader.h"
#include "exit_codes.h"
#include "report/sweep_html.h"
#include "scenario/scenario.h"
#include "sweep/plan.h"
#include "sweep/table.h"

namespace dusim::sweep {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

struct Table {
  std::vector<std::string> updates;  // the scenario's update names: four columns each
  std::vector<std::string> metrics;  // the scenario's metric names: one column each
  std::string csv;
  json rows = json::array();
};

// Every variant's overrides, loaded before anything runs: a typo in a key or
// a value is an input error now, not a column of failed runs.
void check_variants(const SweepOptions& o, const std::vector<Axis>& axes, const std::vector<Variant>& variants) {
  for (const Variant& v : variants) {
    std::vector<std::string> sets = o.overrides;
    for (size_t k = 0; k < axes.size(); ++k) sets.push_back(axes[k].key + "=" + v.values[k]);
    try {
      scenario::load_scenario(o.scenario, sets);
    } catch (const YamlError& e) {
      throw tools::InputError("--vary: variant " + v.name + ": " + e.what());
    }
  }
}

// What went wrong in a variant, on stderr: its failed checks, or its exit code and log.
void report_failure(const Variant& v, int rc, const json& row, const fs::path& log) {
  if (rc == exit_code::kCheckFailed) {
    for (const json& c : row["failed_checks"])
      std::fprintf(stderr, "sweep: variant %s: check failed: %s: expected %s, got %s\n", v.name.c_str(),
                   c["name"].get<std::string>().c_str(), c["expected"].get<std::string>().c_str(), c["actual"].get<std::string>().c_str());
    return;
  }
  std::fprintf(stderr, "sweep: variant %s exited %d (see %s)\n", v.name.c_str(), rc, log.string().c_str());
}

// Runs one variant in its own process and adds its row.
int run_variant(const SweepOptions& o, const std::vector<Axis>& axes, const Variant& v, const fs::path& out, Table& t) {
  fs::path dir = out / v.name, log = out / (v.name + ".log");
  std::error_code ec;
  fs::remove(dir / "report.json", ec);  // an earlier sweep's: never read into this one's table
  int rc = tools::run_and_wait(variant_command(o, axes, v, dir.string()), log.string());
  json row = variant_row(axes, v, rc, read_report((dir / "report.json").string()), t.updates);
  std::string line = csv_line(row, axes, t.metrics);
  std::printf("%s", line.c_str());
  std::fflush(stdout);
  if (rc != 0) report_failure(v, rc, row, log);
  t.csv += line;
  t.rows.push_back(row);
  return rc;
}

void write_table(const fs::path& out, const std::string& scenario, const std::vector<Axis>& axes, const Table& t) {
  std::vector<std::string> keys;
  for (const Axis& a : axes) keys.push_back(a.key);
  tools::write_output(out / "sweep.csv", t.csv);
  tools::write_output(out / "sweep.json", t.rows.dump(2) + "\n");
  tools::write_output(out / "sweep.html", report::build_sweep_html(scenario, keys, t.rows, t.updates, t.metrics));
  std::printf("sweep: %zu variants; table %s, plot %s\n", t.rows.size(), (out / "sweep.csv").string().c_str(),
              (out / "sweep.html").string().c_str());
}

// The worst exit code: a variant that did not run through (guest fault,
// error) over one whose checks failed (123) over success.
int worst_of(int worst, int rc) {
  if (rc == 0) return worst;
  if (rc == exit_code::kCheckFailed) return worst == 0 ? rc : worst;
  return worst == 0 || worst == exit_code::kCheckFailed ? rc : std::max(worst, rc);
}

int run_sweep(const SweepOptions& o) {
  std::vector<Axis> axes = parse_axes(o.vary);
  scenario::Scenario s = scenario::load_scenario(o.scenario, o.overrides);  // fail early on a bad scenario
  std::vector<Variant> variants = variants_of(axes);
  check_variants(o, axes, variants);
  fs::path out = o.out_dir.empty() ? fs::path("out") / (s.name + "-sweep") : fs::path(o.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw tools::OutputError("cannot create output folder " + out.string() + ": " + ec.message());
  tools::remove_stale_outputs({out / "sweep.csv", out / "sweep.json", out / "sweep.html"});
  Table t;
  for (const scenario::Update& u : s.updates) t.updates.push_back(u.name);
  for (const scenario::Metric& m : s.metrics) t.metrics.push_back(m.name);
  t.csv = csv_header(axes, t.updates, t.metrics);
  std::printf("%s", t.csv.c_str());
  int worst = 0;
  unsigned failed = 0;
  for (const Variant& v : variants) {
    int rc = run_variant(o, axes, v, out, t);
    failed += rc != 0;
    worst = worst_of(worst, rc);
  }
  write_table(out, s.name, axes, t);
  if (failed) std::fprintf(stderr, "sweep: %u of %zu variants failed (exit code %d)\n", failed, variants.size(), worst);
  return worst;
}

}  // namespace

int sweep(const SweepOptions& o) {
  return tools::exit_code_of([&] { return run_sweep(o); });
}

}  // namespace dusim::sweep
