#include "sweep/sweep.h"

#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "common/errors.h"
#include "common/interrupt.h"
#include "common/output_file.h"
#include "common/process.h"
#include "exit_codes.h"
#include "report/sweep_html.h"
#include "sweep/plan.h"
#include "sweep/progress.h"
#include "sweep/slurm.h"
#include "sweep/summary.h"
#include "sweep/table.h"

namespace dusim::sweep {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {

// Beside a variant's reports once its run has ended: its plan hash and exit code.
const char kFinished[] = "finished.json";

fs::path log_of(const Plan& p, const PlannedVariant& v) { return fs::path(p.out) / (v.v.name + ".log"); }

// The exit code a variant's run ended with, if it ran to this plan (its
// record's hash is the plan's).
std::optional<int> recorded(const PlannedVariant& v) {
  json rec = read_report((fs::path(v.dir) / kFinished).string());
  if (!rec.is_object() || rec.value("hash", "") != v.hash || !rec.contains("exit_code") || !rec["exit_code"].is_number_integer())
    return std::nullopt;
  return rec["exit_code"].get<int>();
}

// A variant that need not run again: it ended by itself (not by a signal)
// to this plan and left a whole report.
std::optional<int> finished(const PlannedVariant& v) {
  std::optional<int> rc = recorded(v);
  if (!rc || *rc >= 128 || read_report((fs::path(v.dir) / "report.json").string()).is_null()) return std::nullopt;
  return rc;
}

// Before a variant runs: no record and no report, so a run killed midway
// leaves nothing that looks finished.
void start_fresh(const PlannedVariant& v) {
  fs::create_directories(v.dir);
  fs::remove(fs::path(v.dir) / kFinished);
  fs::remove(fs::path(v.dir) / "report.json");
}

void mark_finished(const PlannedVariant& v, int rc) {
  tools::write_output(fs::path(v.dir) / kFinished, json{{"hash", v.hash}, {"exit_code", rc}}.dump() + "\n");
}

// What went wrong in a variant: its failed checks, or its exit code and log.
std::string failure_of(const Plan& p, const PlannedVariant& v, int rc, const json& row) {
  std::string s;
  if (rc == exit_code::kCheckFailed) {
    for (const json& c : row["failed_checks"])
      s += "sweep: variant " + v.v.name + ": check failed: " + c["name"].get<std::string>() + ": expected " +
           c["expected"].get<std::string>() + ", got " + c["actual"].get<std::string>() + "\n";
    return s;
  }
  return "sweep: variant " + v.v.name + " exited " + std::to_string(rc) + " (see " + log_of(p, v).string() + ")\n";
}

json row_of(const Plan& p, const PlannedVariant& v, int rc) {
  return variant_row(p, v, rc, read_report((fs::path(v.dir) / "report.json").string()));
}

// The worst exit code: a variant that did not run through (guest fault,
// error) over one whose checks failed (123) over success.
int worst_of(int worst, int rc) {
  if (rc == 0) return worst;
  if (rc == exit_code::kCheckFailed) return worst == 0 ? rc : worst;
  return worst == 0 || worst == exit_code::kCheckFailed ? rc : std::max(worst, rc);
}

// How long the sweep sleeps between looks at its running variants (an
// ended one, a signal to pass on).
constexpr auto kPoll = std::chrono::milliseconds(10);

// What run_here did: which variants a SIGINT or SIGTERM left unfinished.
struct RunHere {
  int signal = 0;                   // the first one, or 0
  std::vector<std::string> interrupted, not_started;
};

// Waits for one of `running` to end. Each signal that arrives meanwhile is
// passed on to every running variant (each is in a process group of its
// own, so a terminal's Ctrl-C reaches only the sweep): the first makes them
// stop at their next quantum and write their reports, a second ends them
// at once (common/interrupt.h).
template <typename Running>
tools::Ended wait_passing_signals(const Running& running, int& passed_on) {
  for (;;) {
    if (std::optional<tools::Ended> e = tools::try_wait()) return *e;
    for (int count = tools::interrupt_count(); passed_on < count; ++passed_on)
      for (const auto& [pid, r] : running) ::kill(pid, tools::interrupted_by());
    std::this_thread::sleep_for(kPoll);
  }
}

// Runs the plan's variants here, `jobs` at a time, each in its own process;
// the rows are printed in the plan's order as soon as all before them are
// in. After a SIGINT or SIGTERM no variant is started; the running ones end
// as interrupted (exit code 130 or 143: run again next time).
RunHere run_here(const Plan& p, unsigned jobs) {
  const size_t n = p.variants.size();
  Progress progress(n, jobs);
  std::vector<std::optional<int>> rc(n);
  size_t printed = 0, next = 0, reused = 0;
  int passed_on = 0;
  struct Running {
    size_t index;
    Clock::time_point start;
  };
  std::map<int, Running> running;
  RunHere result;
  progress.out(csv_header(p));
  auto print_ready = [&] {
    for (; printed < n && rc[printed]; ++printed) {
      const PlannedVariant& v = p.variants[printed];
      json row = row_of(p, v, *rc[printed]);
      progress.out(csv_line(p, row));
      if (*rc[printed] != 0) progress.err(failure_of(p, v, *rc[printed], row));
    }
  };
  while ((next < n && !tools::interrupted_by()) || !running.empty()) {
    for (; next < n && running.size() < jobs && !tools::interrupted_by(); ++next) {
      const PlannedVariant& v = p.variants[next];
      if (std::optional<int> done = finished(v)) {
        rc[next] = done, ++reused;
        progress.ended(*done != 0, 0, true);
        continue;
      }
      start_fresh(v);
      running[tools::start_logged(v.command, log_of(p, v).string(), true)] = {next, Clock::now()};
      progress.started();
    }
    print_ready();
    if (running.empty()) continue;
    tools::Ended e = wait_passing_signals(running, passed_on);
    auto it = running.find(e.pid);
    if (it == running.end()) continue;
    const size_t k = it->second.index;
    mark_finished(p.variants[k], e.exit_code);
    rc[k] = e.exit_code;
    progress.ended(e.exit_code != 0, std::chrono::duration<double>(Clock::now() - it->second.start).count(), false);
    running.erase(it);
  }
  print_ready();
  if (reused)
    progress.err("sweep: " + std::to_string(reused) + " of " + std::to_string(n) +
                 " variants had finished to this plan (same inputs hash): not run again (--force reruns them)\n");
  result.signal = tools::interrupted_by();
  for (size_t k = 0; k < n && result.signal; ++k) {  // in the plan's order
    if (k >= next) {
      if (!finished(p.variants[k])) result.not_started.push_back(p.variants[k].v.name);
    } else if (rc[k] && *rc[k] >= 128 && !finished(p.variants[k])) {
      result.interrupted.push_back(p.variants[k].v.name);
    }
  }
  return result;
}

// After a SIGINT or SIGTERM: what the table lacks, and how to go on.
void say_interrupted(const Plan& p, const RunHere& r) {
  auto list = [](const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& m : names) s += (s.empty() ? "" : ", ") + m;
    return s.empty() ? std::string("none") : s;
  };
  std::fprintf(stderr,
               "sweep: interrupted by %s: the table is incomplete: %zu of %zu variants interrupted (their rows have exit code "
               "%d and their reports run.outcome interrupted): %s; %zu not started: %s; the same command again runs only these\n",
               r.signal == SIGTERM ? "SIGTERM" : "SIGINT", r.interrupted.size(), p.variants.size(), 128 + r.signal,
               list(r.interrupted).c_str(), r.not_started.size(), list(r.not_started).c_str());
}

// The table from the variants' folders: sweep.csv, sweep.json, sweep.html.
// A variant with no record of this plan is missing (named on stderr, and
// the exit code is at least 1).
int collect(const Plan& p, bool name_failures) {
  std::string csv = csv_header(p);
  json rows = json::array();
  std::vector<std::string> missing;
  int worst = 0;
  unsigned failed = 0;
  for (const PlannedVariant& v : p.variants) {
    std::optional<int> rc = recorded(v);
    if (!rc) {
      missing.push_back(v.v.name);
      continue;
    }
    json row = row_of(p, v, *rc);
    csv += csv_line(p, row);
    rows.push_back(row);
    if (*rc != 0 && name_failures) std::fputs(failure_of(p, v, *rc, row).c_str(), stderr);
    failed += *rc != 0;
    worst = worst_of(worst, *rc);
  }
  std::vector<std::string> keys;
  for (const Axis& a : p.axes) keys.push_back(a.key);
  const fs::path out(p.out);
  tools::write_output(out / "sweep.csv", csv);
  tools::write_output(out / "sweep.json", rows.dump(2) + "\n");
  const json summary = seed_summary(p, rows);
  if (seeds_swept(p)) tools::write_output(out / "sweep-summary.csv", summary_csv(p, summary));
  tools::write_output(out / "sweep.html", report::build_sweep_html(p.name, keys, rows, p.updates, p.metrics, p.plot, summary));
  std::printf("sweep: %zu variants; table %s, plot %s\n", rows.size(), (out / "sweep.csv").string().c_str(),
              (out / "sweep.html").string().c_str());
  if (failed) std::fprintf(stderr, "sweep: %u of %zu variants failed (exit code %d)\n", failed, p.variants.size(), worst);
  if (!missing.empty()) {
    std::string names;
    for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
    std::fprintf(stderr, "sweep: %zu of %zu variants have not finished (no record of this plan in their folder): %s\n", missing.size(),
                 p.variants.size(), names.c_str());
    worst = worst ? worst : exit_code::kSweepIncomplete;
  }
  return worst;
}

// A Slurm array task: its share of the plan, one after another.
int run_task(const Plan& p, size_t task) {
  const size_t tasks = task_count(p.variants.size());
  if (task >= tasks) throw tools::InputError("--task " + std::to_string(task) + ": the plan has tasks 0 to " + std::to_string(tasks - 1));
  int worst = 0;
  for (size_t k = task; k < p.variants.size(); k += tasks) {
    const PlannedVariant& v = p.variants[k];
    std::optional<int> rc = finished(v);
    if (rc) {
      std::printf("sweep: variant %s had finished to this plan: not run again\n", v.v.name.c_str());
    } else {
      start_fresh(v);
      rc = tools::run_and_wait(v.command, log_of(p, v).string());
      mark_finished(v, *rc);
      std::printf("sweep: variant %s exited %d\n", v.v.name.c_str(), *rc);
    }
    worst = worst_of(worst, *rc);
  }
  return worst;
}

int run_sweep(const SweepOptions& o) {
  if (!o.collect.empty()) return collect(read_plan(o.collect), true);
  if (o.task >= 0) {
    if (o.out_dir.empty()) throw tools::InputError("--task needs --out DIR, the sweep's folder (with its plan.json)");
    return run_task(read_plan(o.out_dir), size_t(o.task));
  }
  if (o.scenario.empty()) throw tools::InputError("sweep needs a SCENARIO and --vary KEY=V1,V2,... (or --collect DIR)");
  std::string sbatch = o.slurm.submit ? find_sbatch() : "";  // before anything is written
  Plan p = make_plan(o);
  if (o.dry_run) {
    std::printf("%s\n", plan_json(p).dump(2).c_str());
    return 0;
  }
  std::error_code ec;
  fs::create_directories(p.out, ec);
  if (ec) throw tools::OutputError("cannot create output folder " + p.out + ": " + ec.message());
  const fs::path out(p.out);
  tools::remove_stale_outputs({out / "sweep.csv", out / "sweep.json", out / "sweep.html", out / "sweep-summary.csv"});
  if (o.force)
    for (const PlannedVariant& v : p.variants) fs::remove(fs::path(v.dir) / kFinished);
  tools::write_output(fs::path(p.out) / "plan.json", plan_json(p).dump(2) + "\n");
  if (o.slurm.submit) return submit(p, o.slurm, sbatch);
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  tools::catch_interrupts(tools::SecondSignal::Counted,
                          "\nsweep: interrupted: no more variants start; the running ones stop at their next quantum and "
                          "write their reports, then the table is written (again to end them at once)\n");
  RunHere r = run_here(p, jobs);
  int rc = collect(p, false);
  if (!r.signal) return rc;
  say_interrupted(p, r);
  tools::end_by_signal(r.signal);
}

}  // namespace

int sweep(const SweepOptions& o) {
  return tools::exit_code_of([&] { return run_sweep(o); });
}

}  // namespace dusim::sweep
