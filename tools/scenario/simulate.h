// One scenario on the simulated machine: the guest kernel booted with the
// scenario's boot arguments, each update's module delivered to the mailbox
// at its time, coherence traffic sampled, a progress line on a terminal.
#pragma once

#include <vector>

#include "platform/machine.h"
#include "report/run_data.h"
#include "scenario/module_build.h"
#include "scenario/scenario.h"

namespace dusim::scenario {

// What `run` checks before it simulates, and `validate` with it:
//
// The guest image the scenario names, or the built kernel; throws
// tools::InputError naming the scenario's `kernel` key (or the --set) when
// it is missing, not a ppc64 ELF image, or not inside the machine's RAM.
ElfImage load_kernel(const Scenario& s);
// The boot arguments, packed for the boot-information block; throws
// tools::InputError when they do not fit in it.
std::vector<uint8_t> packed_boot_args(const Scenario& s);

class Simulation {
 public:
  // Builds the machine (throws BadElf or std::runtime_error, as Machine does)
  // and schedules the modules, one per update.
  // `initrd`: the initial image with the scenario's programs (programs.h).
  Simulation(const Scenario& s, const ElfImage& kernel, const std::vector<ModuleBuild>& modules,
             const std::vector<uint8_t>& initrd = {});
  // Runs for the scenario's duration (or until power-off or a fault), with
  // a progress line on a terminal if `show_progress`. The result points
  // into this simulation's event log and samples: keep the Simulation while
  // it is used.
  report::RunData run(bool show_progress = true);

 private:
  uint64_t instructions();
  std::vector<report::ObjectTraffic> object_traffic();

  const Scenario& s_;
  MachineConfig config_;  // s_.machine with the seed in caches.seed; the machine keeps a reference
  Machine machine_;
};

}  // namespace dusim::scenario
