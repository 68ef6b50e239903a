#include "scenario/simulate.h"

#include <stdio_ext.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>

#include "common/boot_args.h"
#include "common/errors.h"
#include "common/interrupt.h"
#include "report/update_events.h"

namespace dusim::scenario {

namespace {

// Host CPU time of this process (the simulation runs on one host thread; a
// loaded machine stretches wall time, not this).
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// The machine a scenario runs on: its config, with the random replacement
// policy's generator seeded from caches.seed and the scenario's seed
// together, so that `seed` reaches the host's randomness as well as the
// guest's (seed 1 keeps caches.seed as it is).
MachineConfig seeded_machine(const Scenario& s) {
  MachineConfig m = s.machine;
  if (s.seed != 1) m.hierarchy.seed = (m.hierarchy.seed ^ (s.seed - 1) * 0x9E3779B97F4A7C15ull) >> 1;  // within caches.seed's range
  return m;
}

// The progress line on a terminal: simulated time, share done, host MIPS.
//
// The guest's console goes to stdout; on the same terminal, a console line
// written while the progress line is up would be glued to it. So while the
// line is shown, stdout is fully buffered into `console_`, and at each
// update the line is erased, the console text written out, and the line
// drawn again below it, only when the console has ended its line (the
// console shows up to one progress step late).
class Progress {
 public:
  Progress(const Scenario& s, uint64_t duration_cycles, bool wanted)
      : s_(s), duration_(duration_cycles), tty_(wanted && isatty(STDERR_FILENO)), shared_(tty_ && isatty(STDOUT_FILENO)) {
    if (!shared_) return;
    std::fflush(stdout);
    std::setvbuf(stdout, console_, _IOFBF, sizeof console_);
  }
  ~Progress() {
    clear();
    if (!shared_) return;
    std::fflush(stdout);
    std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);  // glibc flushes before it swaps buffers
  }
  bool shown() const { return tty_; }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }
  void show(uint64_t cycles, uint64_t insns) {
    if (!tty_) return;
    if (shared_ && __fpending(stdout) > 0) {
      bool ends_line = console_[__fpending(stdout) - 1] == '\n';
      clear();
      std::fflush(stdout);
      at_line_start_ = ends_line;
    }
    if (!at_line_start_) return;
    double secs = seconds();
    std::fprintf(stderr, "\r%s: %.3f of %.3f ms simulated (%3.0f%%), %.1f MIPS\033[K", s_.name.c_str(),
                 s_.machine.cycles_to_ns(cycles) / 1e6, s_.duration_ns / 1e6, 100.0 * double(cycles) / double(duration_),
                 secs > 0 ? insns / secs / 1e6 : 0.0);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }

 private:
  const Scenario& s_;
  uint64_t duration_;
  bool tty_, shared_;           // the line is shown; stdout is the same terminal
  bool at_line_start_ = true;   // the console's last byte written out was a newline (or none yet)
  bool drawn_ = false;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  static inline char console_[1 << 20];
};

}  // namespace

ElfImage load_kernel(const Scenario& s) {
  const std::string path = kernel_image(s);
  const std::string where = s.kernel.empty() ? s.file + ": dusim's kernel: " : s.kernel_where;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw tools::InputError(where + "no such file: " + path);
  try {
    ElfImage image = ElfImage::load(path);
    check_image_fits(s.machine, image);
    return image;
  } catch (const BadElf& e) {
    throw tools::InputError(where + e.what());
  }
}

std::vector<uint8_t> packed_boot_args(const Scenario& s) {
  std::vector<uint8_t> packed = tools::pack_boot_args(boot_args(s));
  const uint64_t room = bootinfo::kSize - bootinfo::kArgs;
  if (packed.size() > room)
    throw tools::InputError(s.file + ": boot arguments are " + std::to_string(packed.size()) + " bytes; at most " +
                            std::to_string(room) + " fit in the boot-information block (seed, workloads and guest_args)");
  return packed;
}

Simulation::Simulation(const Scenario& s, const ElfImage& kernel, const std::vector<ModuleBuild>& modules,
                       const std::vector<uint8_t>& initrd)
    : s_(s), config_(seeded_machine(s)), machine_("machine", config_, kernel, packed_boot_args(s), initrd) {
  machine_.sample_traffic_every(std::max<uint64_t>(1, s.machine.ns_to_cycles(s.sample_ns)));
  // The coherence windows end where updates end: sample exactly there too.
  const report::UpdateEvents& k = report::update_events();
  machine_.sample_traffic_on_events({k.applied.id(), k.aborted.id(), k.rejected.id()});
  for (size_t k = 0; k < s.updates.size(); ++k)
    machine_.schedule_blob(s.machine.ns_to_cycles(s.updates[k].at_ns), modules[k].bytes, s.updates[k].cpu);
}

uint64_t Simulation::instructions() {
  uint64_t insns = 0;
  for (unsigned n = 0; n < machine_.cpu_count(); ++n) insns += machine_.cpu(n).cpu.icount;
  return insns;
}

std::vector<report::ObjectTraffic> Simulation::object_traffic() {
  std::vector<report::ObjectTraffic> out;
  const coherence::MemorySystem* ms = machine_.memory_system();
  if (!ms) return out;
  const auto& ranges = ms->ranges().all();
  for (unsigned r = 0; r < ranges.size(); ++r) {
    report::ObjectTraffic o{ranges[r].name, ranges[r].base, ranges[r].size};
    for (unsigned c = 0; c < machine_.config().cpus; ++c) {
      for (auto port : {coherence::MemorySystem::Port::Data, coherence::MemorySystem::Port::Instruction}) {
        const coherence::CacheCounters& k = ms->ranged_stats(int(c), port).range(r);
        o.misses += k.misses();
        o.invalidations += k.invalidations_received;
        o.c2c += k.c2c_received;
        o.upgrades += k.upgrades;
        o.writebacks += k.writebacks;
      }
      o.stall_cycles += machine_.cpu(c).stall_by_range[r];
    }
    out.push_back(o);
  }
  return out;
}

report::RunData Simulation::run(bool show_progress) {
  const uint64_t duration = s_.machine.ns_to_cycles(s_.duration_ns);
  double secs = 0;
  const double cpu0 = process_cpu_seconds();
  Machine::Result r;
  machine_.stop_when(tools::interrupt_flag());  // SIGINT, SIGTERM: stop at the next quantum (common/interrupt.h)
  {
    Progress progress(s_, duration, show_progress);
    r = machine_.run(
        duration, [&](uint64_t cycles) { if (progress.shown()) progress.show(cycles, instructions()); },
        std::max<uint64_t>(1, duration / 100));
    secs = progress.seconds();
  }

  report::RunData run;
  run.scenario = &s_;
  run.events = &machine_.events().events();
  run.samples = &machine_.traffic_samples();
  run.final_sample.cycles = r.end_cycles;
  for (unsigned n = 0; n < machine_.cpu_count(); ++n) run.final_sample.cpus.push_back(machine_.traffic(n));
  run.objects = object_traffic();
  run.outcome = r.outcome;
  run.exit_code = r.exit_code;
  run.end_ns = r.outcome == Machine::Outcome::LimitReached ? s_.duration_ns
                                                          : std::min(s_.duration_ns, s_.machine.cycles_to_ns(r.end_cycles));
  run.fault = r.fault;
  run.host_seconds = secs;
  run.cpu_seconds = process_cpu_seconds() - cpu0;
  run.mips = secs > 0 ? instructions() / secs / 1e6 : 0;
  return run;
}

}  // namespace dusim::scenario
