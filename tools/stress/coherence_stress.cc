// Soak run of the cache model (tools/stress/README.md): the random coherence
// tester of tests/coherence (every protocol invariant and every data value
// checked after each operation) for many operations per CPU count and
// protocol. One line per run, a total, exit 1 if any run broke an invariant.
//
//   dusim_coherence_stress [--ops N] [--cpus 2,4,16,64] [--protocols MESI,MOESI] [--seed S]
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "random_tester.h"

namespace {

using namespace dusim::coherence;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1) out.push_back(s.substr(start, comma - start));
  out.push_back(s.substr(start));
  return out;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "dusim_coherence_stress: %s\nusage: dusim_coherence_stress [--ops N] [--cpus 2,4,16,64] "
               "[--protocols MESI,MOESI] [--seed S]\n", why);
  std::exit(125);
}

uint64_t number(const char* s) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (!*s || *end || errno || s[0] == '-') usage((std::string("not a number: ") + s).c_str());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t ops = 10'000'000, seed = 1;
  std::string cpus = "2,4,16,64", protocols = "MESI,MOESI";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + a).c_str());
    if (a == "--ops") ops = number(argv[++i]);
    else if (a == "--seed") seed = number(argv[++i]);
    else if (a == "--cpus") cpus = argv[++i];
    else if (a == "--protocols") protocols = argv[++i];
    else usage(("unknown option " + a).c_str());
  }
  uint64_t total_ops = 0, total_checks = 0, breaks = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const std::string& p : split(protocols)) {
    Protocol protocol;
    if (p == "MESI") protocol = Protocol::MESI;
    else if (p == "MOESI") protocol = Protocol::MOESI;
    else usage(("unknown protocol " + p).c_str());
    for (const std::string& c : split(cpus)) {
      unsigned n = unsigned(number(c.c_str()));
      if (n < 1 || n > 64) usage("CPUs must be 1..64");
      testing::TesterConfig cfg;
      cfg.hierarchy = testing::TesterConfig::small_hierarchy(n, protocol);
      cfg.operations = ops;
      cfg.seed = seed * 1000 + n * 10 + unsigned(protocol);
      auto t = std::chrono::steady_clock::now();
      testing::TesterResult r = testing::run_random_test(cfg);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
      total_ops += r.operations;
      total_checks += r.line_checks;
      breaks += !r.ok;
      std::printf("%-5s %2u CPUs: %s; invariant breaks %d; %.1f s\n", p.c_str(), n, testing::summary(r).c_str(),
                  r.ok ? 0 : 1, secs);
      if (!r.ok) std::printf("  BROKEN: %s\n", r.failure.c_str());
      std::fflush(stdout);
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("total: %llu operations, %llu line checks, %llu invariant breaks, %.0f s\n",
              (unsigned long long)total_ops, (unsigned long long)total_checks, (unsigned long long)breaks, secs);
  return breaks ? 1 : 0;
}
