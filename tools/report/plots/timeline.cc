// The update timeline: what the mechanism did on each CPU, in absolute time.
//
// Lanes, per CPU, top to bottom: the envelopes (phases that contain others,
// e.g. INIT, INSTANCE_SWAPS) as brackets, one lane per nesting level; the
// phases themselves as bars; the calls the mediator held, as bars. Phases
// that overlap on one CPU (two threads) get a second lane rather than
// hiding each other. A bar is at least 2 px wide, so the shortest phases
// (a QUIESCE of 0.1 µs beside a FORWARD of 160 µs) stay visible; the x axis
// zooms (wheel) and pans (drag), and each mark's tooltip has its numbers.
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "report/phase_style.h"
#include "report/plots/plots.h"
#include "report/units.h"
#include "report/update_phases.h"

namespace dusim::report::plots {

namespace {

enum class Kind { Envelope, Phase, Blocked };
const char* const kKindNames[] = {"envelope", "phase", "blocked call"};

// Rows within a (CPU, kind): the first row whose last mark ended before
// this one starts (input in start order, outer envelopes first).
class Lanes {
 public:
  unsigned place(unsigned cpu, Kind k, double start, double end) {
    std::vector<double>& ends = rows_[{cpu, int(k)}];
    for (unsigned r = 0; r < ends.size(); ++r)
      if (ends[r] <= start) {
        ends[r] = end;
        return r;
      }
    ends.push_back(end);
    return unsigned(ends.size() - 1);
  }
  unsigned count(unsigned cpu, Kind k) const {
    auto it = rows_.find({cpu, int(k)});
    return it == rows_.end() ? 0 : unsigned(it->second.size());
  }

