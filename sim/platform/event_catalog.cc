#include "platform/event_catalog.h"

#include <string>
#include <vector>

namespace dusim::report {

namespace {

const std::vector<EventInfo>& catalog() {
  static const std::vector<EventInfo> all = {
#define EVENT(NAME, ID, DESCRIPTION, ...) EventInfo{#NAME, ID, DESCRIPTION, {__VA_ARGS__}},
#define UPDATE_PHASE(NAME, ID, DESCRIPTION)
#include "dusim/update_events.def"
#include "dusim/events.def"
#undef EVENT
#undef UPDATE_PHASE
  };
  return all;
}

struct Phase {
  uint64_t id;
  const char* name;
};
const std::vector<Phase>& phases() {
  static const std::vector<Phase> all = {
#define EVENT(...)
#define UPDATE_PHASE(NAME, ID, DESCRIPTION) Phase{ID, #NAME},
#include "dusim/update_events.def"
#undef EVENT
#undef UPDATE_PHASE
  };
  return all;
}

}  // namespace

const EventInfo* event_by_id(uint32_t id) {
  for (const EventInfo& e : catalog())
    if (e.id == id) return &e;
  return nullptr;
}

const EventInfo* event_by_name(std::string_view name) {
  for (const EventInfo& e : catalog())
    if (name == e.name) return &e;
  return nullptr;
}

int arg_index(const EventInfo& e, std::string_view arg) {
  for (int k = 0; k < 6; ++k)
    if (e.args[k] && arg == e.args[k]) return k;
  return -1;
}

std::string_view phase_name(uint64_t id) {
  for (const Phase& p : phases())
    if (p.id == id) return p.name;
  static thread_local std::string unknown;
  unknown = "phase-" + std::to_string(id);
  return unknown;
}

}  // namespace dusim::report
