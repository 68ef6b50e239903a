// `dusim lab check N`: grade the student's folder. One `dusim run` per
// (scenario, graded variant) that some test needs, in a process of its own
// with the longest timeout of those tests; then each test's checks on each
// of its variants' report.json. A test scores its points when every check
// holds on every variant; otherwise its messages say what was expected, what
// was measured, on which variant, and which report to open, and are kept in
// results/tests/NAME.txt.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/process.h"
#include "exit_codes.h"
#include "lab/grader.h"
#include "lab/lab.h"
#include "report/checks.h"
#include "report/report_paths.h"
#include "scenario/scenario.h"

namespace dusim::lab {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

struct Run {
  std::string scenario;
  size_t variant = 0;
  unsigned timeout_s = 0;
  fs::path dir;        // results/runs/SCENARIO/VARIANT
  int code = 0;        // dusim run's exit code; -1: timed out
  double host_s = 0;
  bool has_report = false;
  json report;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

std::string expand(const std::string& s, const Lab& lab, const fs::path& work) {
  return replace_all(replace_all(s, "${WORK}", work.string()), "${LAB}", lab.dir);
}

// The scenario file to run: the grader's own with ${WORK} filled in (written
// into results/, so the student can run it by hand), or a file as it is.
fs::path scenario_file(const Lab& lab, const std::string& name, const fs::path& work, const fs::path& results) {
  fs::path p = expand(lab.scenarios.at(name), lab, work);
  if (p.is_relative()) p = fs::path(lab.dir) / p;
  if (!fs::exists(p)) throw tools::InputError("lab " + std::to_string(lab.number) + ": scenario '" + name + "' is " + p.string() +
                                              ", which does not exist");
  std::string text = read_text(p);
  if (text.find("${WORK}") == std::string::npos && text.find("${LAB}") == std::string::npos) return p;
  fs::path out = results / (name + ".yaml");
  tools::write_output(out, "# Written by ./dusim lab check " + std::to_string(lab.number) + " from " + p.string() +
                               " (${WORK} is your folder)\n" + expand(text, lab, work));
  return out;
}

void execute(Run& r, const Lab& lab, const fs::path& scenario, const std::string& self) {
  const Variant& v = lab.variants[r.variant];
  fs::create_directories(r.dir);
  std::vector<std::string> argv{self,     "-q",           "run",
                                scenario.string(), "--out",      r.dir.string(),
                                "--set",  "seed=" + std::to_string(v.seed),
                                "--set",  "machine.cpus=" + std::to_string(v.cpus),
                                "--set",  "machine.quantum_cycles=" + std::to_string(v.quantum)};
  std::printf("  running %-10s on %-32s ", r.scenario.c_str(), v.name().c_str());
  std::fflush(stdout);
  auto t0 = std::chrono::steady_clock::now();
  r.code = tools::run_and_wait(argv, (r.dir / "log.txt").string(), r.timeout_s);
  r.host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fs::path rep = r.dir / "report.json";
  if (r.code != -1 && fs::exists(rep)) {
    try {
      r.report = json::parse(read_text(rep));
      r.has_report = true;
    } catch (const json::exception&) {
    }
  }
  std::printf("%5.1f s%s\n", r.host_s, r.code == -1 ? "  (timed out)" : "");
}

// The log's first lines (a compiler's error, a fault report's start).
std::string log_head(const fs::path& log, size_t lines) {
  std::istringstream in(read_text(log));
  std::string line, out;
  for (size_t k = 0; k < lines && std::getline(in, line); ++k) out += "\n         " + line;
  return out;
}

std::string shown(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float() && v.get<double>() == double(int64_t(v.get<double>()))) return std::to_string(int64_t(v.get<double>()));
  return v.dump();
}

// The value of the right side of a check when it is a path ("" otherwise).
std::string right_side(const std::string& expr, const json& report) {
  for (const char* op : {"==", "!=", "<=", ">=", "<", ">"}) {
    size_t at = expr.find(op);
    if (at == std::string::npos) continue;
    std::string rhs = expr.substr(at + std::string(op).size());
    if (rhs.find('*') != std::string::npos) rhs = rhs.substr(rhs.find('*') + 1);  // K * PATH: the path's own value
    rhs.erase(0, rhs.find_first_not_of(' '));
    rhs.erase(rhs.find_last_not_of(' ') + 1);
    if (rhs.empty() || !(std::isalpha(static_cast<unsigned char>(rhs[0])) || rhs[0] == '_') ||
        (rhs.find('.') == std::string::npos && rhs.find('[') == std::string::npos))
      return "";
    const json* v = report::lookup_path(report, rhs);
    return ", " + rhs + " = " + (v ? shown(*v) : "absent");
  }
  return "";
}

struct Outcome {
  std::string outcome = "pass";  // pass, fail, timeout, error
  std::vector<std::string> messages;
  json variants = json::array();
};

// One test on one variant's run: "" when every check holds, else why not.
std::vector<std::string> judge(const Test& t, const Run& r, const Lab& lab, std::string& outcome) {
  std::vector<std::string> out;
  const std::string on = "on variant " + lab.variants[r.variant].name();
  const std::string page = (r.dir / "report.html").string(), log = (r.dir / "log.txt").string();
  if (r.code == -1) {
    outcome = "timeout";
    out.push_back("the run did not finish within " + std::to_string(r.timeout_s) + " s of host time, " + on + ", open " + log);
    return out;
  }
  if (!r.has_report) {
    outcome = "error";
    out.push_back("the run ended with exit code " + std::to_string(r.code) + " and no report (" +
                  (r.code == exit_code::kUsage ? "the scenario or the module did not load or compile" : "see the log") + "), " + on +
                  ", open " + log + log_head(r.dir / "log.txt", 12));
    return out;
  }
  if (r.code == exit_code::kGuestFault) {
    outcome = "error";
    out.push_back("the guest faulted, " + on + ", open " + log + log_head(r.dir / "log.txt", 12));
    return out;
  }
  for (const std::string& c : t.checks) {
    report::CheckResult res = report::evaluate_check(c, r.report);
    if (res.passed) continue;
    if (outcome == "pass") outcome = "fail";
    std::string lhs = c.substr(0, c.find_first_of("=!<>"));
    lhs.erase(lhs.find_last_not_of(' ') + 1);
    std::string measured = res.actual.empty() ? res.detail : lhs + " = " + res.actual + right_side(c, r.report);
    out.push_back("expected " + (res.expected.empty() ? c : res.expected) + ", measured " + measured +
                  (res.meaning.empty() ? "" : " (" + res.meaning + ")") + ", " + on + ", open " + page);
  }
  return out;
}

std::string slug(const std::string& name) {
  std::string s;
  for (char ch : name) s += std::isalnum(static_cast<unsigned char>(ch)) ? char(std::tolower(ch)) : '-';
  return s;
}

}  // namespace

