#include "scenario/run.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "common/errors.h"
#include "common/interrupt.h"
#include "exit_codes.h"
#include "common/output_file.h"
#include "report/event_file.h"
#include "report/report_builder.h"
#include "report/report_files.h"
#include "scenario/modules.h"
#include "scenario/overrides.h"
#include "scenario/programs.h"
#include "scenario/simulate.h"

namespace dusim::scenario {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The folder, without what an earlier run wrote there: a run that ends
// early (killed, or failing) must not leave an older report looking like its
// own, for a reader or a sweep's table.
fs::path make_output_folder(const RunOptions& o, const Scenario& s) {
  fs::path out = o.out_dir.empty() ? fs::path(default_output_folder(s.name, o.overrides)) : fs::path(o.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw tools::OutputError("cannot create output folder " + out.string() + ": " + ec.message());
  for (const auto& [output, name] : kOutputs) tools::remove_stale_output(out / name);
  if (!o.events_file.empty()) tools::remove_stale_output(o.events_file);
  tools::remove_stale_output(out / "console.txt");  // written by a -q run
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

bool colour_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && !(term && std::string(term) == "dumb");
}

// -q prints only what failed.
void print_failures(const json& rep) {
  for (const json& c : rep["checks"])
    if (!c["passed"].get<bool>())
      std::fprintf(stderr, "dusim: check failed: %s: expected %s, got %s\n", c["name"].get<std::string>().c_str(),
                   c.value("expected", "").c_str(), c.value("actual", "").c_str());
}

int run_and_report(const RunOptions& o) {
  Scenario s = load_scenario(o.scenario, o.overrides);
  ElfImage kernel = load_kernel(s);  // what validate checks too, before anything is written
  packed_boot_args(s);
  fs::path out = make_output_folder(o, s);
  spdlog::debug("scenario {}: {} CPUs, {} workloads, {} updates; reports in {}", s.name, s.machine.cpus, s.workloads.size(),
                s.updates.size(), out.string());
  std::vector<ModuleBuild> modules = build_modules(s, (out / "modules").string());
  std::vector<uint8_t> initrd = build_programs(s, (out / "programs").string());
  const bool quiet = o.verbosity == Verbosity::Quiet;
  // -q keeps the terminal for failures: the guest's console goes to OUT/console.txt
  // instead (unless machine.console names a file already).
  if (quiet && s.machine.console.empty()) s.machine.console = (out / "console.txt").string();
  Simulation sim(s, kernel, modules, initrd);
  tools::catch_interrupts();  // SIGINT, SIGTERM: the run stops at the next quantum, its reports are written
  report::RunData data = sim.run(!quiet);
  json rep = report::build_report(data);
  report::write_reports(out, s.outputs, rep, report::build_trace(data, rep));
  if (!o.events_file.empty()) tools::write_output(o.events_file, report::event_lines(*data.events));
  if (quiet) {
    print_failures(rep);
  } else {
    if (o.summary) std::fputs(report::build_summary(rep, {o.verbosity == Verbosity::Verbose, colour_terminal()}).c_str(), stdout);
    std::printf("reports in %s%s\n", out.string().c_str(),
                o.out_dir.empty() && !o.overrides.empty() ? " (named after the --set overrides; --out DIR chooses)" : "");
  }
  if (data.outcome == Machine::Outcome::Interrupted) {
    int sig = tools::interrupted_by();
    std::fprintf(stderr, "dusim: interrupted by %s at %.3f of %.3f ms simulated; the reports in %s cover the run so far "
                 "(run.outcome: interrupted)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT", data.end_ns / 1e6,
                 s.duration_ns / 1e6, out.string().c_str());
    tools::end_by_signal(sig);
  }
  return exit_status(data, rep);
}

}  // namespace

std::string default_output_folder(const std::string& name, const std::vector<std::string>& overrides) {
  std::string folder = name;
  for (size_t k = 0; k < overrides.size(); ++k) {
    size_t eq = overrides[k].find('=');
    std::string key = overrides[k].substr(0, eq), value = eq == std::string::npos ? "" : overrides[k].substr(eq + 1);
    folder += (k == 0 ? "--" : "_") + override_label(key, value);
  }
  return (fs::path("out") / folder).string();
}

int run_scenario(const RunOptions& o) {
  return tools::exit_code_of([&] { return run_and_report(o); });
}

}  // namespace dusim::scenario
