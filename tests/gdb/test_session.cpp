// The command layer, over a socket pair, against a fake target with two
// CPUs: thread ids, per-thread registers, memory, points, run control, stop
// replies, malformed packets and how sessions end.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "gdb/gdb_session.h"
#include "gdb/packet.h"
#include "gdb/power_registers.h"

namespace dusim::gdb {
namespace {

class FakeTarget final : public DebugTarget {
 public:
  FakeTarget() {
    for (unsigned n = 0; n < 2; ++n) {
      regs[n].gpr[0] = n;
      regs[n].pc = 0x1000 + 0x100 * n;
    }
  }
  unsigned cpu_count() const override { return 2; }
  CoreRegisters registers(unsigned cpu) override { return regs[cpu]; }
  void set_registers(unsigned cpu, const CoreRegisters& r) override { regs[cpu] = r; }
  size_t read_memory(unsigned cpu, uint64_t addr, uint8_t* out, size_t len) override {
    memory_cpu = cpu;
    size_t n = 0;
    for (; n < len && addr + n >= kBase && addr + n < kBase + sizeof mem; ++n) out[n] = mem[addr + n - kBase];
    return n;
  }
  size_t write_memory(unsigned cpu, uint64_t addr, const uint8_t* in, size_t len) override {
    memory_cpu = cpu;
    size_t n = 0;
    for (; n < len && addr + n >= kBase && addr + n < kBase + sizeof mem; ++n) mem[addr + n - kBase] = in[n];
    return n;
  }
  bool insert_breakpoint(uint64_t pc) override { return breakpoints.insert(pc).second; }
  bool remove_breakpoint(uint64_t pc) override { return breakpoints.erase(pc) == 1; }
  bool insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) override {
    watches[addr] = {len, kind};
    return true;
  }
  bool remove_watchpoint(uint64_t addr, uint64_t, WatchKind) override { return watches.erase(addr) == 1; }
  void remove_all_points() override {
    breakpoints.clear();
    watches.clear();
  }
  StopEvent resume(const std::function<bool()>& interrupted) override {
    ++resumes;
    if (next_stop) return *std::exchange(next_stop, std::nullopt);
    while (!interrupted()) std::this_thread::yield();  // "runs" until Ctrl-C
    return StopEvent::of(StopEvent::Kind::Interrupted, 0);
  }
  StopEvent step(unsigned cpu) override {
    stepped.push_back(cpu);
    regs[cpu].pc += 4;
    return StopEvent::of(StopEvent::Kind::Stepped, cpu);
  }

  static constexpr uint64_t kBase = 0x10000;
  CoreRegisters regs[2];
  uint8_t mem[256] = {};
  unsigned memory_cpu = ~0u;  // the CPU whose view the last memory access asked for
  std::set<uint64_t> breakpoints;
  std::map<uint64_t, std::pair<uint64_t, WatchKind>> watches;
  std::optional<StopEvent> next_stop;
  std::vector<unsigned> stepped;
  int resumes = 0;
};

// Runs a session on one end of a socket pair; the test is GDB on the other.
class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    stub_end_ = std::make_unique<Connection>(fds[0]);
    gdb_fd_ = fds[1];
    session_ = std::make_unique<GdbSession>(target_, *stub_end_, last_stop_, stderr_sink());
    thread_ = std::thread([this] { end_ = session_->run(); });
  }
  void TearDown() override {
    if (gdb_fd_ >= 0) ::close(gdb_fd_);
    thread_.join();
  }
  static std::FILE* stderr_sink() {
    static std::FILE* f = std::fopen("/dev/null", "w");
    return f;
  }

  void send_raw(std::string_view bytes) { ASSERT_EQ(::write(gdb_fd_, bytes.data(), bytes.size()), ssize_t(bytes.size())); }
  char next_byte() {
    if (buf_.empty()) {
      char tmp[4096];
      ssize_t n = ::read(gdb_fd_, tmp, sizeof tmp);
      if (n <= 0) return 0;
      buf_.append(tmp, size_t(n));
    }
    char c = buf_[0];
    buf_.erase(0, 1);
    return c;
  }
  // The next packet from the stub, skipping acks; "<closed>" at end of stream.
  std::string packet() {
    char c;
    while ((c = next_byte()) != '$')
      if (c == 0) return "<closed>";
    std::string body;
    while ((c = next_byte()) != '#') body += c;
    std::string sum{next_byte(), next_byte()};
    EXPECT_EQ(rsp::parse_hex(sum), rsp::checksum(body)) << body;
    return body;
  }
  std::string request(std::string_view payload) {
    send_raw(rsp::frame(payload));
    return packet();
  }
  void close_gdb_end() {
    ::close(gdb_fd_);
    gdb_fd_ = -1;
  }
  GdbSession::End finish() {
    thread_.join();
    thread_ = std::thread([] {});
    return end_;
  }

  FakeTarget target_;
  StopEvent last_stop_;
  std::unique_ptr<Connection> stub_end_;
  std::unique_ptr<GdbSession> session_;
  std::thread thread_;
  GdbSession::End end_ = GdbSession::End::ConnectionLost;
  int gdb_fd_ = -1;
  std::string buf_;
};

