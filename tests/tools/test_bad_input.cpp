// Bad input, end to end: the dusim binary is given one bad scenario, --set or
// option per row and must refuse it with the row's exit code and a message
// naming where the problem is (file:line:column and key, or the --set key).
// Scenario rows go through both `validate` and `run` (with the row's --set):
// validate must refuse everything run would refuse before it simulates. A `timeout` bounds each
// run, so an input that would hang fails its row instead of the suite.
// DUSIM_UNDER_TEST=PATH runs the rows against another dusim binary (an
// older build, to see which rows it fails).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/process.h"
#include "scenario/workloads.h"

namespace {

namespace fs = std::filesystem;

struct Row {
  const char* what;
  std::string yaml;               // the scenario; @CONFIG@, @KERNEL@, @STANDIN@, @MODULE@, @DIR@ replaced
  std::vector<std::string> args;  // after `run SCENARIO` (--set ...)
  std::string fragment;           // the message must contain this (@DIR@ replaced)
  int rc = 125;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.what; }

struct Workspace {
  fs::path dir = fs::temp_directory_path() / ("dusim-bad-input-" + std::to_string(getpid()));
  Workspace() { fs::create_directories(dir); }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

std::string expand(std::string s, const fs::path& dir) {
  s = replace_all(s, "@CONFIG@", std::string(DUSIM_ROOT) + "/configs/power5-4cpu.yaml");
  s = replace_all(s, "@KERNEL@", std::string(DUSIM_GUEST_DIR) + "/guest_os/kernel.elf");
  s = replace_all(s, "@STANDIN@", std::string(DUSIM_GUEST_DIR) + "/tests/pipeline/pipeline_guest.elf");
  s = replace_all(s, "@MODULE@", std::string(DUSIM_ROOT) + "/tests/pipeline/modules/hello_module.cc");
  return replace_all(s, "@DIR@", dir.string());
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A ppc64 executable of one 4 KiB segment at `addr`, nothing else.
void write_image_at(const fs::path& p, uint64_t addr) {
  std::vector<uint8_t> d(120, 0);
  auto put = [&](size_t at, uint64_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) d[at + k] = uint8_t(v >> (8 * (bytes - 1 - k)));
  };
  d[0] = 0x7f, d[1] = 'E', d[2] = 'L', d[3] = 'F', d[4] = 2, d[5] = 2, d[6] = 1;  // 64-bit, big-endian
  put(16, 2, 2), put(18, 21, 2), put(20, 1, 4), put(24, addr, 8), put(32, 64, 8), put(48, 1, 4);  // EXEC, PPC64, ELFv1
  put(52, 64, 2), put(54, 56, 2), put(56, 1, 2);
  put(64, 1, 4), put(68, 5, 4), put(80, addr, 8), put(88, addr, 8), put(96, 120, 8), put(104, 0x1000, 8);  // PT_LOAD R+X
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(d.data()), std::streamsize(d.size()));
}

struct Outcome {
  int rc;
  std::string output;
};

Outcome dusim(const std::vector<std::string>& args, const fs::path& dir) {
  const char* other = std::getenv("DUSIM_UNDER_TEST");
  std::vector<std::string> argv{"/usr/bin/timeout", "60", other ? other : DUSIM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  fs::path log = dir / "log";
  int rc = dusim::tools::run_and_wait(argv, log.string());
  return {rc, read(log)};
}

// The start of a scenario that is fine as it is: rows add to it.
// kHead has no duration; kBase runs the stand-in guest, kOwnKernel dusim's own kernel.
const std::string kHead = "machine: {config: @CONFIG@}\nkernel: @STANDIN@\n";
const std::string kBase = kHead + "duration_ms: 0.01\n";
const std::string kOwnKernel = "machine: {config: @CONFIG@}\nduration_ms: 0.01\n";
// An update whose time comes next (line 7).
const std::string kUpdate = kBase + "updates:\n  - name: u\n    module: @MODULE@\n    ";

void check_row(const Row& row) {
  Workspace ws;
  fs::path scenario = ws.dir / "s.yaml";
  std::ofstream(scenario, std::ios::binary) << expand(row.yaml, ws.dir);
  for (const char* addr : {"30000000", "f0000000", "1ffc0000"})
    write_image_at(ws.dir / ("high-" + std::string(addr) + ".elf"), std::stoull(addr, nullptr, 16));
  std::vector<std::string> validate{"validate", scenario.string()};
  std::vector<std::string> run{"-q", "run", scenario.string(), "--out", (ws.dir / "out").string()};
  for (const std::string& a : row.args) validate.push_back(expand(a, ws.dir)), run.push_back(expand(a, ws.dir));
  const std::string fragment = expand(row.fragment, ws.dir);
  for (const auto& c : {validate, run}) {
    Outcome o = dusim(c, ws.dir);
    const std::string cmd = c[0] == "-q" ? "run" : c[0];
    EXPECT_EQ(o.rc, row.rc) << row.what << ": dusim " << cmd << ":\n" << o.output;
    EXPECT_NE(o.output.find(fragment), std::string::npos) << row.what << ": dusim " << cmd << ": expected '" << fragment << "' in:\n"
                                                           << o.output;
  }
}

class BadScenario : public testing::TestWithParam<Row> {};
TEST_P(BadScenario, IsRefusedWithWhereAndWhy) { check_row(GetParam()); }

std::string row_name(const testing::TestParamInfo<Row>& info) {
  std::string n;
  for (const char* p = info.param.what; *p; ++p) n += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  return n;
}

// The base scenarios themselves are fine: every row's failure is its own.
TEST(BadScenario, TheBaseScenariosValidate) {
  for (const std::string& base : {kBase, kOwnKernel, kUpdate + "at_ms: 0.005\n"}) {
    Workspace ws;
    std::ofstream(ws.dir / "s.yaml") << expand(base, ws.dir);
    Outcome o = dusim({"validate", (ws.dir / "s.yaml").string()}, ws.dir);
    EXPECT_EQ(o.rc, 0) << o.output;
  }
}

// Defect 2: every number range-checked and fully parsed.
INSTANTIATE_TEST_SUITE_P(
    Numbers, BadScenario,
    testing::Values(
        Row{"negative duration", kHead + "duration_ms: -1\n", {}, "s.yaml:3:14: key 'duration_ms': "},
        Row{"NaN duration", kHead + "duration_ms: .nan\n", {}, "key 'duration_ms': expected a time"},
        Row{"infinite duration", kHead + "duration_ms: .inf\n", {}, "key 'duration_ms': expected a time"},
        Row{"huge duration", kHead + "duration_ms: 1e300\n", {}, "key 'duration_ms': expected a time"},
        Row{"zero duration", kHead + "duration_ms: 0\n", {}, "key 'duration_ms': the run must last longer than 0"},
        Row{"huge duration in ns", kHead + "duration_ns: 99999999999999999999\n", {}, "key 'duration_ns': "},
        Row{"negative at_ms", kUpdate + "at_ms: -1\n", {}, "s.yaml:7:12: key 'updates[0].at_ms': expected a time"},
        Row{"huge at_ms", kUpdate + "at_ms: 1e300\n", {}, "key 'updates[0].at_ms': expected a time"},
        Row{"NaN at_us", kUpdate + "at_us: .nan\n", {}, "key 'updates[0].at_us': expected a time"},
        Row{"negative window start", kBase + "metrics: {m: {count: WORKLOAD_CALL, from_ms: -2}}\n", {},
            "key 'metrics.m.from_ms': expected a time"},
        Row{"--set seed=-1", kBase, {"--set", "seed=-1"}, "--set seed=-1: key 'seed': expected a whole number"},
        Row{"--set seed=12abc", kBase, {"--set", "seed=12abc"}, "--set seed=12abc: key 'seed': expected a whole number"},
        Row{"--set seed too large", kBase, {"--set", "seed=99999999999999999999"}, "key 'seed': expected a whole number"},
        Row{"--set duration_ms=-1x", kBase, {"--set", "duration_ms=-1x"}, "--set duration_ms=-1x: key 'duration_ms': expected a time"},
        Row{"--set duration_ms=nan", kBase, {"--set", "duration_ms=nan"}, "key 'duration_ms': expected a time"},
        Row{"--set duration_ms=-1", kBase, {"--set", "duration_ms=-1"}, "key 'duration_ms': expected a time"},
        Row{"--set sample_us=5x", kBase, {"--set", "sample_us=5x"}, "--set sample_us=5x: key 'sample_us': expected a whole number"},
        Row{"--set at_ms negative", kUpdate + "at_ms: 0.005\n", {"--set", "updates.0.at_ms=-1"},
            "--set updates.0.at_ms=-1: key 'updates.0.at_ms': expected a time"},
        Row{"--set machine.cpus=4x", kBase, {"--set", "machine.cpus=4x"}, "key 'machine.cpus': expected an integer, got '4x'"},
        Row{"--set machine.cpus empty", kBase, {"--set", "machine.cpus="}, "key 'machine.cpus': expected an integer, got ''"}),
    row_name);

// Defect 8: nothing silently accepted.
const std::string kWorkload = kOwnKernel + "workloads:\n  - kind: page_alloc\n    ";  // its next key on line 5
INSTANTIATE_TEST_SUITE_P(
    Accepted, BadScenario,
    testing::Values(
        Row{"duplicate key", kBase + "seed: 1\nseed: 2\n", {}, "s.yaml:5:1: key 'seed': given twice (first on line 4)"},
        Row{"duplicate nested key", kBase + "workloads:\n  - {kind: null, kind: pages}\n", {},
            "key 'workloads[0].kind': given twice"},
        Row{"cpus banana", kWorkload + "cpus: banana\n", {}, "s.yaml:5:11: key 'workloads[0].cpus': expected all, N, A-B or A,B,C"},
        Row{"cpus 0", kWorkload + "cpus: 0\n", {}, "key 'workloads[0].cpus': no CPUs"},
        Row{"cpus 5-2", kWorkload + "cpus: 5-2\n", {}, "key 'workloads[0].cpus': 5-2 ends before it starts"},
        Row{"cpus beyond the machine", kWorkload + "cpus: 4-7\n", {}, "key 'workloads[0].cpus': none of CPUs 4-7 is on a 4-CPU machine"},
        Row{"cpus list with a gap", kWorkload + "cpus: 0,,1\n", {}, "key 'workloads[0].cpus': expected all, N, A-B or A,B,C"},
        Row{"cpus beyond the machine after --set", kWorkload + "cpus: 2-3\n", {"--set", "machine.cpus=2"},
            "s.yaml:5:11: key 'workloads[0].cpus': none of CPUs 2-3 is on a 2-CPU machine"},
        Row{"unknown workload kind", kOwnKernel + "workloads:\n  - kind: page_aloc\n", {},
            "s.yaml:4:11: key 'workloads[0].kind': unknown workload 'page_aloc' (did you mean page_alloc?"},
        Row{"unknown workload parameter", kWorkload + "params: {hodl: 4}\n", {},
            "key 'workloads[0].params.hodl': page_alloc has no parameter 'hodl' (did you mean hold?"},
        Row{"non-numeric workload parameter", kWorkload + "params: {hold: four}\n", {},
            "key 'workloads[0].params.hold': expected a whole number"},
        Row{"negative workload parameter", kWorkload + "params: {think: -3}\n", {},
            "key 'workloads[0].params.think': expected a whole number"},
        Row{"bad workload mode", kWorkload + "params: {mode: requests}\n", {},
            "key 'workloads[0].params.mode': expected inline or request, got 'requests' (did you mean request?)"},
        Row{"bad counter watch_mode", kOwnKernel + "workloads:\n  - {kind: counter, params: {watch: 1, watch_mode: polls}}\n", {},
            "key 'workloads[0].params.watch_mode': expected poll or inside, got 'polls' (did you mean poll?)"},
        Row{"NUL in a parameter", kWorkload + "params: {hold: \"4\\0w1.kind=pages\"}\n", {},
            "key 'workloads[0].params.hold': a NUL"},
        Row{"newline in a guest argument", kBase + "guest_args: {trace: \"1\\nstay=1\"}\n", {},
            "key 'guest_args.trace': a newline"},
        Row{"NUL in a guest argument", kBase + "guest_args: {trace: \"1\\0stay=1\"}\n", {}, "key 'guest_args.trace': a NUL"},
        Row{"= in a guest argument's key", kBase + "guest_args: {\"a=b\": 1}\n", {}, "key 'guest_args.a=b': "},
        Row{"scalar cxxflags", kUpdate + "at_ms: 0.005\n    cxxflags: -O3\n", {}, "key 'updates[0].cxxflags': expected a list"},
        Row{"map cxxflags", kUpdate + "at_ms: 0.005\n    cxxflags: {O: 3}\n", {}, "key 'updates[0].cxxflags': expected a list"},
        Row{"--set newline injects YAML", kBase, {"--set", "machine.cpus=4\ncaches: {enabled: false}"},
            "--set machine.cpus=4\\ncaches: {enabled: false}: key 'machine.cpus': a newline"},
        Row{"--set newline in a scenario key", kBase, {"--set", "kernel=@STANDIN@\nseed=3"}, "key 'kernel': a newline"},
        Row{"--set unknown workload parameter", kWorkload + "cpus: all\n", {"--set", "workloads.0.hodl=3"},
            "--set workloads.0.hodl=3: key 'workloads.0.hodl': page_alloc has no parameter 'hodl' (did you mean hold?"},
        Row{"--set non-numeric workload parameter", kWorkload + "cpus: all\n", {"--set", "workloads.0.hold=x"},
            "--set workloads.0.hold=x: key 'workloads.0.hold': expected a whole number"},
        Row{"--set bad cpus", kWorkload + "cpus: all\n", {"--set", "workloads.0.cpus=5-2"},
            "--set workloads.0.cpus=5-2: key 'workloads.0.cpus': 5-2 ends before it starts"}),
    row_name);

// Defect 9: validate refuses what run would refuse before simulating.
INSTANTIATE_TEST_SUITE_P(
    ValidateAsRun, BadScenario,
    testing::Values(
        Row{"missing kernel", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: nowhere.elf\n", {},
            "s.yaml:3:9: key 'kernel': no such file: @DIR@/nowhere.elf"},
        Row{"kernel not an ELF", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: s.yaml\n", {},
            "key 'kernel': @DIR@/s.yaml: not an ELF file"},
        Row{"kernel for another machine", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: /bin/true\n", {},
            "key 'kernel': /bin/true: wrong machine"},
        Row{"kernel is a directory", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: /tmp\n", {},
            "key 'kernel': /tmp: is a directory"},
        Row{"boot arguments too large", kBase + "guest_args: {big: " + std::string(70000, 'x') + "}\n", {},
            "s.yaml: boot arguments are 70025 bytes; at most 65280 fit"},
        Row{"image outside RAM", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: high-30000000.elf\n", {},
            "segment at 0x30000000 (0x1000 bytes) is outside RAM (512 MiB: up to 0x20000000)"},
        Row{"image at the top of the largest RAM", "machine: {config: @CONFIG@, set: {machine.memory_mib: 3840}}\nduration_ms: 1\n"
            "kernel: high-f0000000.elf\n", {}, "segment at 0xf0000000 (0x1000 bytes) is outside RAM (3840 MiB: up to 0xf0000000)"},
        Row{"image over the boot stacks", "machine: {config: @CONFIG@}\nduration_ms: 1\nkernel: high-1ffc0000.elf\n", {},
            "segment at 0x1ffc0000 (0x1000 bytes) overlaps the boot stacks and boot-information block at 0x1ffb0000"}),
    row_name);

// Defect 10: every message names the file and the key.
INSTANTIATE_TEST_SUITE_P(
    Messages, BadScenario,
    testing::Values(
        Row{"outputs item a map", kBase + "outputs: [{report.json: 1}]\n", {}, "s.yaml:4:11: key 'outputs[0]': expected a single value"},
        Row{"complex key", kBase + "? [a, b]\n: 1\n", {}, "s.yaml:4:3: a key must be a single value"},
        Row{"nested complex key", kBase + "metrics: {m: {count: WORKLOAD_CALL, where: {[a]: 1}}}\n", {},
            "s.yaml:4:45: key 'metrics.m.where': a key must be a single value"},
        Row{"timed by start without a latency", kBase + "metrics: {m: {count: BOOT_DONE, timed: start}}\n", {},
            "key 'metrics.m.timed': event BOOT_DONE has no latency_cycles argument to find its start from"},
        Row{"timed neither start nor end", kBase + "metrics: {m: {count: WORKLOAD_CALL, timed: begin}}\n", {},
            "key 'metrics.m.timed': expected start or end, got 'begin'"},
        Row{"cxxflags item a map", kUpdate + "at_ms: 0.005\n    cxxflags: [{O: 3}]\n", {},
            "key 'updates[0].cxxflags[0]': expected a single value"},
        Row{"machine config a directory", "machine: {config: /tmp}\nduration_ms: 1\n", {}, "/tmp: is a directory, not a YAML file"},
        Row{"--set bad workload index", kWorkload + "cpus: all\n", {"--set", "workloads.x.hold=3"},
            "--set workloads.x.hold=3: key 'workloads.x.hold': 'x' is not a workload's index (the scenario has 1: 0)"},
        Row{"--set bad update index", kUpdate + "at_ms: 0.005\n", {"--set", "updates.1.at_ms=3"},
            "--set updates.1.at_ms=3: key 'updates.1.at_ms': '1' is not an update's index (the scenario has 1: 0)"},
        Row{"--set empty key part", kBase, {"--set", "machine..cpus=4"}, "--set machine..cpus=4: key 'machine..cpus': an empty part"},
        Row{"--set empty key", kBase, {"--set", "=4"}, "--set =4: expected KEY=VALUE"}),
    row_name);

// Another kernel's workloads are its own: only their CPUs are checked.
// validate takes --set as run does (the pipeline's scenario names the
// stand-in guest's workload, and runs with --set kernel=).
TEST(BadScenario, AnotherKernelsWorkloadsAreItsOwn) {
  Workspace ws;
  std::ofstream(ws.dir / "s.yaml") << expand(kOwnKernel + "workloads:\n  - {kind: locked_counter, params: {think: 200, x: y}}\n", ws.dir);
  Outcome own = dusim({"validate", (ws.dir / "s.yaml").string()}, ws.dir);
  EXPECT_EQ(own.rc, 125) << own.output;
  EXPECT_NE(own.output.find("unknown workload 'locked_counter'"), std::string::npos) << own.output;
  Outcome other = dusim({"validate", (ws.dir / "s.yaml").string(), "--set", expand("kernel=@STANDIN@", ws.dir)}, ws.dir);
  EXPECT_EQ(other.rc, 0) << other.output;
  Outcome cpus = dusim({"validate", (ws.dir / "s.yaml").string(), "--set", expand("kernel=@STANDIN@", ws.dir), "--set",
                        "workloads.0.cpus=4,6-9"},
                       ws.dir);
  EXPECT_EQ(cpus.rc, 125) << cpus.output;
  EXPECT_NE(cpus.output.find("--set workloads.0.cpus=4,6-9: key 'workloads.0.cpus': none of CPUs 4,6-9 is on a 4-CPU machine"), std::string::npos)
      << cpus.output;
}

// A scenario file that is a directory names it.
TEST(BadScenario, AScenarioThatIsADirectoryIsNamed) {
  Workspace ws;
  for (const char* cmd : {"validate", "run"}) {
    Outcome o = dusim({cmd, ws.dir.string()}, ws.dir);
    EXPECT_EQ(o.rc, 125) << o.output;
    EXPECT_NE(o.output.find(ws.dir.string() + ": is a directory, not a YAML file"), std::string::npos) << o.output;
  }
}

// The direct runners: a limit of -1 is not "unlimited"; a --set or --arg is one
// value; an image outside RAM or a directory is named as such.
TEST(BadOptions, DirectRunnersRefuseBadLimitsArgumentsAndImages) {
  Workspace ws;
  const std::string high = (ws.dir / "high.elf").string();
  write_image_at(high, 0x30000000);
  const std::string elf = std::string(DUSIM_GUEST_DIR) + "/tests/pipeline/pipeline_guest.elf";
  struct Case {
    std::vector<std::string> args;
    std::string fragment;
  };
  for (const Case& c : {Case{{"run-elf", "--max-insns", "-1", elf}, "--max-insns: "},
                        Case{{"run-elf", "--max-insns", "12x", elf}, "--max-insns: "},
                        Case{{"run-bare", elf, "--max-ms", "-1"}, "--max-ms: "},
                        Case{{"run-bare", elf, "--max-ms", "0"}, "--max-ms: "},
                        Case{{"run-bare", elf, "--max-ms", "99999999999999"}, "--max-ms: "},
                        Case{{"run-bare", elf, "--arg", "a=1\nb=2"}, "--arg a=1\\nb=2: a newline cannot be part of a boot argument"},
                        Case{{"run-bare", elf, "--arg", "=1"}, "--arg =1: a boot argument needs a name"},
                        Case{{"run-bare", high}, "high.elf: segment at 0x30000000 (0x1000 bytes) is outside RAM"},
                        Case{{"run-bare", ws.dir.string()}, ws.dir.string() + ": is a directory"},
                        Case{{"run-elf", ws.dir.string()}, ws.dir.string() + ": is a directory"},
                        Case{{"run-bare", elf, "--set", "machine.cpus=2\ncaches: {enabled: false}"}, "a newline"}}) {
    Outcome o = dusim(c.args, ws.dir);
    std::string cmd;
    for (const std::string& a : c.args) cmd += " " + a;
    EXPECT_EQ(o.rc, 125) << "dusim" << cmd << ":\n" << o.output;
    EXPECT_NE(o.output.find(c.fragment), std::string::npos) << "dusim" << cmd << ": expected '" << c.fragment << "' in:\n" << o.output;
  }
}

// Defect 11: report.json's machine section records the command line's
// --set as well as the scenario's own, so two different runs differ there.
TEST(Report, MachineOverridesIncludeTheCommandLine) {
  Workspace ws;
  std::ofstream(ws.dir / "s.yaml") << expand("machine: {config: @CONFIG@, set: {machine.quantum_cycles: 500}}\n"
                                             "kernel: @STANDIN@\nduration_ms: 0.01\n", ws.dir);
  Outcome o = dusim({"-q", "run", (ws.dir / "s.yaml").string(), "--out", (ws.dir / "out").string(), "--set",
                     "caches.protocol=MOESI", "--cpus", "2", "--set", "seed=5"},
                    ws.dir);
  ASSERT_EQ(o.rc, 0) << o.output;
  nlohmann::json rep = nlohmann::json::parse(read(ws.dir / "out" / "report.json"));
  EXPECT_EQ(rep["machine"]["overrides"],
            nlohmann::json({"machine.quantum_cycles=500", "caches.protocol=MOESI", "machine.cpus=2"}))
      << rep["machine"].dump(2);
  EXPECT_EQ(rep["machine"]["cpus"], 2);
  EXPECT_EQ(rep["machine"]["protocol"], "MOESI") << rep["machine"].dump(2);
}

// The host's table of the kernel's workloads (scenario/workloads.cc) names
// the kinds the kernel registers (WORKLOAD in guest_os/) and the parameters
// they read (workload::param*), no more, no fewer: a workload or parameter
// added to the kernel must be added there.
TEST(WorkloadTable, MatchesTheKernelsSources) {
  std::set<std::string> kinds, params;
  size_t registrations = 0;
  for (const auto& f : fs::recursive_directory_iterator(fs::path(DUSIM_ROOT) / "guest_os")) {
    if (f.path().extension() != ".cc") continue;
    const std::string text = read(f.path());
    std::smatch m;
    const std::regex workload(R"re(WORKLOAD\(\w+\) = \{"(\w+)")re"), param(R"re(param(?:_u64)?\(p, "(\w+)")re");
    for (auto it = text.cbegin(); std::regex_search(it, text.cend(), m, workload); it = m[0].second) kinds.insert(m[1]), ++registrations;
    for (auto it = text.cbegin(); std::regex_search(it, text.cend(), m, param); it = m[0].second) params.insert(m[1]);
  }
  EXPECT_GE(registrations, 10u);
  std::set<std::string> table_kinds, table_params{"cpus"};
  for (const auto& k : dusim::scenario::kernel_workloads()) {
    table_kinds.insert(k.name);
    table_params.insert(k.params.begin(), k.params.end());
  }
  for (const char* c : dusim::scenario::common_workload_params()) table_params.insert(c);
  EXPECT_EQ(kinds, table_kinds);
  EXPECT_EQ(params, table_params);
  EXPECT_GE(kinds.size(), 10u);
  for (const char* word : {"mode", "watch_mode"}) EXPECT_NE(dusim::scenario::workload_param_choices(word), nullptr) << word;
}

// cpus: all, N, A-B or A,B,C, on the machine's CPUs.
TEST(WorkloadTable, CpuSelections) {
  using dusim::scenario::cpus_problem;
  // CPUs past the machine's are left out, as the guest does (a sweep over machine.cpus keeps its workloads).
  for (const char* good : {"all", "1", "4", "0-3", "0,2", "1,2-3", "3", "5", "3-4", "0-63", "9,3"}) EXPECT_EQ(cpus_problem(good, 4), "") << good;
  for (const char* bad : {"", "banana", "-1", "1-", "-", ",", "0,,1", "1,", " 1", "1.5", "0x2", "all,1", "9999"})
    EXPECT_NE(cpus_problem(bad, 4).find("expected all, N, A-B or A,B,C"), std::string::npos) << bad;
  EXPECT_NE(cpus_problem("0", 4).find("no CPUs"), std::string::npos);
  EXPECT_NE(cpus_problem("4-7", 4).find("none of CPUs 4-7 is on a 4-CPU machine"), std::string::npos);
  EXPECT_NE(cpus_problem("4,9", 4).find("none of CPUs 4,9"), std::string::npos);
  EXPECT_NE(cpus_problem("3-2", 4).find("3-2 ends before it starts"), std::string::npos);
}

}  // namespace

// dusim_scenario links the SystemC machine, whose library expects the
// program's sc_main (a sanitized build links it eagerly); these tests run
// the dusim binary and elaborate nothing themselves (gtest_main is main).
extern "C" int sc_main(int, char**) { return 0; }
