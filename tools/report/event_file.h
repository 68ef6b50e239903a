// The event log as a file, for scripts and tests (`dusim run-bare --events
// FILE`, `dusim run SCENARIO --events FILE`): one JSON object per line, in
// the log's order (each CPU's events in the order it emitted them):
//
//   {"cpu":0,"cycles":5821,"event":"PHASE_BEGIN","args":{"update_seq":1,"phase":"INTERPOSE","object":17}}
//
// Arguments are named as in guest_os/include/dusim/*.def; values are
// numbers, except a PHASE_BEGIN/PHASE_END phase, which is its name. An
// event the catalog does not know is named by its id ("0x77") with
// arguments arg0..arg5.
#pragma once

#include <string>
#include <vector>

#include "platform/event_log.h"

namespace dusim::report {

// The file's text (tools::write_output writes it).
std::string event_lines(const std::vector<Event>& events);

}  // namespace dusim::report
