#include "sweep/slurm.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/process.h"

namespace dusim::sweep {

namespace fs = std::filesystem;

namespace {

// A word for sh: single-quoted, a quote in it as '\''.
std::string sh_word(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The batch script: the comment says how it was submitted; the one command
// runs dusim.
void write_script(const fs::path& path, const std::vector<std::string>& sbatch_argv, const std::vector<std::string>& command) {
  std::string text = "#!/bin/sh\n# Written by dusim sweep; submitted as:\n#  ";
  for (const std::string& a : sbatch_argv) text += " " + sh_word(a);
  text += "\nexec";
  for (const std::string& a : command) text += " " + (a.front() == '"' ? a : sh_word(a));
  tools::write_output(path, text + "\n");
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

// The options both jobs take from the command line.
std::vector<std::string> common_options(const SlurmOptions& s) {
  std::vector<std::string> a;
  if (!s.partition.empty()) a.push_back("--partition=" + s.partition);
  if (!s.time.empty()) a.push_back("--time=" + s.time);
  return a;
}

// Runs sbatch --parsable; its job id ("ID" or "ID;CLUSTER").
std::string sbatch(const std::string& program, std::vector<std::string> argv, const fs::path& script, const fs::path& log) {
  argv.insert(argv.begin(), {program, "--parsable"});
  argv.push_back(script.string());
  int rc = tools::run_and_wait(argv, log.string());
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string out = ss.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  if (rc != 0 || out.empty() || out.find_first_not_of("0123456789;_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    throw tools::InputError("--slurm: sbatch exited " + std::to_string(rc) + ": " + out);
  return out.substr(0, out.find(';'));
}

}  // namespace

size_t task_count(size_t variants) { return std::min<size_t>(variants, 1000); }

std::string find_sbatch() {
  std::string path = tools::find_program("sbatch");
  if (path.empty())
    throw tools::InputError("--slurm: sbatch is not on PATH (install Slurm's client commands, e.g. Debian's slurm-client, "
                            "or run the sweep here without --slurm); nothing was submitted");
  return path;
}

int submit(const Plan& p, const SlurmOptions& s, const std::string& program) {
  const fs::path dir = fs::path(p.out) / "slurm";
  fs::create_directories(dir);
  const size_t tasks = task_count(p.variants.size());
  std::vector<std::string> array = common_options(s);
  array.insert(array.end(), {"--job-name=dusim-" + p.name, "--array=0-" + std::to_string(tasks - 1),
                             "--output=" + (dir / "task-%a.log").string()});
  if (s.cpus_per_task) array.push_back("--cpus-per-task=" + std::to_string(s.cpus_per_task));
  write_script(dir / "tasks.sbatch", array, {p.self, "sweep", "--out", p.out, "--task", "\"$SLURM_ARRAY_TASK_ID\""});
  std::string id = sbatch(program, array, dir / "tasks.sbatch", dir / "sbatch-tasks.out");

  std::vector<std::string> collect = common_options(s);
  collect.insert(collect.end(), {"--job-name=dusim-" + p.name + "-collect", "--dependency=afterany:" + id,
                                 "--output=" + (dir / "collect.log").string()});
  write_script(dir / "collect.sbatch", collect, {p.self, "sweep", "--collect", p.out});
  std::string cid = sbatch(program, collect, dir / "collect.sbatch", dir / "sbatch-collect.out");
  tools::write_output(dir / "jobs.json", "{\"array\": \"" + id + "\", \"tasks\": " + std::to_string(tasks) + ", \"collect\": \"" + cid + "\"}\n");
  std::printf("sweep: submitted %zu variants as job array %s (%zu tasks) and job %s, which collects them when the tasks end\n"
              "sweep: follow with `squeue -j %s,%s`; the table will be %s\n",
              p.variants.size(), id.c_str(), tasks, cid.c_str(), id.c_str(), cid.c_str(), (fs::path(p.out) / "sweep.csv").string().c_str());
  return 0;
}

}  // namespace dusim::sweep