namespace {

using RunKey = std::pair<std::string, size_t>;  // scenario, variant

// The runs the tests need, each once.
std::map<RunKey, Run> plan_runs(const Lab& lab, const fs::path& results) {
  std::map<RunKey, Run> runs;
  for (const Test& t : lab.tests)
    for (size_t v : t.variants) {
      Run& r = runs[{t.scenario, v}];
      r.scenario = t.scenario;
      r.variant = v;
      r.timeout_s = std::max(r.timeout_s, t.timeout_s);
      r.dir = results / "runs" / t.scenario / lab.variants[v].folder();
    }
  return runs;
}

// Each scenario is loaded first, as `dusim run` will load it: a broken one
// (the student's, in a lab where the student writes it), or a check naming
// what its report will not have, fails its tests with the reason. Returns
// test name -> why it cannot be graded; fills `files` with each scenario's file.
std::map<std::string, std::string> ungradable(const Lab& lab, const fs::path& work, const fs::path& results,
                                              std::map<std::string, fs::path>& files) {
  std::map<std::string, std::string> problems;
  for (const Test& t : lab.tests) {
    if (!files.count(t.scenario)) files[t.scenario] = scenario_file(lab, t.scenario, work, results);
    try {
      scenario::Scenario s = scenario::load_scenario(files[t.scenario].string());
      for (const std::string& c : t.checks) {
        std::string why = report::check_problem(c, s);
        if (!why.empty() && !problems.count(t.name)) problems[t.name] = "cannot grade '" + c + "': " + why + " (" + t.where + ")";
      }
    } catch (const std::exception& e) {
      problems[t.name] = std::string("the scenario does not load: ") + e.what();
    }
  }
  return problems;
}

// One test over its variants: prints its line (and messages), keeps a failing
// test's messages in results/tests/, and returns its entry of results.json.
json grade_test(const Test& t, const Lab& lab, const std::map<RunKey, Run>& runs,
                const std::map<std::string, std::string>& problems, bool verbose, const fs::path& results) {
  Outcome out;
  if (problems.count(t.name)) {
    out.outcome = "error";
    out.messages.push_back(problems.at(t.name));
  }
  for (size_t v : t.variants) {
    const Run& r = runs.at({t.scenario, v});
    std::string outcome = "pass";
    std::vector<std::string> msgs = judge(t, r, lab, outcome);
    if (outcome != "pass" && out.outcome == "pass") out.outcome = outcome;
    for (std::string& m : msgs) out.messages.push_back(std::move(m));
    out.variants.push_back({{"variant", lab.variants[v].name()},
                            {"outcome", outcome},
                            {"report", (r.dir / "report.json").string()},
                            {"log", (r.dir / "log.txt").string()},
                            {"host_s", std::round(r.host_s * 10) / 10}});
  }
  bool pass = out.outcome == "pass";
  unsigned got = pass ? t.points : 0;
  std::printf("[%s] %s (%u/%u)\n", pass ? "PASS" : out.outcome == "timeout" ? "TIME" : "FAIL", t.name.c_str(), got, t.points);
  size_t shown_msgs = verbose ? out.messages.size() : std::min<size_t>(out.messages.size(), 1);
  for (size_t k = 0; k < shown_msgs; ++k) std::printf("       %s\n", out.messages[k].c_str());
  if (!verbose && out.messages.size() > 1) std::printf("       (and %zu more; --verbose shows them)\n", out.messages.size() - 1);
  if (!pass && !t.hint.empty()) std::printf("       hint: %s\n", t.hint.c_str());
  if (verbose)
    for (const json& v : out.variants)
      std::printf("       %-32s %-7s %s\n", v["variant"].get<std::string>().c_str(), v["outcome"].get<std::string>().c_str(),
                  v["report"].get<std::string>().c_str());
  std::string message;
  for (const std::string& m : out.messages) message += (message.empty() ? "" : "\n") + m;
  if (!pass) {
    fs::path kept = results / "tests" / (slug(t.name) + ".txt");
    tools::write_output(kept, "lab " + std::to_string(lab.number) + ", test: " + t.name + " (0/" + std::to_string(t.points) +
                                  ")\n" + message + "\n" + (t.hint.empty() ? "" : "hint: " + t.hint + "\n"));
  }
  return {{"name", t.name}, {"points", got}, {"max_points", t.points}, {"outcome", out.outcome}, {"message", message},
          {"variants", out.variants}};
}

}  // namespace

