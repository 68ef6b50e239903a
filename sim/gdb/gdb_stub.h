// The GDB remote stub: listens on 127.0.0.1, holds the target halted until
// GDB connects, and serves one connection at a time until the guest ends.
//
// Connection policy: when GDB detaches, the points are removed and the guest
// runs to its end without a debugger. When the connection drops, the points
// are removed (the next GDB does not know them) and the machine stays halted
// waiting for a new connection, or, with exit_on_disconnect, the run ends.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "gdb/debug_target.h"
#include "gdb/tcp.h"

namespace dusim::gdb {

struct GdbOptions {
  uint16_t port = 0;                // 0: any free port (printed on the log)
  bool exit_on_disconnect = false;  // a lost connection ends the run
};

struct StubResult {
  enum class Kind {
    Exited,          // the guest ended: exit_code
    Faulted,         // the guest faulted after GDB detached: fault_report (not yet printed)
    Killed,          // GDB killed it
    ConnectionLost,  // the connection dropped and exit_on_disconnect was set
  };
  Kind kind;
  int exit_code = 0;
  std::string fault_report;
};

class GdbStub {
 public:
  // Starts listening at once; throws std::runtime_error if it cannot.
  GdbStub(DebugTarget& target, const GdbOptions& options, std::FILE* log = stderr);

  uint16_t port() const { return listener_.port(); }
  // Serves GDB until the run ends. Messages for the user go to the log.
  StubResult serve();

 private:
  DebugTarget& target_;
  GdbOptions options_;
  std::FILE* log_;
  Listener listener_;
  StopEvent last_stop_;
};

}  // namespace dusim::gdb
