// --gdb PORT and --gdb-exit-on-disconnect, as run-elf and run-bare take them.
#pragma once

#include <cstdint>

#include "gdb/gdb_stub.h"

namespace dusim::direct {

struct GdbRequest {
  int port = -1;  // wait for GDB on this port (0: any free port); -1: no GDB
  bool exit_on_disconnect = false;

  bool wanted() const { return port >= 0; }
  gdb::GdbOptions options() const { return {uint16_t(port), exit_on_disconnect}; }
};

// GDB's kill, or a lost connection with --gdb-exit-on-disconnect: the run
// ends with exit_code::kEndedByDebugger.
inline bool ended_by_debugger(const gdb::StubResult& r) {
  return r.kind == gdb::StubResult::Kind::Killed || r.kind == gdb::StubResult::Kind::ConnectionLost;
}

}  // namespace dusim::direct
