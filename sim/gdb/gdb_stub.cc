#include "gdb/gdb_stub.h"

#include "gdb/gdb_session.h"

namespace dusim::gdb {

GdbStub::GdbStub(DebugTarget& target, const GdbOptions& options, std::FILE* log)
    : target_(target), options_(options), log_(log), listener_(options.port) {}

StubResult GdbStub::serve() {
  unsigned p = port();
  std::fprintf(log_, "dusim: gdb: machine halted, waiting for GDB on 127.0.0.1:%u (target remote :%u)\n", p, p);
  std::fflush(log_);
  for (;;) {
    std::unique_ptr<Connection> conn = listener_.accept();
    std::fprintf(log_, "dusim: gdb: debugger connected\n");
    std::fflush(log_);
    GdbSession session(target_, *conn, last_stop_, log_);
    GdbSession::End end = session.run();
    conn.reset();
    switch (end) {
      case GdbSession::End::Exited:
        return {StubResult::Kind::Exited, last_stop_.exit_code, ""};
      case GdbSession::End::Killed:
        std::fprintf(log_, "dusim: gdb: killed by the debugger\n");
        return {StubResult::Kind::Killed, 0, ""};
      case GdbSession::End::Detached: {
        target_.remove_all_points();
        std::fprintf(log_, "dusim: gdb: debugger detached, running on\n");
        std::fflush(log_);
        StopEvent ev = target_.resume({});
        if (ev.kind == StopEvent::Kind::Exited) return {StubResult::Kind::Exited, ev.exit_code, ""};
        return {StubResult::Kind::Faulted, 0, ev.fault_report};
      }
      case GdbSession::End::ConnectionLost:
        target_.remove_all_points();
        if (options_.exit_on_disconnect) {
          std::fprintf(log_, "dusim: gdb: connection to the debugger lost, ending the run\n");
          return {StubResult::Kind::ConnectionLost, 0, ""};
        }
        std::fprintf(log_, "dusim: gdb: connection to the debugger lost; machine halted, waiting on 127.0.0.1:%u\n", p);
        std::fflush(log_);
        break;
    }
  }
}

}  // namespace dusim::gdb
