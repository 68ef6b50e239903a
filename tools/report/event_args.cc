#include "report/event_args.h"

#include <stdexcept>
#include <string>

namespace dusim::report {

EventKind::EventKind(std::string_view name) : info_(event_by_name(name)) {
  if (!info_) throw std::logic_error("the event catalog has no event " + std::string(name));
}

EventArg EventKind::arg(std::string_view name) const {
  int k = arg_index(*info_, name);
  if (k < 0) throw std::logic_error("event " + std::string(info_->name) + " has no argument " + std::string(name));
  return {k};
}

// The catalog is looked up by id or name only; its ids lie in 0x0001-0x3fff
// (events.def) and phase ids are small, so both are found by trying each.
std::vector<std::string> event_names() {
  std::vector<std::string> out;
  for (uint32_t id = 0; id < 0x4000; ++id)
    if (const EventInfo* e = event_by_id(id)) out.push_back(e->name);
  return out;
}

std::vector<std::string> phase_names() {
  std::vector<std::string> out;
  for (uint64_t id = 1; id < 256; ++id) {
    std::string n(phase_name(id));
    if (n != "phase-" + std::to_string(id)) out.push_back(n);
  }
  return out;
}

}  // namespace dusim::report
