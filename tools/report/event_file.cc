#include "report/event_file.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "platform/event_catalog.h"

namespace dusim::report {

std::string event_lines(const std::vector<Event>& events) {
  const EventInfo* begin = event_by_name("PHASE_BEGIN");
  const EventInfo* end = event_by_name("PHASE_END");
  std::string out;
  for (const Event& e : events) {
    const EventInfo* info = event_by_id(e.id);
    nlohmann::ordered_json args = nlohmann::ordered_json::object();
    for (int k = 0; k < 6; ++k) {
      if (info && !info->args[k]) break;
      std::string key = info ? info->args[k] : fmt::format("arg{}", k);
      if ((info == begin || info == end) && key == "phase") args[key] = std::string(phase_name(e.args[k]));
      else args[key] = e.args[k];
    }
    nlohmann::ordered_json j = {{"cpu", e.cpu},
                                {"cycles", e.cycles},
                                {"event", info ? std::string(info->name) : fmt::format("{:#x}", e.id)},
                                {"args", args}};
    out += j.dump();
    out += '\n';
  }
  return out;
}

}  // namespace dusim::report