TEST_F(SessionTest, AcknowledgesPacketsUntilNoAckMode) {
  send_raw(rsp::frame("?"));
  EXPECT_EQ(next_byte(), '+');
  EXPECT_EQ(packet(), "T05thread:1;");
  EXPECT_EQ(request("QStartNoAckMode"), "OK");
  send_raw("+");  // GDB still acks the OK
  send_raw(rsp::frame("qC"));
  EXPECT_EQ(next_byte(), '$');  // no '+' any more
}

TEST_F(SessionTest, SupportedFeaturesAndTargetDescription) {
  std::string s = request("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
  EXPECT_NE(s.find("PacketSize=4000"), std::string::npos) << s;
  EXPECT_NE(s.find("qXfer:features:read+"), std::string::npos) << s;
  EXPECT_NE(s.find("QStartNoAckMode+"), std::string::npos) << s;
  // Read target.xml in small pieces, as GDB may.
  std::string xml;
  for (;;) {
    std::string part = request(fmt::format("qXfer:features:read:target.xml:{:x},{:x}", xml.size(), 100));
    ASSERT_FALSE(part.empty());
    auto body = rsp::unescape_binary(part.substr(1));
    ASSERT_TRUE(body);
    xml += *body;
    if (part[0] == 'l') break;
    ASSERT_EQ(part[0], 'm');
  }
  EXPECT_EQ(xml, power_target_xml());
}

TEST_F(SessionTest, ThreadsAreCpus) {
  EXPECT_EQ(request("qfThreadInfo"), "m1,2");
  EXPECT_EQ(request("qsThreadInfo"), "l");
  EXPECT_EQ(request("T2"), "OK");
  EXPECT_EQ(request("T3"), "E01");
  EXPECT_EQ(request("qThreadExtraInfo,2"), rsp::to_hex("CPU 1"));
  EXPECT_EQ(request("Hg2"), "OK");
  EXPECT_EQ(request("qC"), "QC2");
  EXPECT_EQ(request("p0"), "0000000000000001");  // CPU 1's r0
  EXPECT_EQ(request("p40"), "0000000000001100");  // CPU 1's pc
  EXPECT_EQ(request("Hg1"), "OK");
  EXPECT_EQ(request("p0"), "0000000000000000");
  EXPECT_EQ(request("Hg0"), "OK");  // any: stays on CPU 0
  EXPECT_EQ(request("Hc-1"), "OK");
}

TEST_F(SessionTest, RegistersReadAndWrite) {
  std::string g = request("g");
  ASSERT_EQ(g.size(), 2 * kGPacketBytes);
  g.replace(64 * 16, 16, "0000000000002000");  // pc
  EXPECT_EQ(request("G" + g), "OK");
  EXPECT_EQ(target_.regs[0].pc, 0x2000u);
  EXPECT_EQ(request("P43=0000000000004444"), "OK");  // lr
  EXPECT_EQ(target_.regs[0].lr, 0x4444u);
  EXPECT_EQ(request("P45=0000abcd"), "OK");  // xer
  EXPECT_EQ(target_.regs[0].xer, 0xabcdu);
}

TEST_F(SessionTest, MemoryReadWriteAndBinaryWrite) {
  EXPECT_EQ(request("M10000,4:deadbeef"), "OK");
  EXPECT_EQ(request("m10000,4"), "deadbeef");
  std::string x = "X10004,4:" + rsp::escape_binary(std::string("#$}*", 4));
  EXPECT_EQ(request(x), "OK");
  EXPECT_EQ(request("m10004,4"), "23247d2a");
  EXPECT_EQ(request("X10000,0:"), "OK");  // GDB's probe for X
  EXPECT_EQ(request("m100fe,4"), "0000");  // the readable prefix
  EXPECT_EQ(request("m0,4"), "E14");
  EXPECT_EQ(request("M0,1:00"), "E14");
}

// Memory is read and written in the view of the Hg thread's CPU (its
// translation, on a machine target).
TEST_F(SessionTest, MemoryIsInTheSelectedCpusView) {
  EXPECT_EQ(request("m10000,4"), "00000000");
  EXPECT_EQ(target_.memory_cpu, 0u);
  EXPECT_EQ(request("Hg2"), "OK");
  EXPECT_EQ(request("m10000,4"), "00000000");
  EXPECT_EQ(target_.memory_cpu, 1u);
  EXPECT_EQ(request("M10000,1:01"), "OK");
  EXPECT_EQ(target_.memory_cpu, 1u);
  EXPECT_EQ(request("Hg1"), "OK");
  EXPECT_EQ(request("M10000,1:02"), "OK");
  EXPECT_EQ(target_.memory_cpu, 0u);
}

TEST_F(SessionTest, BreakpointsAndWatchpointsReachTheTarget) {
  EXPECT_EQ(request("Z0,1000,4"), "OK");
  EXPECT_EQ(request("Z1,1004,4"), "OK");
  EXPECT_EQ(target_.breakpoints, (std::set<uint64_t>{0x1000, 0x1004}));
  EXPECT_EQ(request("z0,1000,4"), "OK");
  EXPECT_EQ(request("z0,1000,4"), "E01");  // not set
  EXPECT_EQ(request("Z2,10000,4"), "OK");
  EXPECT_EQ(request("Z3,10010,8"), "OK");
  EXPECT_EQ(request("Z4,10020,1"), "OK");
  EXPECT_EQ(target_.watches[0x10000], std::make_pair(uint64_t(4), WatchKind::Write));
  EXPECT_EQ(target_.watches[0x10010], std::make_pair(uint64_t(8), WatchKind::Read));
  EXPECT_EQ(target_.watches[0x10020], std::make_pair(uint64_t(1), WatchKind::Access));
  EXPECT_EQ(request("Z5,10000,4"), "");  // unknown type: unsupported
}

TEST_F(SessionTest, StepsTheSelectedCpuOnly) {
  EXPECT_EQ(request("vCont?"), "vCont;c;C;s;S");
  EXPECT_EQ(request("vCont;s:2;c"), "T05thread:2;");
  EXPECT_EQ(target_.stepped, std::vector<unsigned>{1});
  EXPECT_EQ(target_.resumes, 0);
  EXPECT_EQ(request("Hc1"), "OK");
  EXPECT_EQ(request("s"), "T05thread:1;");
  EXPECT_EQ(request("vCont;S05:1"), "T05thread:1;");
  EXPECT_EQ(target_.stepped, (std::vector<unsigned>{1, 0, 0}));
}

TEST_F(SessionTest, StopRepliesNameTheReason) {
  request("qSupported:swbreak+");
  StopEvent w = StopEvent::of(StopEvent::Kind::Watchpoint, 1);
  w.data_addr = 0x10010;
  target_.next_stop = w;
  EXPECT_EQ(request("vCont;c"), "T05thread:2;watch:10010;");
  w.watch = WatchKind::Read;
  target_.next_stop = w;
  EXPECT_EQ(request("c"), "T05thread:2;rwatch:10010;");
  w.watch = WatchKind::Access;
  target_.next_stop = w;
  EXPECT_EQ(request("c"), "T05thread:2;awatch:10010;");
  target_.next_stop = StopEvent::of(StopEvent::Kind::Breakpoint, 0);
  EXPECT_EQ(request("C0b"), "T05thread:1;swbreak:;");
  EXPECT_EQ(request("?"), "T05thread:1;swbreak:;");  // the last stop
  EXPECT_EQ(request("qC"), "QC1");                    // the stopping CPU is current
}

TEST_F(SessionTest, FaultsAreReportedOnTheConsoleThenAsASignal) {
  StopEvent f = StopEvent::of(StopEvent::Kind::Fault, 1);
  f.signal = signal::kSegv;
  f.fault_report = "guest fault on cpu 1: boom\n";
  target_.next_stop = f;
  EXPECT_EQ(request("c"), "O" + rsp::to_hex(f.fault_report));
  EXPECT_EQ(packet(), "T0bthread:2;");
}

TEST_F(SessionTest, CtrlCInterruptsARunningTarget) {
  send_raw(rsp::frame("c"));
  EXPECT_EQ(next_byte(), '+');
  send_raw("\x03");
  EXPECT_EQ(packet(), "T02thread:1;");
  EXPECT_EQ(request("qfThreadInfo"), "m1,2");  // and the session goes on
}

TEST_F(SessionTest, MalformedPacketsGetErrorsAndTheSessionGoesOn) {
  send_raw("$g#00");
  EXPECT_EQ(next_byte(), '-');
  for (const char* bad : {"m", "mxyz,4", "m10000", "M10000,2:abc", "G00", "P40", "Pzz=00", "p", "Z0", "Z0,,4",
                          "Hq1", "vCont;q", "vCont;c:9", "C", "Sxx", "qThreadExtraInfo,9"})
    EXPECT_EQ(request(bad), "E01") << bad;
  EXPECT_EQ(request("bogus"), "");
  EXPECT_EQ(request(""), "");
  EXPECT_EQ(request("m10000,2"), "0000");
}

TEST_F(SessionTest, ResendsTheLastReplyOnNack) {
  EXPECT_EQ(request("qC"), "QC1");
  send_raw("-");
  EXPECT_EQ(packet(), "QC1");
}

TEST_F(SessionTest, ExitEndsTheSession) {
  StopEvent e = StopEvent::of(StopEvent::Kind::Exited);
  e.exit_code = 10;
  target_.next_stop = e;
  EXPECT_EQ(request("vCont;c"), "W0a");
  EXPECT_EQ(finish(), GdbSession::End::Exited);
}

TEST_F(SessionTest, Detach) {
  EXPECT_EQ(request("D"), "OK");
  EXPECT_EQ(finish(), GdbSession::End::Detached);
}

TEST_F(SessionTest, Kill) {
  send_raw(rsp::frame("k"));
  EXPECT_EQ(next_byte(), '+');  // and no reply
  EXPECT_EQ(finish(), GdbSession::End::Killed);
}

TEST_F(SessionTest, ALostConnectionEndsTheSession) {
  request("Z0,1000,4");
  close_gdb_end();
  EXPECT_EQ(finish(), GdbSession::End::ConnectionLost);
}

}  // namespace
}  // namespace dusim::gdb