int check_lab(const LabOptions& o) {
  Lab lab = load_lab(labs_root(), o.number);
  fs::path work = fs::path(work_root(o)) / std::to_string(lab.number);
  if (!fs::is_directory(work))
    throw tools::InputError("lab " + std::to_string(lab.number) + " is not started: ./dusim lab start " + std::to_string(lab.number) +
                            " copies its starter into " + work.string());
  fs::path results = work / "results";
  fs::remove_all(results / "runs");
  fs::remove_all(results / "tests");
  fs::create_directories(results / "tests");
  auto t0 = std::chrono::steady_clock::now();

  std::map<RunKey, Run> runs = plan_runs(lab, results);
  std::printf("lab %u: %s — %zu graded run%s\n", lab.number, lab.title.c_str(), runs.size(), runs.size() == 1 ? "" : "s");
  std::map<std::string, fs::path> files;
  const std::map<std::string, std::string> problems = ungradable(lab, work, results, files);
  for (auto& [key, r] : runs) execute(r, lab, files[r.scenario], o.self);

  unsigned score = 0;
  json tests = json::array();
  std::printf("\n");
  for (const Test& t : lab.tests) {
    tests.push_back(grade_test(t, lab, runs, problems, o.verbose, results));
    score += tests.back()["points"].get<unsigned>();
  }
  double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  json res{{"lab", lab.number}, {"title", lab.title}, {"score", score}, {"max_points", lab.max_points()},
           {"tests", tests},    {"host_s", std::round(host_s * 10) / 10}};
  fs::path file = o.results.empty() ? results / "results.json" : fs::path(o.results);
  tools::write_output(file, res.dump(2) + "\n");
  std::string kept = score < lab.max_points() ? "; each failing test's messages in " + (results / "tests").string() : "";
  std::printf("\nscore: %u/%u (%.0f s of host time; results in %s%s)\n", score, lab.max_points(), host_s, file.string().c_str(),
              kept.c_str());
  return score == lab.max_points() ? exit_code::kSuccess : exit_code::kCheckFailed;
}

}  // namespace dusim::lab
