#include "sweep/sweep.h"

#include <cstdio>
#include <filesystem>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/process.h"
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
  std::vector<std::string> metrics;  // the scenario's metric names: one column each
  std::string csv;
  json rows = json::array();
};

// Runs one variant in its own process and adds its row.
int run_variant(const SweepOptions& o, const std::vector<Axis>& axes, const Variant& v, const fs::path& out, Table& t) {
  fs::path dir = out / v.name;
  int rc = tools::run_and_wait(variant_command(o, axes, v, dir.string()), (out / (v.name + ".log")).string());
  json row = variant_row(axes, v, rc, read_report((dir / "report.json").string()));
  std::string line = csv_line(v, row, t.metrics);
  std::printf("%s", line.c_str());
  std::fflush(stdout);
  t.csv += line;
  t.rows.push_back(row);
  return rc;
}

void write_table(const fs::path& out, const std::string& scenario, const std::vector<Axis>& axes, const Table& t) {
  std::vector<std::string> keys;
  for (const Axis& a : axes) keys.push_back(a.key);
  tools::write_output(out / "sweep.csv", t.csv);
  tools::write_output(out / "sweep.json", t.rows.dump(2) + "\n");
  tools::write_output(out / "sweep.html", report::build_sweep_html(scenario, keys, t.rows, t.csv));
  std::printf("sweep: %zu variants; table %s, plot %s\n", t.rows.size(), (out / "sweep.csv").string().c_str(),
              (out / "sweep.html").string().c_str());
}

int run_sweep(const SweepOptions& o) {
  std::vector<Axis> axes = parse_axes(o.vary);
  scenario::Scenario s = scenario::load_scenario(o.scenario, o.overrides);  // fail early on a bad scenario
  fs::path out = o.out_dir.empty() ? fs::path("out") / (s.name + "-sweep") : fs::path(o.out_dir);
  fs::create_directories(out);
  std::vector<Variant> variants = variants_of(axes);
  Table t;
  for (const scenario::Metric& m : s.metrics) t.metrics.push_back(m.name);
  t.csv = csv_header(axes, t.metrics);
  std::printf("%s", t.csv.c_str());
  int worst = 0;
  for (const Variant& v : variants) {
    int rc = run_variant(o, axes, v, out, t);
    if (rc != 0 && rc != exit_code::kCheckFailed) worst = std::max(worst, rc);
  }
  write_table(out, s.name, axes, t);
  return worst;
}

}  // namespace

int sweep(const SweepOptions& o) {
  return tools::exit_code_of([&] { return run_sweep(o); });
}

}  // namespace dusim::sweep
