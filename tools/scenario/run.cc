#include "scenario/run.h"

#include <cstdio>
#include <filesystem>

#include "common/errors.h"
#include "exit_codes.h"
#include "common/output_file.h"
#include "report/event_file.h"
#include "report/report_builder.h"
#include "report/report_files.h"
#include "scenario/modules.h"
#include "scenario/simulate.h"

namespace dusim::scenario {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

fs::path make_output_folder(const RunOptions& o, const Scenario& s) {
  fs::path out = o.out_dir.empty() ? fs::path("out") / s.name : fs::path(o.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw tools::InputError("cannot create output folder " + out.string() + ": " + ec.message());
  return out;
}

// A guest fault first (its report on stderr), then failed checks.
int exit_status(const report::RunData& run, const json& rep) {
  if (run.outcome == Machine::Outcome::Faulted) {
    std::fputs(run.fault.c_str(), stderr);
    return exit_code::kGuestFault;
  }
  for (const json& c : rep["checks"])
    if (!c["passed"].get<bool>()) return exit_code::kCheckFailed;
  return exit_code::kSuccess;
}

int run_and_report(const RunOptions& o) {
  Scenario s = load_scenario(o.scenario, o.overrides);
  fs::path out = make_output_folder(o, s);
  std::vector<ModuleBuild> modules = build_modules(s, (out / "modules").string());
  ElfImage kernel = load_kernel(s);
  Simulation sim(s, kernel, modules);
  report::RunData data = sim.run();
  json rep = report::build_report(data);
  report::write_reports(out, s.outputs, rep, report::build_trace(data, rep));
  if (!o.events_file.empty()) tools::write_output(o.events_file, report::event_lines(*data.events));
  if (o.summary) std::fputs(report::build_summary(rep).c_str(), stdout);
  std::printf("  reports in %s\n", out.string().c_str());
  return exit_status(data, rep);
}

}  // namespace

int run_scenario(const RunOptions& o) {
  return tools::exit_code_of([&] { return run_and_report(o); });
}

}  // namespace dusim::scenario
