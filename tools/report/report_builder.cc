// report.json, section by section (report_parts.h), then the checks over it.
#include "report/report_builder.h"

#include "report/checks.h"
#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;

namespace {

json machine_section(const scenario::Scenario& s) {
  return {{"config", s.machine.name},
          {"cpus", s.machine.cpus},
          {"clock_hz", s.machine.clock_hz},
          {"quantum_cycles", s.machine.quantum_cycles},
          {"sync_policy", std::string(to_string(s.machine.sync_policy))},
          {"ipi_latency_cycles", s.machine.ipi_latency_cycles},
          {"caches", s.machine.caches},
          {"protocol", std::string(coherence::to_string(s.machine.hierarchy.protocol))},
          {"overrides", s.machine_overrides}};
}

json run_section(const RunData& run) {
  json j = {{"outcome", outcome_name(run.outcome)}, {"duration_ns", run.scenario->duration_ns}, {"end_ns", run.end_ns},
            {"exit_code", run.exit_code}, {"events", run.events->size()}};
  if (!run.fault.empty()) j["fault"] = run.fault;
  return j;
}

json objects_section(const RunData& run) {
  json objects = json::array();
  for (const ObjectTraffic& o : run.objects)
    objects.push_back({{"name", o.name}, {"base", o.base}, {"size", o.size}, {"misses", o.misses},
                       {"invalidations", o.invalidations}, {"c2c_transfers", o.c2c}, {"upgrades", o.upgrades},
                       {"writebacks", o.writebacks}, {"stall_cycles", o.stall_cycles}});
  return objects;
}

// No guest fault, each update's expected outcome, then the scenario's own.
json checks_section(const RunData& run, const json& r) {
  json checks = json::array();
  auto add = [&](const std::string& name, const CheckResult& c) {
    checks.push_back({{"name", name}, {"passed", c.passed}, {"detail", c.detail}, {"expected", c.expected},
                      {"actual", c.actual}, {"meaning", c.meaning}});
  };
  add("the run ended without a guest fault", evaluate_check("run.outcome != fault", r));
  for (const json& u : r["updates"]) {
    std::string name = u["name"].get<std::string>(), want = u["expected"].get<std::string>();
    add("update " + name + " is " + want, evaluate_check("updates[" + name + "].status == " + want, r));
  }
  for (const scenario::Check& ch : run.scenario->checks) add(ch.name, evaluate_check(ch.expect, r));
  return checks;
}

}  // namespace

json build_report(const RunData& run) {
  const scenario::Scenario& s = *run.scenario;
  Ctx c{run, s.machine};
  json r;
  r["scenario"] = s.name;
  r["description"] = s.description;
  r["seed"] = s.seed;
  r["machine"] = machine_section(s);
  r["run"] = run_section(run);
  UpdateBounds bounds;
  r["updates"] = updates_section(c, bounds);
  r["coherence"] = coherence_section(c, bounds);
  r["objects"] = objects_section(run);
  if (json vm = vm_section(c, bounds); !vm.is_null()) r["vm"] = vm;  // only with mmu=on: other reports unchanged
  if (json pr = programs_section(c, bounds); !pr.is_null()) r["programs"] = pr;  // only with programs
  json metrics = json::object(), definitions = json::object();
  for (const scenario::Metric& m : s.metrics) {
    metrics[m.name] = metric_value(c, m, bounds);
    definitions[m.name] = metric_definition(c, m, bounds);
  }
  r["metrics"] = metrics;
  r["metric_definitions"] = definitions;
  json checks = checks_section(run, r);  // over the report without checks and host
  r["checks"] = checks;
  r["host"] = {{"wall_seconds", run.host_seconds}, {"cpu_seconds", run.cpu_seconds}, {"mips", run.mips}};
  return r;
}

}  // namespace dusim::report
