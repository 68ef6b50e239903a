// Reading events by their arguments' names. The order of an event's
// arguments belongs to guest_os/include/dusim/*.def; a reader names the
// arguments it needs and gets their positions once, from the event catalog,
// instead of writing e.args[3].
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/event_catalog.h"
#include "platform/event_log.h"

namespace dusim::report {

// One argument of one event kind.
struct EventArg {
  int index = 0;
  uint64_t operator()(const Event& e) const { return e.args[index]; }
};

// One event kind, found by name. A name or argument the catalog does not
// have is a std::logic_error: the host's code and the .def files disagree.
class EventKind {
 public:
  explicit EventKind(std::string_view name);
  uint32_t id() const { return info_->id; }
  bool is(const Event& e) const { return e.id == info_->id; }
  const EventInfo& info() const { return *info_; }
  EventArg arg(std::string_view name) const;

 private:
  const EventInfo* info_;
};

// Every event name in the catalog, and every update phase name in id order
// (for "did you mean ...?" and the phase palette's test).
std::vector<std::string> event_names();
std::vector<std::string> phase_names();

}  // namespace dusim::report
