#include "scenario/workloads.h"

#include <algorithm>
#include <charconv>

#include "common/boot_args.h"
#include "common/nearest.h"
#include "config/yaml_reader.h"

namespace dusim::scenario {

namespace {

// A CPU number: decimal digits only.
bool cpu_number(const std::string& text, unsigned& out) {
  if (text.empty() || text.size() > 3) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// The kernel's parse_u64 (kernel/bootargs.cc): decimal, or hexadecimal after 0x.
bool whole_number(const std::string& text) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const char* begin = text.data() + (hex ? 2 : 0);
  uint64_t v;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v, hex ? 16 : 10);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::string names(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The problem with parameter `key` = `value` of a workload of dusim's kernel, or "".
std::string kernel_param_problem(const WorkloadKind& kind, const std::string& key, const std::string& value) {
  std::vector<std::string> known(common_workload_params().begin(), common_workload_params().end());
  known.insert(known.end(), kind.params.begin(), kind.params.end());
  if (std::find(known.begin(), known.end(), key) == known.end())
    return std::string(kind.name) + " has no parameter '" + key + "'" + tools::did_you_mean(key, known) + " (its parameters: " +
           names(known) + ", and cpus beside params)";
  if (const std::vector<const char*>* choices = workload_param_choices(key)) {
    std::vector<std::string> c(choices->begin(), choices->end());
    if (std::find(c.begin(), c.end(), value) != c.end()) return "";
    std::string list;
    for (size_t k = 0; k < c.size(); ++k) list += (k == 0 ? "" : k + 1 == c.size() ? " or " : ", ") + c[k];
    return "expected " + list + ", got '" + value + "'" + tools::did_you_mean(value, c);
  }
  return whole_number(value) ? "" : "expected a whole number (decimal, or hexadecimal after 0x), got '" + value + "'";
}

}  // namespace

const std::vector<WorkloadKind>& kernel_workloads() {
  // WORKLOAD(...) and workload::param*() in guest_os/ (the test
  // tools.bad-input.WorkloadTable.* compares this table with them).
  static const std::vector<WorkloadKind> kinds{
      {"null", {}},
      {"pages", {}},
      {"heap", {}},
      {"xcall", {}},
      {"yield", {}},
      {"page_alloc", {"hold", "alloc_sample"}},
      {"fcm_map", {"instances", "pages", "share_every", "open_every", "open_max", "opened_unmap"}},
      {"region", {"pages", "buckets"}},
      {"process", {"processes", "threads"}},
      {"counter", {"adds", "audit_every", "watch", "watch_adds", "watch_mode", "watch_poll_us"}},
      {"tally", {"audit_every"}},
      {"tally_new", {"audit_every"}},
  };
  return kinds;
}

const std::vector<const char*>* workload_param_choices(const std::string& key) {
  static const std::vector<const char*> mode{"inline", "request"}, watch_mode{"poll", "inside"};
  return key == "mode" ? &mode : key == "watch_mode" ? &watch_mode : nullptr;
}

const std::vector<const char*>& common_workload_params() {
  static const std::vector<const char*> common{"calls", "duration_us", "think", "start_jitter", "rate", "sample", "mode"};
  return common;
}

std::string cpus_problem(const std::string& cpus, unsigned ncpus) {
  const std::string expected = "expected all, N, A-B or A,B,C (of CPUs 0-" + std::to_string(ncpus - 1) + "), got '" + cpus + "'";
  // CPUs past the machine's are left out (a sweep over machine.cpus keeps
  // its workloads); a selection with none of its CPUs would run on all.
  const std::string none = "none of CPUs " + cpus + " is on a " + std::to_string(ncpus) + "-CPU machine (its CPUs are 0-" +
                           std::to_string(ncpus - 1) + "; the guest would run the workload on all of them)";
  if (cpus == "all") return "";
  unsigned n;
  if (cpus.find_first_of(",-") == std::string::npos) {  // N: the first N CPUs
    if (!cpu_number(cpus, n)) return expected;
    return n == 0 ? "no CPUs: give all, N > 0, A-B or A,B,C" : "";
  }
  bool any = false;
  size_t start = 0;
  while (true) {
    size_t comma = cpus.find(',', start);
    const std::string item = cpus.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t dash = item.find('-');
    unsigned a, b;
    if (!cpu_number(item.substr(0, dash), a)) return expected;
    b = a;
    if (dash != std::string::npos && !cpu_number(item.substr(dash + 1), b)) return expected;
    if (b < a) return item + " ends before it starts";
    any = any || a < ncpus;
    if (comma == std::string::npos) return any ? "" : none;
    start = comma + 1;
  }
}

void check_workloads(const Scenario& s) {
  const bool own_kernel = s.kernel.empty();
  for (const Workload& w : s.workloads) {
    auto at = [&](const std::string& what) {
      auto it = w.where.find(what);
      return it != w.where.end() ? it->second : s.file + ": ";
    };
    const WorkloadKind* kind = nullptr;
    for (const WorkloadKind& k : kernel_workloads())
      if (w.kind == k.name) kind = &k;
    if (own_kernel && !kind) {
      std::vector<std::string> known;
      for (const WorkloadKind& k : kernel_workloads()) known.push_back(k.name);
      throw YamlError(at("kind") + "unknown workload '" + escaped(w.kind) + "'" + tools::did_you_mean(w.kind, known) +
                      " (dusim's kernel has " + names(known) + ")");
    }
    if (std::string p = tools::boot_arg_problem("kind", w.kind); !p.empty()) throw YamlError(at("kind") + p);
    if (std::string p = tools::boot_arg_problem("cpus", w.cpus); !p.empty()) throw YamlError(at("cpus") + p);
    if (std::string p = cpus_problem(w.cpus, s.machine.cpus); !p.empty()) throw YamlError(at("cpus") + p);
    for (const auto& [key, value] : w.params) {
      std::string p = tools::boot_arg_problem(key, value);
      if (p.empty() && (key == "kind" || key == "cpus")) p = key + " is given beside params, not in it";
      if (p.empty() && own_kernel) p = kernel_param_problem(*kind, key, value);
      if (!p.empty()) throw YamlError(at(key) + p);
    }
  }
}

}  // namespace dusim::scenario
