// The sweep's one progress line on a terminal (stderr): variants done,
// running and failed, and the time left estimated from the variants run so
// far. Rows printed on stdout and messages on stderr erase it first and it
// is drawn again below them. Not a terminal: nothing is drawn.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace dusim::sweep {

class Progress {
 public:
  Progress(size_t total, unsigned jobs);
  ~Progress();
  // A variant started; one ended (ran for `seconds`, or was already finished).
  void started();
  void ended(bool failed, double seconds, bool reused);
  void out(const std::string& text);  // on stdout
  void err(const std::string& text);  // on stderr

 private:
  void draw();
  void clear();
  size_t total_, done_ = 0, running_ = 0, failed_ = 0, ran_ = 0;
  unsigned jobs_;
  double run_seconds_ = 0;  // the variants that ran, summed
  bool tty_, drawn_ = false;
};

}  // namespace dusim::sweep
