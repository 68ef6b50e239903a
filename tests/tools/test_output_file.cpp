// Output files (common/output_file.h): a write that fails part-way (here:
// the file-size limit, as a full disk would) leaves the earlier file whole
// and no temporary file, and is an OutputError naming the file; a directory
// in the way or a missing folder is refused; stale outputs are removed
// before a run, a directory in their place refused.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "common/output_file.h"

namespace {

namespace fs = std::filesystem;
using dusim::tools::OutputError;
using dusim::tools::remove_stale_output;
using dusim::tools::write_output;

struct OutputFileTest : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() / ("dusim-output-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  static std::string read(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  size_t entries() const { return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }
};

// The message must name the file.
template <class F>
std::string output_error(F&& f) {
  try {
    f();
  } catch (const OutputError& e) {
    return e.what();
  }
  return "(no OutputError)";
}

TEST_F(OutputFileTest, ReplacesWholeFile) {
  write_output(dir / "report.json", "old\n");
  write_output(dir / "report.json", "new\n");
  EXPECT_EQ(read(dir / "report.json"), "new\n");
  EXPECT_EQ(entries(), 1u);  // no temporary file left
}

TEST_F(OutputFileTest, FailedWriteLeavesEarlierFileWhole) {
  write_output(dir / "report.json", "the earlier run's report\n");
  // Writes past 100 bytes fail with EFBIG, as they would on a full disk.
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 100;
  setrlimit(RLIMIT_FSIZE, &small);
  std::string msg = output_error([&] { write_output(dir / "report.json", std::string(100000, 'x')); });
  setrlimit(RLIMIT_FSIZE, &old);
  EXPECT_NE(msg.find((dir / "report.json").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("too large"), std::string::npos) << msg;  // strerror(EFBIG)
  EXPECT_EQ(read(dir / "report.json"), "the earlier run's report\n");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(OutputFileTest, DirectoryInTheWayIsAnError) {
  fs::create_directories(dir / "report.json" / "inside");
  std::string msg = output_error([&] { write_output(dir / "report.json", "x"); });
  EXPECT_NE(msg.find("report.json: it is a directory"), std::string::npos) << msg;
  msg = output_error([&] { remove_stale_output(dir / "report.json"); });
  EXPECT_NE(msg.find("report.json: it is a directory"), std::string::npos) << msg;
  EXPECT_TRUE(fs::exists(dir / "report.json" / "inside"));
}

TEST_F(OutputFileTest, MissingFolderIsAnError) {
  std::string msg = output_error([&] { write_output(dir / "missing" / "stats.json", "x"); });
  EXPECT_NE(msg.find("stats.json: no folder"), std::string::npos) << msg;
  msg = output_error([&] { remove_stale_output(dir / "missing" / "stats.json"); });
  EXPECT_NE(msg.find("stats.json: no folder"), std::string::npos) << msg;
}

TEST_F(OutputFileTest, FullDeviceIsAnError) {
  std::string msg = output_error([&] { write_output("/dev/full", "x"); });
  EXPECT_NE(msg.find("/dev/full: No space left on device"), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_character_file("/dev/full"));  // written to, not replaced
}

TEST_F(OutputFileTest, StaleOutputIsRemoved) {
  write_output(dir / "report.json", "stale\n");
  remove_stale_output(dir / "report.json");
  EXPECT_FALSE(fs::exists(dir / "report.json"));
  remove_stale_output(dir / "report.json");  // missing: fine
  remove_stale_output("/dev/null");          // not a regular file: left alone
  EXPECT_TRUE(fs::exists("/dev/null"));
}

}  // namespace
