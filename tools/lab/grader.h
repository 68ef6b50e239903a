// A lab and its grader definition (labs/N-NAME/grader.yaml; format in
// labs/README.md): the scenarios the grader runs, the machines it runs them
// on (the graded variants, which the handout does not list), and the tests,
// each with its points, its per-run timeout and the checks (scenario check
// syntax, report/checks.h) that must hold on every variant.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dusim::lab {

// One graded machine: the scenario runs with --set seed=, machine.cpus= and
// machine.quantum_cycles=.
struct Variant {
  unsigned cpus = 4;
  uint64_t seed = 1;
  uint64_t quantum = 1000;
  std::string name() const;    // "cpus=4 seed=1 quantum=1000"
  std::string folder() const;  // "cpus4-seed1-q1000"
};

struct Test {
  std::string name;
  unsigned points = 0;
  unsigned timeout_s = 60;             // each run of this test's scenario
  std::string scenario;                // a key of Lab::scenarios
  std::vector<std::string> checks;     // "PATH OP VALUE", all must hold on every variant
  std::vector<size_t> variants;        // indices into Lab::variants (all when none were named)
  std::string hint;                    // printed with a failure: where to look
  std::string where;                   // "grader.yaml:12:5: key 'tests[1]'" for errors
};

struct Lab {
  unsigned number = 0;
  std::string dir;       // the lab's folder (absolute)
  std::string title;
  std::string teaches;   // one line for `lab list`
  std::map<std::string, std::string> scenarios;  // name -> file as written (relative to dir; ${WORK} = the student's folder)
  std::vector<Variant> variants;
  std::vector<Test> tests;
  unsigned max_points() const;
};

// The labs folder: DUSIM_LABS_DIR if set, else the checkout's labs/.
std::string labs_root();
// Every lab under `root` (folders named N-NAME with a grader.yaml), by number.
std::vector<Lab> find_labs(const std::string& root);
// Lab `n`; throws tools::InputError naming the labs there are.
Lab load_lab(const std::string& root, unsigned n);

}  // namespace dusim::lab
