// Names, descriptions and argument names of every instrumentation event,
// from the vocabulary shared with the guest (guest_os/include/dusim/*.def),
// for fault reports and the report builder.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace dusim::report {

struct EventInfo {
  const char* name;
  uint32_t id;
  const char* description;
  std::array<const char*, 6> args;  // null past the last argument
};

const EventInfo* event_by_id(uint32_t id);
const EventInfo* event_by_name(std::string_view name);
// Index (0-5) of the argument called `arg` of `e`, or -1.
int arg_index(const EventInfo& e, std::string_view arg);
// Update phase name for a PHASE_BEGIN/PHASE_END phase id ("phase-N" if unknown).
std::string_view phase_name(uint64_t id);

}  // namespace dusim::report
