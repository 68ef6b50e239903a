// A scenario's workloads, checked once its overrides are applied: the CPUs
// each runs on, and, for dusim's own kernel, its kind and parameters
// (names, and numbers where the kernel reads numbers). Another kernel
// (`kernel:` or --set kernel=) has workloads of its own: only the CPUs and
// that every value is one boot argument are checked for it.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace dusim::scenario {

// A workload of dusim's kernel and the parameters of its own (besides the
// common ones every workload takes).
struct WorkloadKind {
  const char* name;
  std::vector<const char*> params;
};
const std::vector<WorkloadKind>& kernel_workloads();
// The parameters every workload of dusim's kernel takes (kernel/workload.h).
const std::vector<const char*>& common_workload_params();
// The words a parameter takes (mode: inline or request), or nullptr for a
// whole number.
const std::vector<const char*>* workload_param_choices(const std::string& key);

// Why `cpus` (all, N, A-B or A,B,C) does not name CPUs of an `ncpus`-CPU
// machine, or "". CPUs past the machine's are left out, as the guest does;
// a list with none on the machine is refused (the guest would use all).
std::string cpus_problem(const std::string& cpus, unsigned ncpus);

// Throws YamlError at the first workload value that is refused.
void check_workloads(const Scenario& s);

}  // namespace dusim::scenario
