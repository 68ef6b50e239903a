// Fuzz target: the GDB stub's packet layer (sim/gdb/packet.cc) and command
// layer (gdb_session.cc) against the real target of `run-elf --gdb`: the
// input is the byte stream a GDB client sends, fed in chunks whose sizes the
// input's last byte picks, to a session over a socket pair on a LinuxProcess
// of tests/gdb's guest.elf (DUSIM_FUZZ_GDB_ELF; it sums 0..4 and exits with
// 10). The stream's end is the client hanging up; the session must end.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <thread>

#include "fuzz_common.h"
#include "gdb/gdb_session.h"
#include "gdb/linux_process_target.h"
#include "gdb/packet.h"
#include "gdb/tcp.h"
#include "loader/elf_image.h"
#include "user_mode/linux_process.h"

namespace {

std::string guest_elf() {
  const char* e = std::getenv("DUSIM_FUZZ_GDB_ELF");
  return e && *e ? e : std::string(DUSIM_ROOT) + "/build/tests/gdb/guest.elf";
}

// The packet layer alone, and the helpers every command uses.
void packet_layer(std::string_view bytes, size_t chunk) {
  namespace rsp = dusim::gdb::rsp;
  rsp::PacketReader reader(dusim::gdb::GdbSession::kPacketSize);
  std::vector<rsp::PacketReader::Event> events;
  for (size_t at = 0; at < bytes.size(); at += chunk) reader.feed(bytes.substr(at, chunk), events);
  for (const auto& ev : events) {
    if (ev.kind != rsp::PacketReader::Event::Kind::Packet) continue;
    if (ev.payload.size() > dusim::gdb::GdbSession::kPacketSize) dusim::fuzz::broken("a packet longer than the limit");
    if (rsp::frame(ev.payload).size() != ev.payload.size() + 4) dusim::fuzz::broken("frame() size");
    if (auto raw = rsp::unescape_binary(ev.payload)) {
      if (rsp::unescape_binary(rsp::escape_binary(*raw)) != *raw) dusim::fuzz::broken("escape/unescape round trip");
    }
    if (auto b = rsp::from_hex(ev.payload)) {
      if (rsp::to_hex(b->data(), b->size()).size() != ev.payload.size()) dusim::fuzz::broken("hex round trip");
    }
    (void)rsp::parse_hex(ev.payload);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  int null = open("/dev/null", O_WRONLY);  // the guest's own output
  if (null >= 0) dup2(null, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[size - 1] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data), size - 1);
  packet_layer(bytes, chunk);

  static const std::string elf = guest_elf();
  dusim::LinuxProcess proc(elf, {elf}, {});
  dusim::gdb::LinuxProcessTarget target(proc, false);
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) dusim::fuzz::broken("socketpair");
  // The client: sends the input, hangs up its sending side, and reads every
  // reply (so the session never blocks on a full socket).
  std::thread client([&] {
    for (size_t at = 0; at < bytes.size(); at += chunk) {
      size_t n = std::min(chunk, bytes.size() - at);
      if (send(fds[1], bytes.data() + at, n, MSG_NOSIGNAL) != ssize_t(n)) break;
    }
    shutdown(fds[1], SHUT_WR);
    char buf[4096];
    while (read(fds[1], buf, sizeof buf) > 0) {
    }
    close(fds[1]);
  });
  {
    dusim::gdb::Connection conn(fds[0]);  // closes fds[0]
    dusim::gdb::StopEvent last = dusim::gdb::StopEvent::of(dusim::gdb::StopEvent::Kind::Stepped, 0);
    static std::FILE* log = std::fopen("/dev/null", "w");  // fault reports
    dusim::gdb::GdbSession session(target, conn, last, log);
    (void)session.run();
  }
  client.join();
  return 0;
}
