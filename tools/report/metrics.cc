// metrics of report.json: the scenario's own numbers, each one operation
// over the values of one event's argument in one window.
#include <algorithm>
#include <cmath>

#include "report/report_parts.h"

namespace dusim::report {

using json = nlohmann::ordered_json;
using scenario::MetricOp;
using scenario::Window;

namespace {

// Inclusive bounds in ns; empty when lo > hi.
struct Span {
  uint64_t lo, hi;
  bool contains(uint64_t t) const { return t >= lo && t <= hi; }
};

constexpr uint64_t kEver = ~uint64_t(0);
constexpr Span kNever{1, 0};

Span span_of(Window w, const UpdateBounds& b) {
  if (w == Window::All) return {0, kEver};
  if (!b.have_updates) return w == Window::Before ? Span{0, kEver} : kNever;
  switch (w) {
    case Window::Before:
      return b.first_requested_ns == 0 ? kNever : Span{0, b.first_requested_ns - 1};
    case Window::During:
      return {b.first_requested_ns, b.last_done_ns};
    default:
      return {b.last_done_ns + 1, kEver};
  }
}

json reduce(MetricOp op, const std::vector<uint64_t>& values) {
  if (values.empty()) return nullptr;
  uint64_t sum = 0;
  for (uint64_t v : values) sum += v;
  switch (op) {
    case MetricOp::Count:
      return values.size();
    case MetricOp::Sum:
      return sum;
    case MetricOp::Mean:
      return std::round(double(sum) / double(values.size()) * 1e6) / 1e6;  // a fraction, 6 places
    case MetricOp::Max:
      return *std::max_element(values.begin(), values.end());
    case MetricOp::Min:
      return *std::min_element(values.begin(), values.end());
    case MetricOp::P50:
      return percentile(values, 0.50);
    case MetricOp::P99:
      return percentile(values, 0.99);
  }
  return nullptr;
}

}  // namespace

uint64_t percentile(std::vector<uint64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = size_t(p * double(v.size()) + 0.999999);
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

json metric_value(const Ctx& c, const scenario::Metric& m, const UpdateBounds& b) {
  const Span span = span_of(m.window, b);
  std::vector<uint64_t> values;
  uint64_t count = 0;
  for (const Event& e : *c.run.events) {
    if (e.id != m.event_id || !span.contains(c.ns(e.cycles))) continue;
    bool match = true;
    for (const auto& [name, w] : m.where) match = match && e.args[w.arg_index] == w.value;
    if (!match) continue;
    ++count;
    if (m.arg_index >= 0) values.push_back(m.ns ? c.ns(e.args[m.arg_index]) : e.args[m.arg_index]);
  }
  if (m.op == MetricOp::Count) return count;
  return reduce(m.op, values);
}

}  // namespace dusim::report
