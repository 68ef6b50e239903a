// tools::run_and_wait: what `dusim sweep` starts each variant with.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/process.h"

namespace {

using dusim::tools::run_and_wait;

struct Log {
  std::string path = (std::filesystem::temp_directory_path() / ("tools-test-" + std::to_string(getpid()) + ".log")).string();
  ~Log() { std::filesystem::remove(path); }
  std::string text() const {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

TEST(RunAndWait, PassesEveryArgumentUnchangedWithoutAShell) {
  Log log;
  // Each of these would be split, expanded or run by a shell.
  int rc = run_and_wait({"/usr/bin/printf", "[%s]\\n", "a b", "it's", "$(echo no)", "; echo no", "*", ""}, log.path);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(log.text(), "[a b]\n[it's]\n[$(echo no)]\n[; echo no]\n[*]\n[]\n");
}

TEST(RunAndWait, ReturnsTheExitCode) {
  Log log;
  EXPECT_EQ(run_and_wait({"/bin/sh", "-c", "exit 7"}, log.path), 7);
  EXPECT_EQ(run_and_wait({"/bin/sh", "-c", "exit 123"}, log.path), 123);
}

TEST(RunAndWait, ASignalIs128PlusItsNumber) {
  Log log;
  EXPECT_EQ(run_and_wait({"/bin/sh", "-c", "kill -TERM $$"}, log.path), 128 + 15);
  EXPECT_EQ(run_and_wait({"/bin/sh", "-c", "kill -KILL $$"}, log.path), 128 + 9);
}

TEST(RunAndWait, StdoutAndStderrGoToTheLogWhichIsReplaced) {
  Log log;
  std::ofstream(log.path) << "a previous run's log, longer than the new one\n";
  EXPECT_EQ(run_and_wait({"/bin/sh", "-c", "echo out; echo err >&2"}, log.path), 0);
  EXPECT_EQ(log.text(), "out\nerr\n");
}

TEST(RunAndWait, AProgramThatCannotStartIsAnErrorNamingIt) {
  Log log;
  try {
    run_and_wait({"/nonexistent/dusim", "run"}, log.path);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dusim"), std::string::npos) << e.what();
  }
}

}  // namespace
