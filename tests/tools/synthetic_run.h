// A run made by hand for the report's unit tests: a 4-CPU machine whose
// clock makes a cycle a nanosecond, one update ("fix", delivered at 1000 ns)
// with every kind of update event, traffic samples and a guest object; no
// simulation. Events are placed by name through the catalog.
#pragma once

#include "platform/event_catalog.h"
#include "report/report_builder.h"
#include "report/run_data.h"

namespace dusim::fixture {

inline Event make_event(const char* name, std::initializer_list<std::pair<const char*, uint64_t>> args, uint64_t cycles, uint32_t cpu) {
  const report::EventInfo* info = report::event_by_name(name);
  Event e{cycles, cpu, info->id, {}};
  for (auto [arg, v] : args) e.args[report::arg_index(*info, arg)] = v;
  return e;
}

struct SyntheticRun {
  scenario::Scenario s;
  std::vector<Event> events;
  std::vector<Machine::TrafficSample> samples;
  report::RunData run;

  void phase(uint64_t id, uint64_t object, uint64_t from, uint64_t to, uint32_t cpu = 0) {
    events.push_back(make_event("PHASE_BEGIN", {{"update_seq", 1}, {"phase", id}, {"object", object}}, from, cpu));
    events.push_back(make_event("PHASE_END", {{"update_seq", 1}, {"phase", id}, {"object", object}}, to, cpu));
  }

  SyntheticRun() {
    s.name = "synthetic";
    s.machine.clock_hz = 1'000'000'000;
    s.machine.cpus = 4;
    s.duration_ns = 10'000;
    scenario::Update u;
    u.name = "fix";
    u.at_ns = 1000;
    u.module = u.module_as_written = "fix.cc";
    s.updates.push_back(u);
    // A program that runs across the update, one of whose calls is held (thread 3), and is killed after it.
    scenario::Program prog;
    prog.name = "toucher";
    prog.source = prog.as_written = "toucher.c";
    prog.cpu = 1;
    s.programs.push_back(prog);
    events.push_back(make_event("PROGRAM_START", {{"program", 0}, {"asid", 1}, {"elf_bytes", 9000}, {"pid", 1000}}, 100, 1));
    events.push_back(make_event("PROGRAM_THREAD", {{"program", 0}, {"thread_id", 3}, {"tid", 1000}}, 110, 1));
    events.push_back(make_event("PROGRAM_FAULT", {{"program", 0}, {"ea", 0x10000000}, {"latency_cycles", 900}}, 120, 1));
    events.push_back(make_event("PROGRAM_SYSCALL", {{"program", 0}, {"nr", 20}, {"latency_cycles", 300}, {"thread_id", 3}}, 400, 1));
    events.push_back(make_event("PROGRAM_SYSCALL", {{"program", 0}, {"nr", 20}, {"latency_cycles", 700}, {"thread_id", 3}}, 1500, 1));
    events.push_back(make_event("PROGRAM_SYSCALL", {{"program", 0}, {"nr", 20}, {"latency_cycles", 310}, {"thread_id", 3}}, 2500, 1));
    events.push_back(make_event("PROGRAM_KILLED", {{"program", 0}, {"signal", 11}, {"pc", 0x10000100}, {"dar", 0}}, 2900, 1));
    events.push_back(make_event("PROGRAM_END", {{"program", 0}, {"status", 139}, {"syscalls", 3}, {"faults", 1}, {"output_bytes", 12}, {"output_digest", 0x1234}}, 3000, 1));
    events.push_back(make_event("WORKLOAD_CALL", {{"latency_cycles", 5}}, 500, 1));
    events.push_back(make_event("MODULE_RECEIVED", {{"update_seq", 1}, {"bytes", 100}}, 1010, 0));
    phase(1, 0, 1020, 1100);  // LOAD
    events.push_back(make_event("MODULE_LOADED", {{"update_seq", 1}}, 1100, 0));
    phase(12, 0, 1110, 2000);  // INIT, around the rest
    events.push_back(make_event("VERSION_CHECK", {{"update_seq", 1}, {"running_version", 0}, {"new_version", 1}, {"accepted", 1}}, 1115, 0));
    phase(2, 7, 1115, 1120);  // VERSION
    for (uint64_t id = 4; id <= 10; ++id) phase(id, 7, 1100 + id * 20, 1110 + id * 20);  // INTERPOSE .. DESTROY of object 7
    events.push_back(make_event("CALL_RELEASED", {{"update_seq", 1}, {"object", 7}, {"thread_id", 3}, {"blocked_cycles", 40}}, 1290, 2));
    events.push_back(make_event("STATE_TRANSFER", {{"update_seq", 1}, {"object", 7}, {"bytes", 64}}, 1260, 0));
    events.push_back(make_event("FACTORY_SWAP", {{"update_seq", 1}, {"old_version", 0}, {"new_version", 1}, {"instances", 2}}, 1300, 0));
    events.push_back(make_event("UPDATE_APPLIED", {{"update_seq", 1}, {"objects_swapped", 1}}, 2000, 0));
    // The lifecycle after it: a lazy conversion, the converter done, a module unloaded.
    events.push_back(make_event("LAZY_CONVERTED", {{"update_seq", 1}, {"object", 8}, {"converted", 1}}, 2100, 1));
    events.push_back(make_event("LAZY_DONE", {{"update_seq", 1}, {"armed", 1}, {"converted", 1}}, 2200, 1));
    events.push_back(make_event("MODULE_UNLOADED", {{"update_seq", 1}, {"module_seq", 1}, {"base", 4096}, {"bytes", 512}}, 2300, 0));
    events.push_back(make_event("WORKLOAD_CALL", {{"latency_cycles", 7}}, 3000, 1));
    for (uint64_t t : {0, 1000, 2000, 5000}) {
      Machine::TrafficSample x;
      x.cycles = t;
      x.cpus.resize(4);
      for (auto& c : x.cpus) c.misses = t / 10, c.c2c = t / 100;
      samples.push_back(x);
    }
    scenario::Metric m;
    m.name = "calls_after";
    m.event = "WORKLOAD_CALL";
    m.event_id = report::event_by_name("WORKLOAD_CALL")->id;
    m.window = scenario::Window::After;
    s.metrics.push_back(m);
    run.scenario = &s;
    run.events = &events;
    run.samples = &samples;
    run.final_sample = samples.back();
    run.final_sample.cycles = 10'000;
    run.objects.push_back({"lock", 0x1000, 128, 1, 2, 3, 4, 5, 6});
    run.outcome = Machine::Outcome::Faulted;  // so that run.fault is there too
    run.fault = "a fault";
    run.end_ns = 10'000;
  }
};

}  // namespace dusim::fixture
