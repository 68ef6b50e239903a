#include "common/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <thread>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace dusim::tools {

namespace {

// posix_spawn's file actions, freed however the call ends.
struct FileActions {
  posix_spawn_file_actions_t fa;
  FileActions() { posix_spawn_file_actions_init(&fa); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa); }
};

[[noreturn]] void fail(const std::string& what, const std::string& program, int err) {
  throw std::runtime_error("cannot " + what + " " + program + ": " + std::strerror(err));
}

int exit_code_of_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

// posix_spawn's attributes, likewise.
struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

int start_logged(const std::vector<std::string>& argv, const std::string& log, bool own_group) {
  FileActions files;
  int err = posix_spawn_file_actions_addopen(&files.fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!err) err = posix_spawn_file_actions_adddup2(&files.fa, STDOUT_FILENO, STDERR_FILENO);
  if (err) fail("prepare to start", argv[0], err);
  SpawnAttr attr;
  if (own_group) {
    err = posix_spawnattr_setpgroup(&attr.attr, 0);  // a group whose id is the child's
    if (!err) err = posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETPGROUP);
    if (err) fail("prepare to start", argv[0], err);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  err = posix_spawn(&pid, argv[0].c_str(), &files.fa, &attr.attr, args.data(), environ);
  if (err) fail("start", argv[0], err);
  return pid;
}

Ended wait_for(int pid) {
  int status = 0;
  pid_t ended;
  while ((ended = waitpid(pid, &status, 0)) < 0)
    if (errno != EINTR) fail("wait for", "a child", errno);
  return {ended, exit_code_of_status(status)};
}

std::optional<Ended> try_wait() {
  int status = 0;
  pid_t ended;
  while ((ended = waitpid(-1, &status, WNOHANG)) < 0)
    if (errno != EINTR) fail("wait for", "a child", errno);
  if (ended == 0) return std::nullopt;
  return Ended{ended, exit_code_of_status(status)};
}

int run_and_wait(const std::vector<std::string>& argv, const std::string& log) {
  return wait_for(start_logged(argv, log)).exit_code;
}

int run_and_wait(const std::vector<std::string>& argv, const std::string& log, double timeout_s) {
  pid_t pid = start_logged(argv, log);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return exit_code_of_status(status);
    if (r < 0 && errno != EINTR) fail("wait for", argv[0], errno);
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (size_t at = 0; at <= dirs.size();) {
    size_t end = dirs.find(':', at);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = end > at ? dirs.substr(at, end - at) : ".";
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    at = end + 1;
  }
  return "";
}

void start_detached(const std::vector<std::string>& argv) {
  FileActions files;
  int err = posix_spawn_file_actions_addopen(&files.fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  if (!err) err = posix_spawn_file_actions_adddup2(&files.fa, STDOUT_FILENO, STDERR_FILENO);
  if (!err) err = posix_spawn_file_actions_addopen(&files.fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (err) fail("prepare to start", argv[0], err);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  err = posix_spawnp(&pid, argv[0].c_str(), &files.fa, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (err) fail("start", argv[0], err);
}

}  // namespace dusim::tools
