#include "sweep/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dusim::sweep {

namespace {

std::string duration_text(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", std::ceil(s));
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%d min %02d s", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %02d min", int(s) / 3600, int(s) % 3600 / 60);
  return buf;
}

}  // namespace

Progress::Progress(size_t total, unsigned jobs) : total_(total), jobs_(jobs), tty_(isatty(STDERR_FILENO)) {}

Progress::~Progress() { clear(); }

void Progress::started() {
  ++running_;
  draw();
}

void Progress::ended(bool failed, double seconds, bool reused) {
  ++done_;
  failed_ += failed;
  if (!reused) {
    --running_;
    ++ran_;
    run_seconds_ += seconds;
  }
  draw();
}

void Progress::out(const std::string& text) {
  clear();
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  draw();
}

void Progress::err(const std::string& text) {
  clear();
  std::fputs(text.c_str(), stderr);
  draw();
}

// "sweep: 12 of 28 done, 2 running, 1 failed, about 3 min 20 s left": the
// variants still to finish, at the mean time of those run, `jobs` at a time.
void Progress::draw() {
  if (!tty_ || done_ == total_) return;
  std::string line = "sweep: " + std::to_string(done_) + " of " + std::to_string(total_) + " done, " + std::to_string(running_) +
                     " running, " + std::to_string(failed_) + " failed";
  if (ran_) {
    double left = double(total_ - done_) * run_seconds_ / double(ran_) / double(std::max(1u, jobs_));
    line += ", about " + duration_text(left) + " left";
  }
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

}  // namespace dusim::sweep
