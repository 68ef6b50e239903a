// One GDB connection: reads packets, answers them from the DebugTarget, and
// runs the target on continue and step, watching the connection for Ctrl-C
// meanwhile. All-stop: every stop reply describes one CPU, but all CPUs are
// stopped. Threads are CPUs: thread id n+1 is CPU n.
//
// Called by GdbStub, once per accepted connection, from the simulator's thread.
#pragma once

#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "gdb/debug_target.h"
#include "gdb/packet.h"
#include "gdb/tcp.h"

namespace dusim::gdb {

class GdbSession {
 public:
  // How the session ended. The target is stopped in every case but Exited.
  enum class End { ConnectionLost, Detached, Killed, Exited };

  static constexpr size_t kPacketSize = 0x4000;  // advertised in qSupported

  // `last_stop` is what `?` reports and is updated by every stop; it outlives
  // the session so that a new connection learns where the machine halted.
  GdbSession(DebugTarget& target, Connection& conn, StopEvent& last_stop, std::FILE* log);

  End run();

 private:
  struct Outcome {
    Outcome(std::optional<std::string> r = std::nullopt, std::optional<End> e = std::nullopt)
        : reply(std::move(r)), end(e) {}
    std::optional<std::string> reply;  // nothing: no reply is due
    std::optional<End> end;
  };

  Outcome dispatch(std::string_view p);
  Outcome query(std::string_view p);
  Outcome v_packet(std::string_view p);
  std::string read_memory(std::string_view args);
  std::string write_memory(std::string_view args, bool binary);
  std::string debug_point(std::string_view p, bool insert);
  std::string set_thread(std::string_view p);
  std::string xfer_features(std::string_view args);
  Outcome run_target(std::optional<unsigned> step_cpu);
  Outcome vcont(std::string_view actions);
  std::string stop_reply(const StopEvent& ev) const;
  bool send_packet(std::string_view payload);
  bool poll_interrupt();

  // A thread id field: -1 all, 0 any, else a CPU; nothing if malformed or no such CPU.
  std::optional<int> parse_thread(std::string_view field) const;

  DebugTarget& target_;
  Connection& conn_;
  StopEvent& last_stop_;
  std::FILE* log_;
  rsp::PacketReader reader_;
  std::deque<rsp::PacketReader::Event> pending_;
  std::string last_sent_;  // for a resend on `-`
  bool ack_ = true;        // until QStartNoAckMode
  bool swbreak_ = false;   // GDB understands the swbreak stop reason
  bool lost_ = false;
  unsigned g_cpu_ = 0;     // Hg: registers and memory
  int c_cpu_ = -1;         // Hc: -1 all, else the CPU that `s` and `c` act on
};

}  // namespace dusim::gdb
