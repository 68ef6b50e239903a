// metric_definitions of report.json: what each of the scenario's metrics is,
// in words and units, so the page, the summary and a failed check can say
// what a number means without the scenario file.
#include <fmt/format.h>

#include "platform/event_catalog.h"
#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;
using scenario::MetricOp;
using scenario::Window;

namespace {

std::string update_name(const Ctx& c, int k) {
  const auto& ups = c.run.scenario->updates;
  return k >= 0 && size_t(k) < ups.size() ? ups[k].name : "?";
}

std::string ms(uint64_t ns) { return fmt::format("{:.3f} ms", double(ns) / 1e6); }

// As the scenario writes it: before, after:fix, between:fix:revert, 1.000-2.000 ms.
std::string window_text(const Ctx& c, const scenario::MetricWindow& w) {
  switch (w.kind) {
    case Window::BeforeUpdate:
      return "before:" + update_name(c, w.update);
    case Window::AfterUpdate:
      return "after:" + update_name(c, w.update);
    case Window::Between:
      return "between:" + update_name(c, w.update) + ":" + update_name(c, w.until);
    case Window::Range:
      return w.to_ns == ~uint64_t(0) ? "from " + ms(w.from_ns) : ms(w.from_ns) + " to " + ms(w.to_ns);
    default:
      return scenario::to_name(scenario::kWindows, w.kind);
  }
}

std::string window_words(const Ctx& c, const scenario::MetricWindow& w) {
  switch (w.kind) {
    case Window::Before:
      return "before the first update was delivered";
    case Window::During:
      return "from the first update's delivery until the last one ended";
    case Window::After:
      return "after the last update ended";
    case Window::All:
      return "over the whole run";
    case Window::BeforeUpdate:
      return "before update " + update_name(c, w.update) + " was delivered";
    case Window::AfterUpdate:
      return "after update " + update_name(c, w.update) + " ended";
    case Window::Between:
      return "between the end of update " + update_name(c, w.update) + " and the delivery of update " +
             update_name(c, w.until);
    case Window::Range:
      return w.to_ns == ~uint64_t(0) ? "from " + ms(w.from_ns) + " on" : "from " + ms(w.from_ns) + " to " + ms(w.to_ns);
  }
  return "";
}

const char* op_words(MetricOp op) {
  switch (op) {
    case MetricOp::Count: return "number of";
    case MetricOp::Sum: return "sum of";
    case MetricOp::Mean: return "mean of";
    case MetricOp::Max: return "largest";
    case MetricOp::Min: return "smallest";
    case MetricOp::P50: return "median (p50) of";
    case MetricOp::P99: return "99th percentile of";
  }
  return "";
}

}  // namespace

json metric_definition(const Ctx& c, const scenario::Metric& m, const UpdateBounds& b) {
  const EventInfo* e = event_by_id(m.event_id);
  std::string subject = m.op == MetricOp::Count ? m.event + " events" : m.event + "." + m.arg;
  std::string meaning = std::string(op_words(m.op)) + " " + subject;
  if (e) meaning += std::string(" (") + e->description + ")";
  if (!m.where.empty()) {
    std::string w;
    for (const auto& [arg, match] : m.where) w += (w.empty() ? "" : " and ") + arg + " = " + std::to_string(match.value);
    meaning += " where " + w;
  }
  meaning += ", " + window_words(c, m.window);
  if (m.start_arg >= 0) meaning += " (by when each began: its time minus latency_cycles)";
  if (m.ns) meaning += ", in ns";
  json where = json::object();
  for (const auto& [arg, match] : m.where) where[arg] = match.value;
  auto span = window_span(m.window, b);
  json d = {{"op", scenario::to_name(scenario::kMetricOps, m.op)},
            {"event", m.event},
            {"argument", m.arg.empty() ? json(nullptr) : json(m.arg)},
            {"window", window_text(c, m.window)},
            {"where", where},
            {"unit", scenario::metric_unit(m)},
            {"meaning", meaning},
            {"from_ns", span ? json(span->first) : json(nullptr)},
            {"to_ns", span ? json(std::min(span->second == kEver ? c.run.end_ns : span->second + 1, c.run.end_ns))
                           : json(nullptr)}};
  return d;
}

}  // namespace dusim::report
