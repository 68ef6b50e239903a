// `dusim lab`: the teaching labs (labs/README.md). `list` shows them,
// `start N` copies lab N's starter into the student's folder (never over a
// file that is there), `check N` grades the student's work: it runs the
// grader's scenarios on the graded variants (scenario/run.cc, as `dusim run`
// does, one process per run with the test's timeout), evaluates each test's
// checks on every variant's report (report/checks.h), prints the points,
// keeps every failing test's messages and writes a results JSON.
#pragma once

#include <string>

namespace dusim::lab {

struct LabOptions {
  std::string action;    // list, start, check
  unsigned number = 0;   // start, check
  std::string work_dir;  // the students' folders (default labs/work); lab N's is WORK/N
  std::string results;   // check: the results JSON (default WORK/N/results/results.json)
  bool verbose = false;  // check: every test's report paths and numbers, passing or not
  std::string self;      // this program, to start the runs with
};

int lab_command(const LabOptions& o);

// The parts (lab.cc, check.cc).
int list_labs(const LabOptions& o);
int start_lab(const LabOptions& o);
int check_lab(const LabOptions& o);
std::string work_root(const LabOptions& o);

}  // namespace dusim::lab
