// report.html: one self-contained page (no network, no other file) built
// from report.json and trace.json. Numbers are in tables written here (they
// read without the script); the plots are Vega-Lite specs (plots/) drawn by
// the embedded library: per update its timeline and, with many blocked
// calls, their distribution; traffic over time per CPU; rates before,
// during and after. Sections, in order: checks, updates, each update's
// timeline, phases and blocked calls, coherence traffic, guest objects,
// metrics.
#include <algorithm>
#include <map>
#include <set>

#include "report/html_page.h"
#include "report/phase_style.h"
#include "report/plots/plots.h"
#include "report/report_builder.h"
#include "report/units.h"
#include "report/update_phases.h"
#include "report/web_assets.h"

namespace dusim::report {

using json = nlohmann::ordered_json;
using html::escape;

namespace {

// Up to this many blocked calls are listed; more are a histogram.
constexpr size_t kBlockedTableMax = 12;

std::string num(uint64_t v) { return thousands(v); }
std::string maybe_duration(const json& ns) { return ns.is_null() ? "–" : duration(ns.get<uint64_t>()); }
std::string maybe_time(const json& ns) { return ns.is_null() ? "–" : time_us(ns.get<uint64_t>()); }

std::string value_text(const json& v) {
  if (v.is_null()) return "–";
  if (v.is_number_unsigned()) return thousands(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) return rate(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string header(const json& r) {
  const json& m = r["machine"];
  std::string meta = escape(r["description"].get<std::string>()) + "<br>" + std::to_string(m["cpus"].get<unsigned>()) + " CPUs, " +
                     escape(m["protocol"].get<std::string>()) + ", quantum " + num(m["quantum_cycles"].get<uint64_t>()) +
                     " cycles, " + fixed(m["clock_hz"].get<double>() / 1e6, 0) + " MHz; seed " + num(r["seed"].get<uint64_t>()) +
                     "; " + duration(r["run"]["end_ns"].get<uint64_t>()) + " simulated (" + escape(r["run"]["outcome"].get<std::string>()) + ")";
  if (!m["overrides"].empty()) {
    std::string o;
    for (const json& x : m["overrides"]) o += (o.empty() ? "" : ", ") + x.get<std::string>();
    meta += "; overrides " + escape(o);
  }
  return "<h1>" + escape(r["scenario"].get<std::string>()) + "</h1>\n<p class=\"meta\">" + meta + "</p>\n" +
         "<nav><a href=\"#checks\">checks</a><a href=\"#updates\">updates</a><a href=\"#timelines\">timelines</a>"
         "<a href=\"#traffic\">coherence traffic</a><a href=\"#objects\">guest objects</a><a href=\"#metrics\">metrics</a></nav>\n";
}

std::string checks_section(const json& r) {
  html::Table t({"result", "check", "expected", "got", "what it is"});
  unsigned failed = 0;
  for (const json& c : r["checks"]) {
    bool ok = c["passed"].get<bool>();
    failed += !ok;
    t.row({ok ? "<span class=\"pass\">PASS</span>" : "<span class=\"fail\">FAIL</span>", escape(c["name"].get<std::string>()),
           "<code>" + escape(c.value("expected", "")) + "</code>", escape(c.value("actual", "")), escape(c.value("meaning", ""))},
          ok ? "" : "bad");
  }
  std::string summary = std::to_string(r["checks"].size() - failed) + " of " + std::to_string(r["checks"].size()) + " checks passed";
  return "<h2 id=\"checks\">Checks</h2>\n<p>" + summary + "</p>\n" + t.html("checks-table");
}

std::string updates_section(const json& r) {
  html::Table t({"update (module)", "status", "delivered", "ended", "latency", "objects swapped", "longest single swap",
                 "blocked calls", "longest blocked", "state transfers"},
                {false, false, true, true, true, true, true, true, true, true});
  for (const json& u : r["updates"]) {
    const json& b = u["blocked_calls"];
    const json& x = u["state_transfers"];
    t.row({escape(u["name"].get<std::string>()) + "<br><code class=\"small nowrap\">" + escape(u["module"].get<std::string>()) + "</code>",
           escape(u["status"].get<std::string>()), time_us(u["requested_ns"].get<uint64_t>()), maybe_time(u["completed_ns"]),
           maybe_duration(u["latency_ns"]), num(u["objects_swapped"].get<uint64_t>()),
           u["swaps"]["count"].get<uint64_t>() ? duration(u["swaps"]["max_ns"].get<uint64_t>()) : "–", num(b["count"].get<uint64_t>()),
           b["count"].get<uint64_t>() ? duration(b["max_ns"].get<uint64_t>()) : "–",
           num(x["count"].get<uint64_t>()) + ", " + num(x["bytes"].get<uint64_t>()) + " bytes"});
  }
  if (r["updates"].empty()) return "<h2 id=\"updates\">Updates</h2>\n<p>The scenario has no updates.</p>\n";
  return "<h2 id=\"updates\">Updates</h2>\n" + t.html("updates-table");
}

std::string phase_cell(const std::string& name, bool indent) {
  return std::string("<span class=\"nowrap\">") + (indent ? "&nbsp;&nbsp;" : "") + html::swatch(phase_style(name).colour) +
         escape(name) + "</span>";
}

// Every phase in time order, or, for an update with many (a class update's
// hundreds of instance swaps), one line per phase name.
std::string phase_table(const json& u, size_t index) {
  const std::vector<PhaseSpan> spans = phases_in_time_order(u["phases"]);
  const std::vector<ObjectSwap> swaps = object_swaps(u["phases"]);
  const std::string id = "phases-" + std::to_string(index);
  if (spans.empty()) return "<p>No phase was recorded.</p>\n";
  if (spans.size() <= kPhasesListedOneByOne) {
    html::Table t({"start", "duration", "CPU", "object", "phase", "what"}, {true, true, true, true, false, false});
    for (const PhaseSpan& p : spans)
      t.row({time_us(p.start_ns), duration(p.ns()), std::to_string(p.cpu), num(p.object), phase_cell(p.name, !p.envelope),
             escape(p.envelope ? envelope_label(p, swaps) : phase_style(p.name).role)});
    return "<h3>Phases, in time order</h3>\n" + t.html(id);
  }
  struct Group {
    size_t count = 0;
    std::set<unsigned> cpus;
    uint64_t first = ~uint64_t(0), last = 0;
    std::vector<uint64_t> ns;
    bool envelope = false;
    const PhaseSpan* only = nullptr;
  };
  std::vector<std::string> order;
  std::map<std::string, Group> groups;
  for (const PhaseSpan& p : spans) {
    auto [it, fresh] = groups.try_emplace(p.name);
    if (fresh) order.push_back(p.name);
    Group& g = it->second;
    ++g.count, g.cpus.insert(p.cpu), g.first = std::min(g.first, p.start_ns), g.last = std::max(g.last, p.end_ns);
    g.ns.push_back(p.ns()), g.envelope = p.envelope, g.only = &p;
  }
  html::Table t({"first start", "last end", "phase", "times", "CPUs", "median", "longest", "what"},
                {true, true, false, true, true, true, true, false});
  for (const std::string& name : order) {
    Group& g = groups[name];
    std::sort(g.ns.begin(), g.ns.end());
    std::string what = g.envelope && g.count == 1 ? envelope_label(*g.only, swaps) : std::string(phase_style(name).role);
    t.row({time_us(g.first), time_us(g.last), phase_cell(name, !g.envelope), num(g.count), std::to_string(g.cpus.size()),
           duration(g.ns[(g.ns.size() - 1) / 2]), duration(g.ns.back()), escape(what)});
  }
  return "<h3>Phases, in time order of first start (" + num(spans.size()) +
         " phases, grouped by name; every one is in report.json, updates[" + std::to_string(index) + "].phases)</h3>\n" + t.html(id);
}

std::string blocked_section(const json& u, size_t index, const std::vector<plots::BlockedCall>& calls) {
  if (calls.empty()) return "<h3>Blocked calls</h3>\n<p>No call was blocked.</p>\n";
  if (calls.size() <= kBlockedTableMax) {
    html::Table t({"held from", "held for", "CPU", "object", "thread"}, {true, true, true, true, true});
    for (const plots::BlockedCall& c : calls)
      t.row({fixed(c.start_us, 3) + " µs", duration(uint64_t(c.us * 1e3 + 0.5)), std::to_string(c.cpu), num(c.object), num(c.thread)});
    return "<h3>Blocked calls: " + std::to_string(calls.size()) + " (few enough to list)</h3>\n" + t.html("blocked-" + std::to_string(index));
  }
  return "<h3>Blocked calls</h3>\n" + html::plot("plot-blocked-" + std::to_string(index), plots::blocked_histogram(u, calls));
}

std::string timelines_section(const json& r, const json& trace) {
  std::string s = "<h2 id=\"timelines\">Update timelines</h2>\n";
  if (r["updates"].empty()) return s + "<p>The scenario has no updates.</p>\n";
  std::vector<plots::BlockedCall> all = plots::blocked_calls(trace);
  std::string legend;
  for (const PhaseStyle& p : phase_styles())
    legend += html::swatch(p.colour) + "<b>" + std::string(p.name) + "</b> " + p.role + (p.envelope ? " (envelope)" : "") + "; ";
  s += "<p class=\"note\">Colours (the same in trace.json and the terminal summary): " + legend + html::swatch(kBlockedCallColour) +
       "<b>blocked call</b> a call held by the mediator.</p>\n";
  for (size_t k = 0; k < r["updates"].size(); ++k) {
    const json& u = r["updates"][k];
    std::vector<plots::BlockedCall> calls = plots::blocked_calls_of(all, k);
    s += "<h3>Update " + escape(u["name"].get<std::string>()) + "</h3>\n" + html::plot("plot-timeline-" + std::to_string(k), plots::timeline(r, k, calls)) +
         phase_table(u, k) + blocked_section(u, k, calls);
  }
  return s;
}

std::string traffic_section(const json& r, const json& trace) {
  static const char* const keys[] = {"misses", "invalidations", "c2c_transfers", "bus_transactions", "instructions"};
  html::Table t({"window", "from", "to", "L1 misses /µs", "invalidations /µs", "c2c transfers /µs", "bus transactions /µs", "instructions /µs"},
                {false, true, true, true, true, true, true, true});
  for (const char* w : {"before", "during", "after"}) {
    const json& win = r["coherence"][w];
    std::vector<std::string> cells{w, time_us(win["start_ns"].get<uint64_t>()), time_us(win["end_ns"].get<uint64_t>())};
    for (const char* k : keys) cells.push_back(value_text(win["per_us"][k]));
    t.row(cells);
  }
  return "<h2 id=\"traffic\">Coherence traffic</h2>\n" + html::plot("plot-traffic", plots::traffic(r, trace)) +
         html::plot("plot-rates", plots::rates(r)) + "<h3>Rates per µs, all CPUs</h3>\n" + t.html("rates-table");
}

std::string objects_section(const json& r) {
  html::Table t({"object", "base", "size (bytes)", "misses", "invalidations", "c2c transfers", "upgrades", "writebacks", "stall cycles"},
                {false, true, true, true, true, true, true, true, true});
  for (const json& o : r["objects"]) {
    char base[32];
    std::snprintf(base, sizeof base, "0x%llx", static_cast<unsigned long long>(o["base"].get<uint64_t>()));
    t.row({escape(o["name"].get<std::string>()), base, num(o["size"].get<uint64_t>()), num(o["misses"].get<uint64_t>()),
           num(o["invalidations"].get<uint64_t>()), num(o["c2c_transfers"].get<uint64_t>()), num(o["upgrades"].get<uint64_t>()),
           num(o["writebacks"].get<uint64_t>()), num(o["stall_cycles"].get<uint64_t>())});
  }
  std::string note = "<p class=\"note\">Coherence traffic on each address range the guest registered (checks name them as "
                     "<code>objects[i]</code> or <code>objects[NAME]</code>).</p>\n";
  return "<h2 id=\"objects\">Guest objects</h2>\n" + (t.rows() ? note + t.html("objects-table") : "<p>The guest registered no object.</p>\n");
}

std::string metrics_section(const json& r) {
  html::Table t({"metric", "value", "unit", "window", "what it is"}, {false, true, false, false, false});
  for (const auto& [name, v] : r["metrics"].items()) {
    const json& d = r["metric_definitions"][name];
    t.row({"<code>" + escape(name) + "</code>", value_text(v), escape(d.value("unit", "")), escape(d.value("window", "")),
           escape(d.value("meaning", ""))});
  }
  return "<h2 id=\"metrics\">Metrics</h2>\n" + (t.rows() ? t.html("metrics-table") : "<p>The scenario defines no metrics.</p>\n");
}

}  // namespace

std::string build_html(const json& report, const json& trace) {
  std::string body = header(report) + checks_section(report) + updates_section(report) + timelines_section(report, trace) +
                     traffic_section(report, trace) + objects_section(report) + metrics_section(report);
  body += "<footer>dusim report, built from report.json and trace.json. Plots: Vega-Lite (" + std::string(web::plot_library_versions()) +
          ", BSD-3-Clause), embedded; each plot's … menu shows its spec (re-plot it with Altair: alt.Chart.from_dict) or saves "
          "it as SVG or PNG. Host: " + fixed(report["host"]["wall_seconds"].get<double>(), 2) + " s, " +
          fixed(report["host"]["mips"].get<double>(), 1) + " MIPS (the only numbers that differ between identical runs).</footer>\n";
  return html::page("dusim: " + report["scenario"].get<std::string>(), body);
}

}  // namespace dusim::report
