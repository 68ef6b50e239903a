#include "report/open_page.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "common/errors.h"
#include "common/process.h"
#include "exit_codes.h"

namespace dusim::report {

namespace fs = std::filesystem;

namespace {

fs::path page_in(const std::string& path) {
  fs::path p(path);
  if (fs::is_directory(p)) {
    for (const char* name : {"report.html", "sweep.html"})
      if (fs::exists(p / name)) return fs::absolute(p / name).lexically_normal();
    throw tools::InputError(path + ": no report.html or sweep.html in this folder (run `./dusim run SCENARIO` first)");
  }
  if (!fs::exists(p)) throw tools::InputError(path + ": no such file or folder");
  return fs::absolute(p).lexically_normal();
}

bool has_display() {
  for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY"})
    if (const char* d = std::getenv(v); d && *d) return true;
  return false;
}

bool on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t at = 0; at <= dirs.size();) {
    size_t end = dirs.find(':', at);
    std::string dir = dirs.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return false;
}

// $BROWSER (the first of a ':'-separated list, as sensible-browser reads it),
// else xdg-open, else a browser Debian packages. Empty when there is none.
std::string browser() {
  if (const char* b = std::getenv("BROWSER"); b && *b) {
    std::string first(b);
    first = first.substr(0, first.find(':'));
    if (on_path(first)) return first;
  }
  for (const char* b : {"xdg-open", "sensible-browser", "chromium", "firefox-esr", "firefox", "google-chrome"})
    if (on_path(b)) return b;
  return "";
}

}  // namespace

int open_page(const std::string& path) {
  return tools::exit_code_of([&] {
    fs::path page = page_in(path);
    std::string b = has_display() ? browser() : "";
    if (b.empty()) {
      std::printf("%s\n", page.string().c_str());
      std::fprintf(stderr, "dusim: %s: open this file in a browser (it is self-contained: copy it anywhere)\n",
                   has_display() ? "no browser found ($BROWSER, xdg-open, chromium, firefox)" : "no display");
      return exit_code::kSuccess;
    }
    std::vector<std::string> argv{b};
    // Chromium refuses to run as root without --no-sandbox.
    if (geteuid() == 0 && fs::path(b).filename().string().find("chrom") != std::string::npos) argv.push_back("--no-sandbox");
    argv.push_back(page.string());
    tools::start_detached(argv);
    std::printf("opened %s in %s\n", page.string().c_str(), b.c_str());
    return exit_code::kSuccess;
  });
}

}  // namespace dusim::report
