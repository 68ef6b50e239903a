// isa_random: random-instruction tests, dusim against qemu-ppc64 (issue 2, test (b)).
//
//   isa_random run [options]      generate, assemble, run on both, compare
//   isa_random gen SEED [-o F]    print (or write) the assembly of one program
//   isa_random exec [options] "insn; insn" [reg=value ...]
//                                 run a hand-written sequence from a given state
//                                 on both and show the registers that differ
//
// `run` options:
//   --seeds N          seeds first..first+N-1
//   --default-seeds N  the same, unless the environment variable
//                      DUSIM_RANDOM_SEEDS is set: then that many (a long run).
//                      With neither option: DUSIM_RANDOM_SEEDS, else 40.
//   --first S          first seed (default 1)
//   --shard I --shards M   only the seeds s with (s - first) % M == I
//   --cases K          test cases per program (default 100)
//   --profile int|fp   what the cases exercise: the integer ISA with some
//                      floating point (int, the default), or mostly floating
//                      point on special-value operands (fp)
//   --dusim PATH       the simulator under test, run as `PATH run-elf prog.elf`
//   --dut-qemu-cpu C   test qemu-ppc64 -cpu C instead of dusim (self-checks)
//   --qemu PATH, --qemu-cpu C (default power7), --as, --ld, --objdump PATH
//   --workdir DIR      scratch files (default ./isa_random_work); kept on failure
//   --keep             keep scratch files of passing seeds too
//   --corrupt C:REG    self-test: flip bit 0 of REG (r5, cr, xer, lr, ctr, buf)
//                      in case C of the simulator's output for every seed
//   --no-minimize      do not reduce mismatches to a single instruction
//   --max-reports N    detailed reports per run (default 8)
//   --expect-mismatch  exit 0 only if a mismatch was found (for the self-test)
//   -j N               seeds run in parallel (default 1; ctest runs shards)
//
// Exit status: 0 all identical, 1 a mismatch (or the simulator failed), 2 a
// problem of the harness itself (tool missing, reference run failed).
//
// qemu runs with -cpu power7: its default CPU is POWER9-class and sets the
// ISA 3.0 XER bits OV32/CA32 that the POWER5/POWER7-class model does not have.
// Nothing else is masked; see gen.cpp for how undefined results are avoided.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rig.hpp"

namespace {

using rig::Case;
using rig::State;

struct Options {
  uint64_t first = 1;
  uint64_t seeds = 40;
  int shard = 0, shards = 1;
  int cases = 100;
  std::string dusim;
  std::string dut_qemu_cpu;
  std::string qemu = "qemu-ppc64", qemu_cpu = "power7";
  std::string as = "powerpc64-linux-gnu-as", ld = "powerpc64-linux-gnu-ld";
  std::string objdump = "powerpc64-linux-gnu-objdump";
  std::string workdir = "isa_random_work";
  bool keep = false, minimize = true, expect_mismatch = false;
  int corrupt_case = -1;
  std::string corrupt_reg;
  int max_reports = 8;
  int jobs = 1;
  rig::Profile profile = rig::Profile::Int;
  int timeout = 120;
};

std::string hex(uint64_t v) {
  char b[24];
  snprintf(b, sizeof b, "0x%016llx", (unsigned long long)v);
  return b;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
  return bool(f);
}

void mkdirs(const std::string& path) {
  std::string cur;
  std::stringstream ss(path);
  std::string part;
  if (!path.empty() && path[0] == '/') cur = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    cur += part + "/";
    mkdir(cur.c_str(), 0777);
  }
}

void remove_tree(const std::string& dir) {
  pid_t p = fork();
  if (p == 0) {
    execlp("rm", "rm", "-rf", dir.c_str(), (char*)nullptr);
    _exit(127);
  }
  int st;
  if (p > 0) waitpid(p, &st, 0);
}

struct Proc {
  int code = -1;  // exit code, or 128 + signal
  bool timed_out = false;
  std::string out, err;
};

