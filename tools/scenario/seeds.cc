#include "scenario/seeds.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/process.h"
#include "exit_codes.h"
#include "report/seed_stats.h"

namespace dusim::scenario {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

uint64_t seed_number(const std::string& part, const std::string& text) {
  auto bad = [&] { throw tools::InputError("--seeds " + text + ": '" + part + "' is not a seed (expected e.g. 1-10 or 1,3,5)"); };
  if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 18) bad();
  return std::stoull(part);
}

json read_report(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  json rep = json::parse(in, nullptr, false);
  return rep.is_discarded() ? json(nullptr) : rep;
}

// The seed's run in its own process, its reports in OUT/seed-N.
report::SeedRun run_one(const RunOptions& o, uint64_t seed, const std::string& self, const fs::path& out) {
  const std::string folder = "seed-" + std::to_string(seed);
  const fs::path dir = out / folder, log = out / (folder + ".log");
  std::error_code ec;
  fs::remove(dir / "report.json", ec);  // a report from an earlier run is not this run's
  std::vector<std::string> argv{self, "-q", "run", o.scenario, "--out", dir.string()};
  for (const std::string& s : o.overrides) argv.insert(argv.end(), {"--set", s});
  argv.insert(argv.end(), {"--set", "seed=" + std::to_string(seed)});
  int rc = tools::run_and_wait(argv, log.string());
  return {seed, folder, rc, read_report(dir / "report.json")};
}

// A seed whose run did not go through (no report, a fault, an error) over
// failed checks over success.
int exit_status(const std::vector<report::SeedRun>& runs, const json& aggregate) {
  int worst = 0;
  for (const report::SeedRun& r : runs)
    if (r.exit_code != 0 && r.exit_code != exit_code::kCheckFailed) worst = std::max(worst, r.exit_code);
  if (worst) return worst;
  for (const json& c : aggregate["checks"])
    if (!c["passed"].get<bool>()) return exit_code::kCheckFailed;
  return exit_code::kSuccess;
}

int run_all(const RunOptions& o, const std::string& text, const std::string& self) {
  std::vector<uint64_t> seeds = parse_seed_list(text);
  if (!o.events_file.empty()) throw tools::InputError("--events cannot be combined with --seeds (each seed's events would be another file)");
  for (const std::string& set : o.overrides)
    if (set.rfind("seed=", 0) == 0) throw tools::InputError("--set " + set + " cannot be combined with --seeds (which sets each run's seed)");
  Scenario s = load_scenario(o.scenario, o.overrides);  // fail early on a bad scenario
  std::vector<std::string> named = o.overrides;
  named.push_back("seeds=" + text);
  const fs::path out = o.out_dir.empty() ? fs::path(default_output_folder(s.name, named)) : fs::path(o.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw tools::InputError("cannot create output folder " + out.string() + ": " + ec.message());
  const bool quiet = o.verbosity == Verbosity::Quiet;
  std::vector<report::SeedRun> runs;
  for (uint64_t seed : seeds) {
    runs.push_back(run_one(o, seed, self, out));
    const report::SeedRun& r = runs.back();
    const std::string log = (out / (r.folder + ".log")).string();
    if (!quiet)
      std::printf("seed %llu: exit code %d%s\n", static_cast<unsigned long long>(seed), r.exit_code,
                  r.report.is_null() ? (" (no report; see " + log + ")").c_str() : "");
    else if (r.exit_code != 0 && r.exit_code != exit_code::kCheckFailed)
      std::fprintf(stderr, "dusim: seed %llu exited %d (see %s)\n", static_cast<unsigned long long>(seed), r.exit_code,
                   log.c_str());
    std::fflush(stdout);
  }
  json aggregate = report::build_seeds_report(s, runs);
  const std::string summary = report::build_seeds_summary(aggregate, false);
  tools::write_output(out / "report.json", aggregate.dump(2) + "\n");
  tools::write_output(out / "summary.txt", summary);
  tools::write_output(out / "report.html", report::build_seeds_html(aggregate));
  if (!quiet) {
    if (o.summary) std::fputs(report::build_seeds_summary(aggregate, isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR")).c_str(), stdout);
    std::printf("reports in %s (each seed's in %s/seed-N)\n", out.string().c_str(), out.string().c_str());
  } else {
    for (const json& c : aggregate["checks"])
      if (!c["passed"].get<bool>())
        std::fprintf(stderr, "dusim: check failed (%s): %s: %s\n", c["over"].get<std::string>().c_str(),
                     c["name"].get<std::string>().c_str(), c["detail"].get<std::string>().c_str());
  }
  return exit_status(runs, aggregate);
}

}  // namespace

std::vector<uint64_t> parse_seed_list(const std::string& text) {
  std::vector<uint64_t> seeds;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t dash = part.find('-');
    uint64_t a = seed_number(part.substr(0, dash), text), b = a;
    if (dash != std::string::npos) b = seed_number(part.substr(dash + 1), text);
    if (b < a) throw tools::InputError("--seeds " + text + ": the range " + part + " is empty (its end is below its start)");
    if (b - a >= 10000) throw tools::InputError("--seeds " + text + ": the range " + part + " has more than 10000 seeds");
    for (uint64_t x = a; x <= b; ++x)
      if (std::find(seeds.begin(), seeds.end(), x) == seeds.end()) seeds.push_back(x);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const uint64_t max_seed = ~uint64_t(0) >> 1;
  for (uint64_t x : seeds)
    if (x > max_seed) throw tools::InputError("--seeds " + text + ": seed " + std::to_string(x) + " is above " + std::to_string(max_seed));
  return seeds;
}

int run_seeds(const RunOptions& o, const std::string& seeds, const std::string& self) {
  return tools::exit_code_of([&] { return run_all(o, seeds, self); });
}

}  // namespace dusim::scenario
