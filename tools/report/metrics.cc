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

constexpr Span kNever{1, 0};

Span span_of(const scenario::MetricWindow& w, const UpdateBounds& b) {
  auto s = window_span(w, b);
  return s ? Span{s->first, s->second} : kNever;
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

std::optional<std::pair<uint64_t, uint64_t>> window_span(const scenario::MetricWindow& w, const UpdateBounds& b) {
  using Bounds = std::optional<std::pair<uint64_t, uint64_t>>;
  auto upto = [](uint64_t t) -> Bounds {  // [0, t)
    if (t == 0) return std::nullopt;
    return std::pair<uint64_t, uint64_t>{0, t - 1};
  };
  auto from_after = [](std::optional<uint64_t> t) -> Bounds {  // (t, end]
    if (!t) return std::nullopt;
    return std::pair<uint64_t, uint64_t>{*t + 1, kEver};
  };
  auto one = [&](int k) { return k >= 0 && size_t(k) < b.each.size() ? b.each[k] : UpdateBounds::One{}; };
  switch (w.kind) {
    case Window::All:
      return std::pair<uint64_t, uint64_t>{0, kEver};
    case Window::Range:
      if (w.to_ns <= w.from_ns) return std::nullopt;
      return std::pair<uint64_t, uint64_t>{w.from_ns, w.to_ns - 1};
    case Window::BeforeUpdate:
      return upto(one(w.update).requested_ns);
    case Window::AfterUpdate:
      return from_after(one(w.update).done_ns);
    case Window::Between: {
      std::optional<uint64_t> a = one(w.update).done_ns;
      uint64_t until = one(w.until).requested_ns;
      if (!a || until <= *a + 1) return std::nullopt;
      return std::pair<uint64_t, uint64_t>{*a + 1, until - 1};
    }
    default:
      break;
  }
  if (!b.have_updates) {
    if (w.kind == Window::Before) return std::pair<uint64_t, uint64_t>{0, kEver};
    return std::nullopt;
  }
  if (w.kind == Window::Before) return upto(b.first_requested_ns);
  if (w.kind == Window::During) return std::pair<uint64_t, uint64_t>{b.first_requested_ns, b.last_done_ns};
  return from_after(b.last_done_ns);
}

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
    if (e.id != m.event_id) continue;
    const uint64_t at = m.start_arg >= 0 ? e.cycles - std::min(e.cycles, e.args[m.start_arg]) : e.cycles;
    if (!span.contains(c.ns(at))) continue;
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
