// `dusim sweep ... --slurm`: the plan submitted as one Slurm job array
// (`sbatch --array`), each task running its share of the variants with the
// same dusim binary into the sweep's folder (which the nodes must share),
// and a job that runs `dusim sweep --collect` once every task has ended
// (`--dependency=afterany`). Nothing of Slurm is reimplemented: dusim
// writes the batch scripts into OUT/slurm/ and calls sbatch.
#pragma once

#include <cstddef>
#include <string>

#include "sweep/plan.h"

namespace dusim::sweep {

// The array's size: one task per variant, up to Slurm's default
// MaxArraySize (1001); task K runs variants K, K + tasks, K + 2 tasks, ...
size_t task_count(size_t variants);

// sbatch from PATH; throws tools::InputError when it is not there.
std::string find_sbatch();

// Submits the array and the collecting job; prints their job ids. Throws
// tools::InputError when sbatch refuses (its message included).
int submit(const Plan& p, const SlurmOptions& s, const std::string& sbatch);

}  // namespace dusim::sweep