 private:
  std::map<std::pair<unsigned, int>, std::vector<double>> rows_;
};

std::string lane_name(unsigned cpu, Kind k, unsigned row) {
  static const char* const words[] = {"envelope", "phases", "blocked calls"};
  std::string s = "cpu " + std::to_string(cpu) + " · " + words[int(k)];
  if (row > 0) s += k == Kind::Envelope ? " (nested " + std::to_string(row) + ")" : " " + std::to_string(row + 1);
  return s;
}

json colour_scale() {
  json domain = json::array(), range = json::array();
  for (const PhaseStyle& p : phase_styles()) domain.push_back(std::string(p.name)), range.push_back(p.colour);
  domain.push_back(kBlockedCallName), range.push_back(kBlockedCallColour);
  return {{"domain", domain}, {"range", range}};
}

json tooltip() {
  return json::array({{{"field", "name"}, {"title", "phase"}},
                      {{"field", "kind"}, {"title", "kind"}},
                      {{"field", "cpu"}, {"title", "CPU"}},
                      {{"field", "object"}, {"title", "object"}},
                      {{"field", "start_us"}, {"title", "start (µs)"}, {"format", ",.3f"}},
                      {{"field", "duration_us"}, {"title", "duration (µs)"}, {"format", ",.3f"}},
                      {{"field", "note"}, {"title", "note"}}});
}

// One row per phase, envelope and blocked call, each in its lane; and the lanes in display order.
struct TimelineRows {
  json rows = json::array();
  json order = json::array();
};

double us(uint64_t ns) { return double(ns) / 1e3; }

TimelineRows timeline_rows(const json& u, unsigned cpus, const std::vector<BlockedCall>& calls) {
  const std::vector<PhaseSpan> spans = phases_in_time_order(u["phases"]);
  const std::vector<ObjectSwap> swaps = object_swaps(u["phases"]);
  Lanes lanes;
  TimelineRows t;
  auto add = [&](const std::string& name, Kind k, unsigned cpu, uint64_t object, double s, double e, const std::string& note) {
    unsigned r = lanes.place(cpu, k, s, e);
    t.rows.push_back({{"name", name}, {"kind", kKindNames[int(k)]}, {"cpu", cpu}, {"object", object},
                      {"lane", lane_name(cpu, k, r)}, {"start_us", s}, {"end_us", e},
                      {"duration_us", std::round((e - s) * 1e3) / 1e3}, {"note", note}});
  };
  for (const PhaseSpan& p : spans) {
    add(p.name, p.envelope ? Kind::Envelope : Kind::Phase, p.cpu, p.object, us(p.start_ns), us(p.end_ns),
        p.envelope ? envelope_label(p, swaps) : std::string(phase_style(p.name).role));
    if (p.envelope) {  // the bracket's label: what it holds, briefly
      EnvelopeContents c = contents_of(p, swaps);
      t.rows.back()["short_note"] = c.swaps ? std::to_string(c.swaps) + (c.swaps == 1 ? " swap" : " swaps") + ", longest " + duration(c.longest_ns)
                                            : std::string(phase_style(p.name).role);
    }
  }
  for (const BlockedCall& c : calls)
    add(kBlockedCallName, Kind::Blocked, c.cpu, c.object, c.start_us, c.start_us + c.us, "thread " + std::to_string(c.thread));
  for (unsigned cpu = 0; cpu < cpus; ++cpu)
    for (Kind k : {Kind::Envelope, Kind::Phase, Kind::Blocked})
      for (unsigned r = 0; r < lanes.count(cpu, k); ++r) t.order.push_back(lane_name(cpu, k, r));
  return t;
}

// The update's dashed lines: the module's delivery, and its end if it ended.
json update_marks(const json& u, uint64_t t0, uint64_t t1) {
  // Labels to the right of the delivery line, to the left of the end line.
  json marks = json::array({{{"t", us(t0)}, {"label", "module delivered " + time_us(t0)}, {"align", "left"}}});
  if (!u["completed_ns"].is_null())
    marks.push_back({{"t", us(t1)}, {"label", u["status"].get<std::string>() + " " + time_us(t1)}, {"align", "right"}});
  return marks;
}

// The layers that draw the phases (bars), the envelopes (brackets with labels) and the marks.
json timeline_layers(const json& x, const json& y, const json& colour, const json& order, const json& marks) {
  auto only = [](const char* kind, bool is) {
    return json::array({{{"filter", std::string("datum.kind ") + (is ? "==" : "!=") + " '" + kind + "'"}}});
  };
  auto lane_only = [&](json enc) {
    enc["y"] = {{"field", "lane"}, {"type", "nominal"}, {"sort", order}};
    return enc;
  };
  auto mark_label = [&](const char* align, int dx) {
    return json{{"name", std::string(align) == "left" ? "event_labels" : "end_labels"},
                {"data", {{"values", marks}}},
                {"transform", json::array({{{"filter", std::string("datum.align == '") + align + "'"}}})},
                {"mark", {{"type", "text"}, {"baseline", "top"}, {"fontSize", 10}, {"color", "#222"}, {"align", align}, {"dx", dx}}},
                {"encoding", {{"x", {{"field", "t"}, {"type", "quantitative"}}}, {"y", {{"value", 2}}}, {"text", {{"field", "label"}}}}}};
  };
  return json::array({
      {{"name", "phases"},
       {"transform", only("envelope", false)},
       {"mark", {{"type", "bar"}, {"clip", true}, {"x2", {{"expr", "max(scale('x', datum.end_us), scale('x', datum.start_us) + 2)"}}}}},
       {"params", json::array({{{"name", "zoom"}, {"select", {{"type", "interval"}, {"encodings", {"x"}}}}, {"bind", "scales"}}})},
       {"encoding", {{"x", x}, {"y", y}, {"color", colour}, {"tooltip", tooltip()},
                     {"order", {{"field", "duration_us"}, {"sort", "descending"}}}}}},
      {{"name", "envelopes"},
       {"transform", only("envelope", true)},
       {"mark", {{"type", "rule"}, {"strokeWidth", 2}, {"clip", true}, {"yOffset", 5}}},
       {"encoding", lane_only({{"x", {{"field", "start_us"}, {"type", "quantitative"}}}, {"x2", {{"field", "end_us"}}},
                               {"color", colour}, {"tooltip", tooltip()}})}},
      {{"name", "envelope_ends"},
       {"transform", json::array({{{"filter", "datum.kind == 'envelope'"}}, {{"fold", {"start_us", "end_us"}}, {"as", {"edge", "at_us"}}}})},
       {"mark", {{"type", "tick"}, {"orient", "vertical"}, {"thickness", 2}, {"size", 10}, {"clip", true}, {"yOffset", 5}}},
       {"encoding", lane_only({{"x", {{"field", "at_us"}, {"type", "quantitative"}}}, {"color", colour}, {"tooltip", tooltip()}})}},
      {{"name", "envelope_labels"},
       {"transform", json::array({{{"filter", "datum.kind == 'envelope'"}},
                                  {{"calculate", "datum.name + ': ' + datum.short_note"}, {"as", "label"}}})},
       // As long as the bracket is wide (the whole note is in the tooltip).
       {"mark", {{"type", "text"}, {"align", "left"}, {"baseline", "bottom"}, {"dx", 3}, {"dy", 3}, {"fontSize", 10}, {"clip", true},
                 {"limit", {{"expr", "max(1, scale('x', datum.end_us) - scale('x', datum.start_us) - 6)"}}}}},
       {"encoding", lane_only({{"x", {{"field", "start_us"}, {"type", "quantitative"}}}, {"text", {{"field", "label"}}}})}},
      {{"name", "events"},
       {"data", {{"values", marks}}},
       {"mark", {{"type", "rule"}, {"strokeDash", {4, 3}}, {"color", "#222"}}},
       {"encoding", {{"x", {{"field", "t"}, {"type", "quantitative"}}}}}},
      mark_label("left", 3),
      mark_label("right", -3),
  });
}

}  // namespace

json timeline(const json& report, size_t index, const std::vector<BlockedCall>& calls) {
  const json& u = report["updates"][index];
  const TimelineRows t = timeline_rows(u, report["machine"]["cpus"].get<unsigned>(), calls);

  // The x range: from the module's delivery to the update's end (or the run's).
  const uint64_t t0 = u["requested_ns"].get<uint64_t>();
  const uint64_t t1 = u["completed_ns"].is_null() ? report["run"]["end_ns"].get<uint64_t>() : u["completed_ns"].get<uint64_t>();
  double first = us(t0), last = us(std::max(t1, t0 + 1));
  for (const json& r : t.rows) first = std::min(first, r["start_us"].get<double>()), last = std::max(last, r["end_us"].get<double>());
  const double pad = (last - first) * 0.02;

  const json y = {{"field", "lane"}, {"type", "nominal"}, {"sort", t.order}, {"title", nullptr},
                  {"axis", {{"labelLimit", 220}, {"ticks", false}, {"domain", false}}}};
  const json x = {{"field", "start_us"}, {"type", "quantitative"}, {"stack", nullptr},
                  {"title", "time since boot (µs)"},
                  {"scale", {{"domain", {first - pad, last + pad}}, {"nice", false}, {"zero", false}}},
                  {"axis", {{"format", ",.1f"}, {"grid", true}, {"tickCount", 12}}}};
  const json colour = {{"field", "name"}, {"type", "nominal"}, {"title", "phase"}, {"scale", colour_scale()},
                       {"legend", {{"orient", "bottom"}, {"columns", 7}, {"symbolType", "square"}, {"symbolOpacity", 1}}}};

  json spec = frame("update " + u["name"].get<std::string>() + ": " + u["status"].get<std::string>() + ", latency " +
                        (u["latency_ns"].is_null() ? std::string("- (it did not end)") : duration(u["latency_ns"].get<uint64_t>())),
                    "every phase on every CPU, absolute time; brackets are envelopes (phases that hold others); "
                    "wheel to zoom, drag to pan, hover for numbers");
  spec["height"] = {{"step", 20}};
  spec["data"] = {{"values", t.rows}};
  spec["layer"] = timeline_layers(x, y, colour, t.order, update_marks(u, t0, t1));
  return spec;
}

}  // namespace dusim::report::plots
