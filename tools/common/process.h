// Starting another program without a shell: the arguments go to it exactly
// as given (nothing is quoted, split or expanded).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dusim::tools {

// Runs argv[0] (a path) with `argv`, its stdout and stderr to the file `log`
// (created or truncated), and waits for it. Returns its exit code, or 128+N
// if signal N ended it (as a shell reports it). Throws std::runtime_error
// if it cannot be started.
int run_and_wait(const std::vector<std::string>& argv, const std::string& log);

// The same, but a program still running after `timeout_s` seconds of host
// time is killed (SIGKILL) and -1 is returned.
int run_and_wait(const std::vector<std::string>& argv, const std::string& log, double timeout_s);

// The same without waiting: starts it and returns its process id. With
// `own_group` it runs in a process group of its own, so a terminal's Ctrl-C
// reaches only us, and we decide what it receives (sweep: once).
int start_logged(const std::vector<std::string>& argv, const std::string& log, bool own_group = false);

// Waits for one started child (any, when pid is -1) to end; returns
// {its pid, exit code or 128+N}.
struct Ended {
  int pid, exit_code;
};
Ended wait_for(int pid = -1);
// The same without blocking: a child that has ended, if any has.
std::optional<Ended> try_wait();

// The program `name` as found in PATH (its path), or "" when it is not there.
std::string find_program(const std::string& name);

// Starts argv[0] (looked up in PATH when it has no '/') in a session of its
// own, output to /dev/null, and does not wait (a browser outlives dusim).
// Throws std::runtime_error if it cannot be started.
void start_detached(const std::vector<std::string>& argv);

}  // namespace dusim::tools
