// How long the mediator held calls: a histogram of the blocked times of one
// update's calls (the page shows a table instead when there are few).
#include <algorithm>

#include "report/plots/plots.h"
#include "report/units.h"

namespace dusim::report::plots {

json blocked_histogram(const json& update, const std::vector<BlockedCall>& calls) {
  json rows = json::array();
  for (const BlockedCall& c : calls)
    rows.push_back({{"blocked_us", c.us}, {"cpu", c.cpu}, {"object", c.object}, {"thread", c.thread}});
  const json& b = update["blocked_calls"];
  json spec = frame("calls held by the mediator during update " + update["name"].get<std::string>() + ": " +
                        std::to_string(calls.size()) + " calls",
                    "median " + duration(b["p50_ns"].get<uint64_t>()) + ", p99 " + duration(b["p99_ns"].get<uint64_t>()) +
                        ", longest " + duration(b["max_ns"].get<uint64_t>()));
  spec["height"] = 200;
  spec["data"] = {{"values", rows}};
  spec["mark"] = {{"type", "bar"}, {"color", "#d62728"}, {"tooltip", true}};
  spec["name"] = "histogram";
  spec["encoding"] = {{"x", {{"field", "blocked_us"}, {"type", "quantitative"}, {"bin", {{"maxbins", 30}}},
                             {"title", "time a call was held (µs)"}, {"axis", {{"format", ",.1f"}}}}},
                      {"y", {{"aggregate", "count"}, {"type", "quantitative"}, {"title", "calls"}, {"axis", {{"tickMinStep", 1}}}}}};
  return spec;
}

}  // namespace dusim::report::plots
