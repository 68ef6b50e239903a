#include "gdb/gdb_session.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "gdb/power_registers.h"

namespace dusim::gdb {

namespace {
using rsp::parse_hex;
constexpr const char* kError = "E01";   // malformed request
constexpr const char* kFault = "E14";   // EFAULT: no memory there

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "A,B" into two hex numbers.
std::optional<std::pair<uint64_t, uint64_t>> parse_pair(std::string_view s) {
  size_t comma = s.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto a = parse_hex(s.substr(0, comma)), b = parse_hex(s.substr(comma + 1));
  if (!a || !b) return std::nullopt;
  return std::make_pair(*a, *b);
}
}  // namespace

GdbSession::GdbSession(DebugTarget& target, Connection& conn, StopEvent& last_stop, std::FILE* log)
    : target_(target), conn_(conn), last_stop_(last_stop), log_(log), reader_(kPacketSize) {
  g_cpu_ = last_stop_.cpu;
}

GdbSession::End GdbSession::run() {
  using Kind = rsp::PacketReader::Event::Kind;
  for (;;) {
    while (pending_.empty()) {
      std::string in;
      if (!conn_.receive(in)) return End::ConnectionLost;
      std::vector<rsp::PacketReader::Event> events;
      reader_.feed(in, events);
      pending_.insert(pending_.end(), events.begin(), events.end());
    }
    rsp::PacketReader::Event ev = std::move(pending_.front());
    pending_.pop_front();
    bool sent = true;
    switch (ev.kind) {
      case Kind::Packet: {
        if (ack_ && !conn_.send("+")) return End::ConnectionLost;
        Outcome o = dispatch(ev.payload);
        if (o.end == End::Exited) {  // ended whether or not GDB is still there to hear it
          if (!lost_ && o.reply) send_packet(*o.reply);
          return End::Exited;
        }
        if (lost_) return End::ConnectionLost;
        if (o.reply) sent = send_packet(*o.reply);
        if (o.end) return *o.end;
        break;
      }
      case Kind::BadChecksum:
      case Kind::TooLong:
        // With acks GDB resends on `-`; without them an error is the reply it awaits.
        sent = ack_ ? conn_.send("-") : send_packet(kError);
        break;
      case Kind::Nack:
        if (!last_sent_.empty()) sent = conn_.send(last_sent_);
        break;
      case Kind::Ack:
      case Kind::Interrupt:  // already stopped
        break;
    }
    if (!sent) return End::ConnectionLost;
  }
}

bool GdbSession::send_packet(std::string_view payload) {
  last_sent_ = rsp::frame(payload);
  return conn_.send(last_sent_);
}

GdbSession::Outcome GdbSession::dispatch(std::string_view p) {
  if (p.empty()) return {""};
  std::string_view args = p.substr(1);
  switch (p[0]) {
    case '?': return {stop_reply(last_stop_)};
    case 'g': return {encode_g(target_.registers(g_cpu_))};
    case 'G': {
      auto r = decode_g(args);
      if (!r) return {kError};
      target_.set_registers(g_cpu_, *r);
      return {"OK"};
    }
    case 'p': {
      auto n = parse_hex(args);
      if (!n) return {kError};
      auto v = encode_register(target_.registers(g_cpu_), unsigned(std::min<uint64_t>(*n, ~0u)));
      return {v ? *v : kError};
    }
    case 'P': {
      size_t eq = args.find('=');
      auto n = parse_hex(args.substr(0, eq));
      if (eq == std::string_view::npos || !n) return {kError};
      CoreRegisters r = target_.registers(g_cpu_);
      if (!decode_register(r, unsigned(std::min<uint64_t>(*n, ~0u)), args.substr(eq + 1))) return {kError};
      target_.set_registers(g_cpu_, r);
      return {"OK"};
    }
    case 'm': return {read_memory(args)};
    case 'M': return {write_memory(args, false)};
    case 'X': return {write_memory(args, true)};
    case 'Z': return {debug_point(args, true)};
    case 'z': return {debug_point(args, false)};
    case 'H': return {set_thread(args)};
    case 'T': {
      int t = parse_thread(args).value_or(0);
      return {t > 0 && target_.thread_alive(unsigned(t - 1)) ? "OK" : kError};
    }
    case 'c':
    case 's':
    case 'C':
    case 'S': {
      // c [addr], s [addr], C sig[;addr], S sig[;addr]: signals are not delivered.
      std::string_view addr = args;
      if (p[0] == 'C' || p[0] == 'S') {
        size_t semi = args.find(';');
        if (!parse_hex(args.substr(0, semi))) return {kError};
        addr = semi == std::string_view::npos ? std::string_view() : args.substr(semi + 1);
      }
      unsigned cpu = c_cpu_ >= 0 ? unsigned(c_cpu_) : g_cpu_;
      if (!addr.empty()) {
        auto a = parse_hex(addr);
        if (!a) return {kError};
        CoreRegisters r = target_.registers(cpu);
        r.pc = *a;
        target_.set_registers(cpu, r);
      }
      bool step = p[0] == 's' || p[0] == 'S';
      return run_target(step ? std::optional<unsigned>(cpu) : std::nullopt);
    }
    case 'D':
      return {"OK", End::Detached};
    case 'k':
      return {std::nullopt, End::Killed};  // GDB expects no reply
    case 'q':
    case 'Q':
      return query(p);
    case 'v':
      return v_packet(p);
    default:
      return {""};  // not supported
  }
}

GdbSession::Outcome GdbSession::query(std::string_view p) {
  if (starts_with(p, "qSupported")) {
    swbreak_ = p.find("swbreak+") != std::string_view::npos;
    return {fmt::format("PacketSize={:x};qXfer:features:read+;QStartNoAckMode+;vContSupported+{}", kPacketSize,
                        swbreak_ ? ";swbreak+" : "")};
  }
  if (p == "QStartNoAckMode") {
    if (!send_packet("OK")) lost_ = true;  // still acknowledged; no acks from the next packet on
    ack_ = false;
    return {std::nullopt};
  }
  if (starts_with(p, "qXfer:features:read:")) return {xfer_features(p.substr(20))};
  if (p == "qfThreadInfo") {
    std::string r;
    for (unsigned n = 0; n < target_.cpu_count(); ++n)
      if (target_.thread_alive(n)) r += fmt::format("{}{:x}", r.empty() ? "m" : ",", n + 1);
    return {r.empty() ? "l" : r};
  }
  if (p == "qsThreadInfo") return {"l"};
  if (p == "qC") return {fmt::format("QC{:x}", g_cpu_ + 1)};
  if (starts_with(p, "qAttached")) return {"1"};  // quitting GDB detaches: the guest runs on
  if (starts_with(p, "qThreadExtraInfo,")) {
    auto t = parse_thread(p.substr(17));
    if (!t || *t <= 0) return {kError};
    return {rsp::to_hex(target_.thread_name(unsigned(*t - 1)))};
  }
  if (starts_with(p, "qSymbol")) return {"OK"};
  return {""};
}

GdbSession::Outcome GdbSession::v_packet(std::string_view p) {
  if (p == "vCont?") return {"vCont;c;C;s;S"};
  if (starts_with(p, "vCont;")) return vcont(p.substr(6));
  if (starts_with(p, "vKill")) return {"OK", End::Killed};
  return {""};  // vMustReplyEmpty and everything we lack
}

std::string GdbSession::read_memory(std::string_view args) {
  auto r = parse_pair(args);
  if (!r || r->second == 0) return kError;
  size_t len = size_t(std::min<uint64_t>(r->second, kPacketSize / 2));
  std::vector<uint8_t> buf(len);
  size_t got = target_.read_memory(g_cpu_, r->first, buf.data(), len);
  if (got == 0) return kFault;
  return rsp::to_hex(buf.data(), got);  // a short read is allowed; GDB asks again for the rest
}

std::string GdbSession::write_memory(std::string_view args, bool binary) {
  size_t colon = args.find(':');
  if (colon == std::string_view::npos) return kError;
  auto r = parse_pair(args.substr(0, colon));
  if (!r) return kError;
  std::string_view data = args.substr(colon + 1);
  std::vector<uint8_t> bytes;
  if (binary) {
    auto raw = rsp::unescape_binary(data);
    if (!raw) return kError;
    bytes.assign(raw->begin(), raw->end());
  } else {
    auto hex = rsp::from_hex(data);
    if (!hex) return kError;
    bytes = std::move(*hex);
  }
  if (bytes.size() != r->second) return kError;
  if (bytes.empty()) return "OK";  // GDB probes X support this way
  return target_.write_memory(g_cpu_, r->first, bytes.data(), bytes.size()) == bytes.size() ? "OK" : kFault;
}

std::string GdbSession::debug_point(std::string_view args, bool insert) {
  // type,addr,kind[;conditions]: conditions are not advertised, so ignored.
  size_t semi = args.find(';');
  std::string_view head = args.substr(0, semi);
  size_t comma = head.find(',');
  if (comma != 1) return kError;
  auto r = parse_pair(head.substr(2));
  if (!r) return kError;
  auto [addr, kind] = *r;
  bool ok;
  switch (head[0]) {
    case '0':
    case '1':  // software or "hardware": both are checks of the PC
      ok = insert ? target_.insert_breakpoint(addr) : target_.remove_breakpoint(addr);
      break;
    case '2':
    case '3':
    case '4': {
      WatchKind w = head[0] == '2' ? WatchKind::Write : head[0] == '3' ? WatchKind::Read : WatchKind::Access;
      ok = insert ? target_.insert_watchpoint(addr, kind, w) : target_.remove_watchpoint(addr, kind, w);
      break;
    }
    default:
      return "";  // unknown type: not supported
  }
  return ok ? "OK" : kError;
}

std::string GdbSession::set_thread(std::string_view args) {
  if (args.empty() || (args[0] != 'g' && args[0] != 'c')) return kError;
  auto t = parse_thread(args.substr(1));
  if (!t) return kError;
  if (args[0] == 'g') {
    if (*t > 0) g_cpu_ = unsigned(*t - 1);  // "any" and "all" keep the current one
  } else {
    c_cpu_ = *t > 0 ? *t - 1 : -1;
  }
  return "OK";
}

std::string GdbSession::xfer_features(std::string_view args) {
  // annex:offset,length
  size_t colon = args.find(':');
  if (colon == std::string_view::npos) return kError;
  if (args.substr(0, colon) != "target.xml") return "E00";
  auto r = parse_pair(args.substr(colon + 1));
  if (!r) return kError;
  const std::string& xml = power_target_xml();
  uint64_t off = std::min<uint64_t>(r->first, xml.size());
  // Escaping may double a byte: keep the chunk within half the packet size.
  uint64_t len = std::min<uint64_t>({r->second, xml.size() - off, kPacketSize / 2});
  bool last = off + len == xml.size();
  std::string reply(1, last ? 'l' : 'm');
  reply += rsp::escape_binary(std::string_view(xml).substr(off, len));
  return reply;
}

std::optional<int> GdbSession::parse_thread(std::string_view f) const {
  if (starts_with(f, "p")) {  // multiprocess form p<pid>.<tid>: the pid is ignored
    size_t dot = f.find('.');
    if (dot == std::string_view::npos) return -1;
    f = f.substr(dot + 1);
  }
  if (f == "-1") return -1;
  auto v = parse_hex(f);
  if (!v || *v > target_.cpu_count()) return std::nullopt;
  return int(*v);
}

GdbSession::Outcome GdbSession::vcont(std::string_view actions) {
  // Each CPU takes the first action that names it (or names no thread).
  unsigned n = target_.cpu_count();
  std::vector<char> action(n, 0);
  while (!actions.empty()) {
    size_t semi = actions.find(';');
    std::string_view a = actions.substr(0, semi);
    actions = semi == std::string_view::npos ? std::string_view() : actions.substr(semi + 1);
    size_t colon = a.find(':');
    std::string_view verb = a.substr(0, colon);
    if (verb.empty()) return {kError};
    char kind = verb[0];
    if (kind == 'C' || kind == 'S') {
      if (!parse_hex(verb.substr(1))) return {kError};
      kind = char(kind - 'A' + 'a');
    } else if ((kind != 'c' && kind != 's') || verb.size() != 1) {
      return {kError};
    }
    int thread = -1;
    if (colon != std::string_view::npos) {
      auto t = parse_thread(a.substr(colon + 1));
      if (!t) return {kError};
      thread = *t == 0 ? int(g_cpu_) + 1 : *t;
    }
    for (unsigned cpu = 0; cpu < n; ++cpu)
      if (!action[cpu] && (thread < 0 || unsigned(thread) == cpu + 1)) action[cpu] = kind;
  }
  auto stepper = std::find(action.begin(), action.end(), 's');
  if (stepper != action.end()) return run_target(unsigned(stepper - action.begin()));
  if (std::find(action.begin(), action.end(), 'c') != action.end()) return run_target(std::nullopt);
  return {kError};
}

bool GdbSession::poll_interrupt() {
  std::string in;
  if (!conn_.poll(in)) {
    lost_ = true;
    return true;
  }
  if (in.empty()) return false;
  std::vector<rsp::PacketReader::Event> events;
  reader_.feed(in, events);
  bool interrupt = false;
  for (auto& e : events) {
    if (e.kind == rsp::PacketReader::Event::Kind::Interrupt) interrupt = true;
    else pending_.push_back(std::move(e));  // answered once stopped
  }
  return interrupt;
}

GdbSession::Outcome GdbSession::run_target(std::optional<unsigned> step_cpu) {
  StopEvent ev = step_cpu ? target_.step(*step_cpu) : target_.resume([this] { return poll_interrupt(); });
  last_stop_ = ev;
  if (ev.kind != StopEvent::Kind::Exited) g_cpu_ = ev.cpu;
  if (ev.kind == StopEvent::Kind::Fault) {
    // The report on the simulator's side, and on GDB's console as O packets.
    std::fprintf(log_, "%s", ev.fault_report.c_str());
    std::fflush(log_);
    constexpr size_t kChunk = kPacketSize / 2 - 16;
    for (size_t at = 0; at < ev.fault_report.size() && !lost_; at += kChunk) {
      std::string out(1, 'O');
      out += rsp::to_hex(std::string_view(ev.fault_report).substr(at, kChunk));
      if (!send_packet(out)) lost_ = true;
    }
  }
  if (ev.kind == StopEvent::Kind::Exited) return {fmt::format("W{:02x}", ev.exit_code & 0xff), End::Exited};
  if (lost_) return {};
  return {stop_reply(ev)};
}

std::string GdbSession::stop_reply(const StopEvent& ev) const {
  using Kind = StopEvent::Kind;
  int sig = ev.kind == Kind::Fault ? ev.signal : ev.kind == Kind::Interrupted ? signal::kInt : signal::kTrap;
  std::string r = fmt::format("T{:02x}thread:{:x};", sig, ev.cpu + 1);
  if (ev.kind == Kind::Watchpoint) {
    const char* what = ev.watch == WatchKind::Write ? "watch" : ev.watch == WatchKind::Read ? "rwatch" : "awatch";
    r += fmt::format("{}:{:x};", what, ev.data_addr);
  } else if (ev.kind == Kind::Breakpoint && swbreak_) {
    r += "swbreak:;";
  }
  return r;
}

}  // namespace dusim::gdb