// Runs argv with stdout and stderr captured through files; kills it after
// `timeout` seconds (SIGALRM survives exec).
Proc run(const std::vector<std::string>& argv, const std::string& stem, int timeout) {
  Proc r;
  std::string out = stem + ".out", err = stem + ".err";
  pid_t pid = fork();
  if (pid < 0) {
    r.err = "fork failed";
    return r;
  }
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int n = open("/dev/null", O_RDONLY);
    if (o < 0 || e < 0 || n < 0) _exit(127);
    dup2(n, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> av;
    for (auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
    av.push_back(nullptr);
    signal(SIGALRM, SIG_DFL);
    alarm(unsigned(timeout));
    execvp(av[0], av.data());
    fprintf(stderr, "cannot execute %s: %s\n", av[0], strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(st)) r.code = WEXITSTATUS(st);
  else if (WIFSIGNALED(st)) {
    r.code = 128 + WTERMSIG(st);
    r.timed_out = WTERMSIG(st) == SIGALRM;
  }
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::string first_lines(const std::string& s, int n) {
  std::string r;
  std::stringstream ss(s);
  std::string l;
  while (n-- > 0 && std::getline(ss, l)) r += "      | " + l + "\n";
  return r;
}

// Slot of a register name, or -1; "buf" is rig::kSlots.
int slot_of(const std::string& name) {
  for (int i = 0; i < rig::kSlots; ++i)
    if (rig::slot_name(i) == name) return i;
  return name == "buf" ? rig::kSlots : -1;
}

class Harness {
 public:
  explicit Harness(Options o) : o_(std::move(o)) {}

  std::string dut_name() const {
    return o_.dut_qemu_cpu.empty() ? "dusim" : "qemu-" + o_.dut_qemu_cpu;
  }

  // Assembles and links `src` into dir/name.elf; returns an error text or "".
  std::string build(const std::string& dir, const std::string& name, const std::string& src) const {
    std::string s = dir + "/" + name + ".s", obj = dir + "/" + name + ".o", elf = dir + "/" + name + ".elf";
    if (!write_file(s, src)) return "cannot write " + s;
    Proc a = run({o_.as, "-a64", "-mbig", "-mpower7", "-mregnames", s, "-o", obj}, dir + "/" + name + ".as", 60);
    if (a.code != 0) return "assembler failed on " + s + ":\n" + first_lines(a.err, 20);
    Proc l = run({o_.ld, "-static", "-o", elf, obj}, dir + "/" + name + ".ld", 60);
    if (l.code != 0) return "linker failed on " + obj + ":\n" + first_lines(l.err, 20);
    return "";
  }

  Proc ref(const std::string& elf) const {
    return run({o_.qemu, "-cpu", o_.qemu_cpu, elf}, elf + ".ref", o_.timeout);
  }
  Proc dut(const std::string& elf) const {
    if (!o_.dut_qemu_cpu.empty()) return run({o_.qemu, "-cpu", o_.dut_qemu_cpu, elf}, elf + ".dut", o_.timeout);
    return run({o_.dusim, "run-elf", elf}, elf + ".dut", o_.timeout);
  }

  // Index of the first record that differs, or -1.
  static int first_diff(const std::string& a, const std::string& b, int n) {
    for (int i = 0; i < n; ++i) {
      size_t at = size_t(i) * rig::kRecordSize;
      bool ha = a.size() >= at + rig::kRecordSize, hb = b.size() >= at + rig::kRecordSize;
      if (ha != hb) return i;
      if (!ha) return -1;
      if (a.compare(at, rig::kRecordSize, b, at, rig::kRecordSize) != 0) return i;
    }
    return -1;
  }

  static bool has_record(const std::string& s, int i) {
    return s.size() >= size_t(i + 1) * rig::kRecordSize;
  }
  static State record(const std::string& s, int i) {
    return rig::parse_record(reinterpret_cast<const uint8_t*>(s.data()) + size_t(i) * rig::kRecordSize);
  }

  std::string describe_diff(const std::string& a, const std::string& b, int i, const Proc& dp) const {
    std::string r;
    if (!has_record(b, i)) {
      r += "    " + dut_name() + " wrote no record for this case: exit code " + std::to_string(dp.code) +
           (dp.timed_out ? " (timed out)" : "") + "\n";
      if (!dp.err.empty()) r += first_lines(dp.err, 40);
      return r;
    }
    State x = record(a, i), y = record(b, i);
    for (int s = 0; s < rig::kSlots; ++s)
      if (x.slot[s] != y.slot[s]) {
        char l[160];
        snprintf(l, sizeof l, "    %-4s qemu %s  %s %s  (xor %s)\n", rig::slot_name(s).c_str(), hex(x.slot[s]).c_str(),
                 dut_name().c_str(), hex(y.slot[s]).c_str(), hex(x.slot[s] ^ y.slot[s]).c_str());
        r += l;
      }
    for (int k = 0; k < rig::kBufSize; k += 8) {
      if (memcmp(x.buf + k, y.buf + k, 8) == 0) continue;
      char l[160];
      uint64_t u = 0, v = 0;
      for (int j = 0; j < 8; ++j) u = u << 8 | x.buf[k + j], v = v << 8 | y.buf[k + j];
      snprintf(l, sizeof l, "    buf[%3d..%3d] qemu %s  %s %s\n", k, k + 7, hex(u).c_str(), dut_name().c_str(),
               hex(v).c_str());
      r += l;
    }
    return r;
  }

  static std::string describe_state(const State& s, int base) {
    std::string r;
    for (int i = 0; i < rig::kSlots; ++i) {
      std::string v = i == 1 ? "(stack)" : i == base ? "(buffer)" : hex(s.slot[i]);
      char l[64];
      snprintf(l, sizeof l, "%s%-5s=%-18s", i % 4 == 0 ? "    " : "  ", rig::slot_name(i).c_str(), v.c_str());
      r += l;
      if (i % 4 == 3 || i == rig::kSlots - 1) r += "\n";
    }
    return r;
  }

  static std::string describe_groups(const std::vector<rig::Group>& gs) {
    std::string r;
    for (size_t g = 0; g < gs.size(); ++g) {
      bool first = true;
      for (auto& u : gs[g].units)
        for (auto& l : u.lines) {
          std::string t = l;
          if (gs[g].skip >= 0) {
            std::string target = "<g";
            target += std::to_string(g + 1 + size_t(gs[g].skip));
            target += ">";
            for (size_t p; (p = t.find("%T")) != std::string::npos;) t.replace(p, 2, target);
          }
          char label[24] = "";
          if (first) snprintf(label, sizeof label, "g%zu", g);
          char b[200];
          snprintf(b, sizeof b, "    %-5s %s\n", label, t.c_str());
          r += b;
          first = false;
        }
    }
    return r;
  }

  // objdump of the given lines assembled alone.
  std::string encode(const std::string& dir, const std::vector<std::string>& lines) const {
    std::string s;
    for (auto l : lines) {
      for (size_t p; (p = l.find("%T")) != std::string::npos;) l.replace(p, 2, ".Lend");
      s += (l.back() == ':' ? "" : "\t") + l + "\n";
    }
    s += ".Lend:\n";
    std::string src = dir + "/encode.s", obj = dir + "/encode.o";
    write_file(src, s);
    Proc a = run({o_.as, "-a64", "-mbig", "-mpower7", "-mregnames", src, "-o", obj}, dir + "/encode.as", 60);
    if (a.code != 0) return first_lines(a.err, 5);
    Proc d = run({o_.objdump, "-d", obj}, dir + "/encode.objdump", 60);
    std::string r;
    std::stringstream ss(d.out);
    std::string l;
    while (std::getline(ss, l))
      if (l.size() > 2 && l[0] == ' ' && l.find(":\t") != std::string::npos) r += "      " + l + "\n";
    return r;
  }

  // Reduces a mismatching case to one group, then (if possible) to one unit,
  // with the machine state qemu had just before it.
  std::string minimize(const std::string& dir, const Case& c) const {
    std::string r;
    // Every prefix of the group list, as a case of its own.
    std::vector<Case> pre;
    for (size_t j = 0; j <= c.groups.size(); ++j) {
      Case p = c;
      p.groups.resize(j);
      pre.push_back(p);
    }
    if (auto e = build(dir, "prefix", rig::emit_program(pre)); !e.empty()) return "    (minimize: " + e + ")\n";
    Proc a = ref(dir + "/prefix.elf"), b = dut(dir + "/prefix.elf");
    int j = first_diff(a.out, b.out, int(pre.size()));
    if (j < 0) return "    (minimize: no prefix of the sequence differs on its own)\n";
    if (j == 0) return "    (minimize: the case differs with no instruction at all: set-up or dump)\n" + describe_diff(a.out, b.out, 0, b);
    if (!has_record(a.out, j - 1)) return "    (minimize: qemu failed on the prefix)\n";
    const rig::Group& g = c.groups[size_t(j - 1)];
    State before = record(a.out, j - 1);

    // Within the group, unit by unit, each unit starting from qemu's state after the previous ones.
    std::vector<Case> steps;
    Case one = c;
    one.init = before;
    one.groups = {g};
    if (g.splittable && g.units.size() > 1) {
      for (size_t u = 0; u <= g.units.size(); ++u) {
        Case s = one;
        s.groups[0].units.resize(u);
        steps.push_back(s);
      }
    } else {
      Case empty = one;
      empty.groups.clear();
      steps = {empty, one};
    }
    if (auto e = build(dir, "single", rig::emit_program(steps)); !e.empty()) return "    (minimize: " + e + ")\n";
    a = ref(dir + "/single.elf"), b = dut(dir + "/single.elf");
    int k = first_diff(a.out, b.out, int(steps.size()));
    if (k <= 0 || !has_record(a.out, k - 1)) {
      r += "    group g" + std::to_string(j - 1) + " differs only in its original context:\n";
      r += describe_groups({g});
      return r;
    }
    std::vector<std::string> lines;
    const rig::Group& sg = steps[size_t(k)].groups[0];
    if (steps.size() > 2) {
      lines = sg.units.back().lines;
    } else {
      for (auto& u : sg.units) lines.insert(lines.end(), u.lines.begin(), u.lines.end());
    }
    State in = record(a.out, k - 1);
    r += "    first differing instruction (group g" + std::to_string(j - 1) + "), run alone from qemu's state:\n";
    r += encode(dir, lines);
    // Operands: registers named in the text.
    std::string text;
    for (auto& l : lines) text += l + " ";
    std::regex reg("\\b([rf])([0-9]+)\\b");
    std::map<int, bool> seen;
    std::string ins = "    inputs:";
    bool fp = false;
    for (std::sregex_iterator it(text.begin(), text.end(), reg), end; it != end; ++it) {
      bool is_f = (*it)[1] == "f";
      int n = std::stoi((*it)[2]);
      int slot = is_f ? rig::kF0 + n : n;
      fp |= is_f;
      if (n > 31 || seen[slot]) continue;
      seen[slot] = true;
      ins += " " + rig::slot_name(slot) + "=" + (!is_f && n == c.base ? "(buffer)" : hex(in.slot[slot]));
    }
    ins += " cr=" + hex(in.slot[rig::kCr]) + " xer=" + hex(in.slot[rig::kXer]);
    if (fp) ins += " fpscr=" + hex(in.slot[rig::kFpscr]);
    if (text.find("lr") != std::string::npos || text.find(" 8,") != std::string::npos) ins += " lr=" + hex(in.slot[rig::kLr]);
    if (text.find("ctr") != std::string::npos || text.find("bc") != std::string::npos) ins += " ctr=" + hex(in.slot[rig::kCtr]);
    r += ins + "\n";
    r += "    results:\n" + describe_diff(a.out, b.out, k, b);
    r += "    reproducer: " + dir + "/single.s (case " + std::to_string(k) + ")\n";
    return r;
  }

  struct SeedResult {
    int cases = 0, bad = 0;
    bool harness_error = false;
    std::string report;
  };

  SeedResult run_seed(uint64_t seed, std::atomic<int>& reports) const {
    SeedResult res;
    std::string dir = o_.workdir + "/seed-" + std::to_string(seed);
    mkdirs(dir);
    std::vector<Case> cases;
    for (int i = 0; i < o_.cases; ++i) cases.push_back(rig::generate_case(seed, i, o_.profile));
    res.cases = o_.cases;
    if (auto e = build(dir, "prog", rig::emit_program(cases)); !e.empty()) {
      res.harness_error = true;
      res.report = "seed " + std::to_string(seed) + ": " + e;
      return res;
    }
    std::string elf = dir + "/prog.elf";
    Proc a = ref(elf);
    if (a.code != 0 || a.out.size() != size_t(o_.cases) * rig::kRecordSize) {
      res.harness_error = true;
      res.report = "seed " + std::to_string(seed) + ": reference run failed (qemu-ppc64 -cpu " + o_.qemu_cpu +
                   " " + elf + "): exit code " + std::to_string(a.code) + ", " + std::to_string(a.out.size()) +
                   " bytes of output\n" + first_lines(a.err, 20);
      size_t k = a.out.size() / rig::kRecordSize;
      if (k < cases.size())
        res.report += "  it stopped in case " + std::to_string(k) + ":\n" + describe_groups(cases[k].groups);
      return res;
    }
    Proc b = dut(elf);
    if (o_.corrupt_case >= 0 && has_record(b.out, o_.corrupt_case)) {
      int s = slot_of(o_.corrupt_reg);
      size_t at = size_t(o_.corrupt_case) * rig::kRecordSize + (s == rig::kSlots ? rig::kRegsSize : 8 * s + 7);
      if (s >= 0) b.out[at] ^= 1;
    }
    std::string& rep = res.report;
    for (int i = 0; i < o_.cases; ++i) {
      bool missing = !has_record(b.out, i);
      if (!missing && b.out.compare(size_t(i) * rig::kRecordSize, rig::kRecordSize, a.out, size_t(i) * rig::kRecordSize,
                                    rig::kRecordSize) == 0)
        continue;
      ++res.bad;
      if (reports.fetch_add(1) >= o_.max_reports) {
        if (missing) {
          res.bad += o_.cases - i - 1;
          break;
        }
        continue;
      }
      const Case& c = cases[size_t(i)];
      rep += "MISMATCH seed " + std::to_string(seed) + " case " + std::to_string(i) + " (program " + elf + ")\n";
      rep += "  buffer base register r" + std::to_string(c.base) + "; initial state:\n" + describe_state(c.init, c.base);
      rep += "  sequence:\n" + describe_groups(c.groups);
      rep += "  differences, qemu-ppc64 -cpu " + o_.qemu_cpu + " vs " + dut_name() + ":\n";
      rep += describe_diff(a.out, b.out, i, b);
      if (o_.minimize && o_.corrupt_case < 0) {
        std::string mdir = dir + "/case-" + std::to_string(i);
        mkdirs(mdir);
        rep += "  minimized:\n" + minimize(mdir, c);
      }
      if (missing) {  // the simulator stopped: later cases have no output either
        res.bad += o_.cases - i - 1;
        break;
      }
    }
    if (b.code != 0 && res.bad == 0) {
      ++res.bad;
      rep += "MISMATCH seed " + std::to_string(seed) + ": " + dut_name() + " exit code " + std::to_string(b.code) +
             ", qemu 0\n" + first_lines(b.err, 20);
    }
    if (res.bad == 0 && !o_.keep) remove_tree(dir);
    return res;
  }

  int run_all() {
    if (o_.dut_qemu_cpu.empty()) {
      if (o_.dusim.empty() || access(o_.dusim.c_str(), X_OK) != 0) {
        fprintf(stderr, "isa_random: simulator not found or not executable: '%s' (build the dusim target)\n",
                o_.dusim.c_str());
        return 2;
      }
    }
    std::vector<uint64_t> seeds;
    for (uint64_t s = o_.first; s < o_.first + o_.seeds; ++s)
      if (int((s - o_.first) % uint64_t(o_.shards)) == o_.shard) seeds.push_back(s);
    mkdirs(o_.workdir);
    auto t0 = std::chrono::steady_clock::now();
    std::atomic<size_t> next{0};
    std::atomic<int> reports{0};
    std::mutex mu;
    int cases = 0, bad = 0, bad_seeds = 0, errors = 0;
    auto worker = [&] {
      for (size_t i; (i = next.fetch_add(1)) < seeds.size();) {
        SeedResult r = run_seed(seeds[i], reports);
        std::lock_guard<std::mutex> lock(mu);
        cases += r.cases;
        bad += r.bad;
        bad_seeds += r.bad > 0;
        errors += r.harness_error;
        if (!r.report.empty()) std::cout << r.report << std::flush;
      }
    };
    std::vector<std::thread> pool;
    for (int j = 0; j < std::max(1, o_.jobs); ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printf("isa_random: %zu seeds, %d cases, %d mismatching cases in %d seeds, %d harness errors, %.1f s (%s vs qemu-ppc64 -cpu %s)\n",
           seeds.size(), cases, bad, bad_seeds, errors, secs, dut_name().c_str(), o_.qemu_cpu.c_str());
    if (errors) return 2;
    if (o_.expect_mismatch) return bad ? 0 : 1;
    return bad ? 1 : 0;
  }

  // A hand-written sequence from a given state (defaults: zeros, base r31).
  int exec(const std::string& insns, const std::vector<std::string>& sets) {
    Case c;
    c.base = 31;
    rig::Group g;
    std::stringstream ss(insns);
    for (std::string l; std::getline(ss, l, ';');) {
      l.erase(0, l.find_first_not_of(" \t"));
      l.erase(l.find_last_not_of(" \t") + 1);
      if (!l.empty()) g.units.push_back(rig::Unit{{l}});
    }
    c.groups = {g};
    for (auto& s : sets) {
      auto eq = s.find('=');
      int slot = eq == std::string::npos ? -1 : slot_of(s.substr(0, eq));
      if (slot == rig::kSlots) {
        std::stringstream bs(s.substr(eq + 1));  // buf=b0,b1,...
        int i = 0;
        for (std::string v; std::getline(bs, v, ',') && i < rig::kBufSize;) c.init.buf[i++] = uint8_t(std::stoul(v, nullptr, 0));
        continue;
      }
      if (slot < 0) {
        fprintf(stderr, "isa_random exec: bad setting '%s'\n", s.c_str());
        return 2;
      }
      if (s.substr(0, eq) == "base") continue;
      c.init.slot[slot] = std::stoull(s.substr(eq + 1), nullptr, 0);
    }
    std::string dir = o_.workdir + "/exec";
    mkdirs(dir);
    Case empty = c;
    empty.groups.clear();
    if (auto e = build(dir, "exec", rig::emit_program({empty, c})); !e.empty()) {
      fprintf(stderr, "%s\n", e.c_str());
      return 2;
    }
    Proc a = ref(dir + "/exec.elf"), b = dut(dir + "/exec.elf");
    std::cout << encode(dir, [&] {
      std::vector<std::string> v;
      for (auto& u : g.units) v.push_back(u.lines[0]);
      return v;
    }());
    if (!has_record(a.out, 1)) {
      std::cout << "qemu failed: exit " << a.code << "\n" << first_lines(a.err, 10);
      return 2;
    }
    State in = record(a.out, 0), out = record(a.out, 1);
    std::cout << "  changed by the sequence (qemu):\n";
    for (int s = 0; s < rig::kSlots; ++s)
      if (in.slot[s] != out.slot[s])
        std::cout << "    " << rig::slot_name(s) << ": " << hex(in.slot[s]) << " -> " << hex(out.slot[s]) << "\n";
    int k = first_diff(a.out, b.out, 2);
    if (k < 0) {
      std::cout << "  identical on qemu and " << dut_name() << "\n";
      return 0;
    }
    std::cout << "  differences in " << (k == 0 ? "the empty case" : "the result") << ":\n" << describe_diff(a.out, b.out, k, b);
    return 1;
  }

 private:
  Options o_;
};

int usage() {
  fprintf(stderr,
          "usage: isa_random run [--seeds N | --default-seeds N] [--first S] [--shard I --shards M] [--cases K]\n"
          "                      [--profile int|fp]\n"
          "                      [--dusim PATH] [--dut-qemu-cpu CPU] [--qemu PATH] [--qemu-cpu CPU] [--as PATH] [--ld PATH]\n"
          "                      [--objdump PATH] [--workdir DIR] [--keep] [--corrupt CASE:REG] [--no-minimize]\n"
          "                      [--max-reports N] [--expect-mismatch] [-j N]\n"
          "       isa_random gen SEED [--cases K] [--profile int|fp] [-o FILE]\n"
          "       isa_random exec [run options] \"insn; insn...\" [reg=value...] [buf=b0,b1,...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help") {
    usage();
    return 0;
  }
  Options o;
  const char* env_seeds = getenv("DUSIM_RANDOM_SEEDS");
  bool seeds_from_env = env_seeds && *env_seeds;
  bool seeds_given = false;
  try {
    if (seeds_from_env) o.seeds = std::stoull(env_seeds);
  } catch (const std::exception&) {
    fprintf(stderr, "isa_random: bad DUSIM_RANDOM_SEEDS '%s'\n", env_seeds);
    return 2;
  }
  std::vector<std::string> rest;
  std::string out_file;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        fprintf(stderr, "isa_random: %s needs a value\n", a.c_str());
        exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--seeds") {
        o.seeds = std::stoull(val());
        seeds_given = true;
      } else if (a == "--default-seeds") {
        uint64_t n = std::stoull(val());
        if (!seeds_from_env && !seeds_given) o.seeds = n;
      } else if (a == "--first") o.first = std::stoull(val());
      else if (a == "--shard") o.shard = std::stoi(val());
      else if (a == "--shards") o.shards = std::stoi(val());
      else if (a == "--cases") o.cases = std::stoi(val());
      else if (a == "--profile") {
        std::string p = val();
        if (p != "int" && p != "fp") return usage();
        o.profile = p == "fp" ? rig::Profile::Fp : rig::Profile::Int;
      }
      else if (a == "--dusim") o.dusim = val();
      else if (a == "--dut-qemu-cpu") o.dut_qemu_cpu = val();
      else if (a == "--qemu") o.qemu = val();
      else if (a == "--qemu-cpu") o.qemu_cpu = val();
      else if (a == "--as") o.as = val();
      else if (a == "--ld") o.ld = val();
      else if (a == "--objdump") o.objdump = val();
      else if (a == "--workdir") o.workdir = val();
      else if (a == "--keep") o.keep = true;
      else if (a == "--no-minimize") o.minimize = false;
      else if (a == "--expect-mismatch") o.expect_mismatch = true;
      else if (a == "--max-reports") o.max_reports = std::stoi(val());
      else if (a == "--timeout") o.timeout = std::stoi(val());
      else if (a == "-j") o.jobs = std::stoi(val());
      else if (a == "-o") out_file = val();
      else if (a == "--corrupt") {
        std::string v = val();
        auto c = v.find(':');
        if (c == std::string::npos || slot_of(v.substr(c + 1)) < 0) return usage();
        o.corrupt_case = std::stoi(v.substr(0, c));
        o.corrupt_reg = v.substr(c + 1);
      } else if (a.size() > 1 && a[0] == '-' && a.find('=') == std::string::npos) {
        fprintf(stderr, "isa_random: unknown option %s\n", a.c_str());
        return usage();
      } else rest.push_back(a);
    } catch (const std::exception&) {
      fprintf(stderr, "isa_random: bad value for %s\n", a.c_str());
      return 2;
    }
  }
  if (o.shards < 1 || o.shard < 0 || o.shard >= o.shards || o.cases < 1) return usage();

  if (cmd == "gen") {
    if (rest.size() != 1) return usage();
    uint64_t seed = std::stoull(rest[0]);
    std::vector<Case> cases;
    for (int i = 0; i < o.cases; ++i) cases.push_back(rig::generate_case(seed, i, o.profile));
    std::string s = rig::emit_program(cases);
    if (out_file.empty()) std::cout << s;
    else if (!write_file(out_file, s)) return 2;
    return 0;
  }
  if (cmd == "run") {
    if (!rest.empty()) return usage();
    return Harness(o).run_all();
  }
  if (cmd == "exec") {
    if (rest.empty()) return usage();
    std::vector<std::string> sets(rest.begin() + 1, rest.end());
    return Harness(o).exec(rest[0], sets);
  }
  return usage();
}
