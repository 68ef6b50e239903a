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

}  // namespace dusim::report
