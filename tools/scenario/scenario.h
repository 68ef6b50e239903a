// A scenario: which machine, which guest workloads, which updates at which
// simulated times, which metrics to derive from the event log and which
// checks must hold. Format: tools/README.md, "Scenarios"; an annotated
// example is tests/pipeline/pipeline.yaml, the seed's are in scenarios/.
//
// Everything here is checked and resolved when the file is read (scenario/
// load.cc): names become enums, event and argument names become the
// catalog's ids and positions, paths become absolute. Whoever uses a
// Scenario does not parse or validate again.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/machine_config.h"

namespace dusim::scenario {

// The words a scenario file uses for an enum's values: one table per enum,
// for reading them, writing them and listing them in error messages.
template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

enum class MetricOp { Count, Sum, Mean, Max, Min, P50, P99 };
inline constexpr EnumName<MetricOp> kMetricOps[] = {{MetricOp::Count, "count"}, {MetricOp::Sum, "sum"}, {MetricOp::Mean, "mean"},
                                                    {MetricOp::Max, "max"},     {MetricOp::Min, "min"}, {MetricOp::P50, "p50"},
                                                    {MetricOp::P99, "p99"}};

// Relative to all the updates: before the first is requested, from then until
// the last completes, after that; or the whole run. Relative to one update
// (before:NAME, after:NAME), between two (between:A:B: from A's end to B's
// delivery), or an absolute range (from_ms/to_ms).
enum class Window { Before, During, After, All, BeforeUpdate, AfterUpdate, Between, Range };
inline constexpr EnumName<Window> kWindows[] = {
    {Window::Before, "before"}, {Window::During, "during"}, {Window::After, "after"}, {Window::All, "all"}};

struct MetricWindow {
  Window kind = Window::All;
  int update = -1, until = -1;  // BeforeUpdate/AfterUpdate: `update`; Between: `update` then `until` (scenario indices)
  uint64_t from_ns = 0, to_ns = ~uint64_t(0);  // Range: [from_ns, to_ns)
  MetricWindow(Window k = Window::All) : kind(k) {}
};

// The outcome an update is expected to have (a check of its own).
enum class Expect { Applied, Aborted, Rejected };
inline constexpr EnumName<Expect> kExpects[] = {{Expect::Applied, "applied"}, {Expect::Aborted, "aborted"}, {Expect::Rejected, "rejected"}};

// What a check is stated over when the scenario runs with several seeds
// (`dusim run --seeds`): it must hold in every seed's report, or in the
// report of the means over the seeds. A single run has one seed: the same.
enum class Over { EverySeed, Mean };
inline constexpr EnumName<Over> kOvers[] = {{Over::EverySeed, "every_seed"}, {Over::Mean, "mean"}};

enum class Output { ReportJson, TraceJson, ReportHtml };
inline constexpr EnumName<Output> kOutputs[] = {
    {Output::ReportJson, "report.json"}, {Output::TraceJson, "trace.json"}, {Output::ReportHtml, "report.html"}};

template <class E, size_t N>
std::optional<E> from_name(const EnumName<E> (&table)[N], std::string_view name) {
  for (const EnumName<E>& n : table)
    if (n.name == name) return n.value;
  return std::nullopt;
}

template <class E, size_t N>
std::string to_name(const EnumName<E> (&table)[N], E value) {
  for (const EnumName<E>& n : table)
    if (n.value == value) return std::string(n.name);
  return "?";
}

// "a, b, c" (or "a, b or c" with last = " or ").
template <class E, size_t N>
std::string names_of(const EnumName<E> (&table)[N], std::string_view last = ", ") {
  std::string s;
  for (size_t k = 0; k < N; ++k) s += std::string(k == 0 ? "" : k + 1 == N ? last : ", ") + std::string(table[k].name);
  return s;
}

struct Workload {
  std::string kind;                          // a guest workload kind
  std::string cpus = "all";                  // "all", "N", "A-B" or "A,B,C"
  std::map<std::string, std::string> params; // passed to the guest as w<i>.<key>=<value>
  // Where each was given, "file:line:column: key 'workloads[0].cpus': " or
  // "--set TEXT: key 'workloads.0.cpus': ", by "kind", "cpus" or the
  // parameter's name: they are checked once the overrides are applied
  // (scenario/workloads.h).
  std::map<std::string, std::string> where;
};

// What an update does: load its module, or revert or commit an earlier update
// (dusim generates the small module that asks the guest to: upd::revert,
// upd::commit in guest_os/update/dynamic_update.h).
enum class Action { Module, Revert, Commit };
inline constexpr EnumName<Action> kActions[] = {{Action::Module, "module"}, {Action::Revert, "revert"}, {Action::Commit, "commit"}};

struct Update {
  std::string name;
  uint64_t at_ns = 0;        // when the module reaches the mailbox
  Action action = Action::Module;
  int target = -1;           // Revert, Commit: the update it reverts or commits (index into updates)
  std::string module;        // C++ source (absolute path after loading; empty for Revert and Commit)
  std::string module_as_written;  // as the scenario names it (relative to the scenario file)
  unsigned cpu = 0;          // CPU that gets the mailbox interrupt
  Expect expect = Expect::Applied;
  std::vector<std::string> cxxflags;  // extra compiler flags for the module
};

// A program the guest kernel runs as a process (kernel/user.cc): a static
// ppc64 Linux executable, built by dusim from C or C++ source (like update
// modules) or given as a file, delivered in the initial image. Its name is
// its file name there (/NAME) and how checks name it (programs[NAME]).
struct Program {
  std::string name;
  std::string source;      // C (.c) or C++ source, absolute after loading; or
  std::string file;        // a prebuilt executable, absolute after loading
  std::string as_written;  // source or file as the scenario names it
  std::vector<std::string> args;
  std::vector<std::string> cflags;  // extra compiler flags (source only)
  unsigned cpu = 0;        // its first thread's CPU; clone puts the others on the next CPUs
  uint64_t at_ns = 0;      // when it starts (after boot)
  int expect_exit = 0;     // the exit status the report's check expects
  uint64_t sample = 1;     // every sample-th system call is a PROGRAM_SYSCALL event
};

// A number derived from the event log over a time window.
struct Metric {
  std::string name;
  MetricOp op = MetricOp::Count;
  std::string event;     // event name (guest_os/include/dusim/*.def)
  uint32_t event_id = 0; // its id in the event catalog
  std::string arg;       // argument name (not for count)
  int arg_index = -1;    // its position in the event's arguments (-1 for count)
  MetricWindow window;
  struct Match {
    int arg_index;
    uint64_t value;
  };
  std::map<std::string, Match> where;  // argument name -> required value
  bool ns = false;       // the argument is in cycles: report nanoseconds
  // timed: start — an event falls in the window by when what it times
  // began: its time minus this argument (latency_cycles), not its own time.
  int start_arg = -1;
};

struct Check {
  std::string name;
  std::string expect;  // "PATH OP VALUE", e.g. "metrics.corruptions_before > 0"
  std::string where;   // "file:line:column: key 'checks[i].expect': " of the expression, for errors
  Over over = Over::EverySeed;  // with --seeds: over every seed's report, or over the means
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  MachineConfig machine;
  std::vector<std::string> machine_overrides;
  std::string kernel;  // guest image; empty: the built kernel
  std::string kernel_where;  // where `kernel` was given, as Workload::where
  uint64_t seed = 1;
  uint64_t duration_ns = 0;
  uint64_t sample_ns = 10'000;
  std::vector<Workload> workloads;
  std::vector<Update> updates;
  std::vector<Program> programs;
  std::vector<Metric> metrics;
  std::vector<Check> checks;
  std::vector<Output> outputs{Output::ReportJson, Output::TraceJson, Output::ReportHtml};
  std::vector<std::string> guest_args;  // extra KEY=VALUE boot arguments
};

// Reads and validates a scenario; throws YamlError (file:line:column: key).
// `overrides` are --set KEY=VALUE (scenario/overrides.h).
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The guest's boot arguments for a scenario (seed, workloads, extras).
std::vector<std::string> boot_args(const Scenario& s);

// The sequence number the guest sees for updates[index]: the mailbox numbers
// deliveries 1, 2, ... in time order (ties in the order written).
uint64_t delivery_seq(const Scenario& s, size_t index);


// The longest time a scenario may give (a duration, an update's delivery, a
// window's end): 1000 s of simulated time.
constexpr uint64_t kMaxTimeNs = 1'000'000'000'000;

// A time of `value` units of `unit_ns` nanoseconds (1e6 for _ms, 1e3 for
// _us), rounded to the nanosecond; nullopt when it is negative, NaN,
// infinite or longer than kMaxTimeNs.
std::optional<uint64_t> time_ns(double value, double unit_ns);
// "expected a time from 0 to 1000000 ms" for the key's unit (its suffix _ms,
// _us or _ns).
std::string expected_time(const std::string& key);

// The guest image a run boots: the scenario's kernel, or the built one.
std::string kernel_image(const Scenario& s);

// A metric's unit: events for a count, ns, cycles, bytes, or the argument's name.
std::string metric_unit(const Metric& m);


}  // namespace dusim::scenario
