#include "gdb/packet.h"

namespace dusim::gdb::rsp {

namespace {
constexpr char kDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool needs_escape(char c) { return c == '#' || c == '$' || c == '}' || c == '*'; }
}  // namespace

uint8_t checksum(std::string_view payload) {
  uint8_t sum = 0;
  for (char c : payload) sum = uint8_t(sum + uint8_t(c));
  return sum;
}

std::string frame(std::string_view payload) {
  uint8_t sum = checksum(payload);
  std::string out;
  out.reserve(payload.size() + 4);
  out += '$';
  out += payload;
  out += '#';
  out += kDigits[sum >> 4];
  out += kDigits[sum & 15];
  return out;
}

std::string escape_binary(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (needs_escape(c)) {
      out += '}';
      out += char(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> unescape_binary(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (size_t k = 0; k < escaped.size(); ++k) {
    if (escaped[k] != '}') {
      out += escaped[k];
    } else {
      if (++k == escaped.size()) return std::nullopt;
      out += char(escaped[k] ^ 0x20);
    }
  }
  return out;
}

std::string to_hex(const uint8_t* data, size_t len) {
  std::string out(2 * len, '0');
  for (size_t k = 0; k < len; ++k) {
    out[2 * k] = kDigits[data[k] >> 4];
    out[2 * k + 1] = kDigits[data[k] & 15];
  }
  return out;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t k = 0; k < out.size(); ++k) {
    int hi = hex_value(hex[2 * k]), lo = hex_value(hex[2 * k + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[k] = uint8_t(hi << 4 | lo);
  }
  return out;
}

std::optional<uint64_t> parse_hex(std::string_view field) {
  if (field.empty() || field.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : field) {
    int d = hex_value(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::string hex_be(uint64_t value, unsigned bytes) {
  uint8_t b[8];
  for (unsigned k = 0; k < bytes; ++k) b[k] = uint8_t(value >> (8 * (bytes - 1 - k)));
  return to_hex(b, bytes);
}

void PacketReader::feed(std::string_view data, std::vector<Event>& out) {
  using Kind = Event::Kind;
  for (char c : data) {
    switch (state_) {
      case State::Between:
        if (c == '$') {
          state_ = State::Payload;
          payload_.clear();
          overflow_ = false;
        } else if (c == '+') {
          out.push_back({Kind::Ack, {}});
        } else if (c == '-') {
          out.push_back({Kind::Nack, {}});
        } else if (c == '\x03') {
          out.push_back({Kind::Interrupt, {}});
        }
        break;
      case State::Payload:
        if (c == '#') {
          state_ = State::Sum1;
        } else if (c == '$') {
          payload_.clear();  // the packet so far was cut short: start over
          overflow_ = false;
        } else if (payload_.size() < max_payload_) {
          payload_ += c;
        } else {
          overflow_ = true;
        }
        break;
      case State::Sum1:
        sum_hi_ = c;
        state_ = State::Sum2;
        break;
      case State::Sum2: {
        state_ = State::Between;
        int hi = hex_value(sum_hi_), lo = hex_value(c);
        if (overflow_) {
          out.push_back({Kind::TooLong, {}});
        } else if (hi < 0 || lo < 0 || uint8_t(hi << 4 | lo) != checksum(payload_)) {
          out.push_back({Kind::BadChecksum, {}});
        } else {
          out.push_back({Kind::Packet, std::move(payload_)});
        }
        payload_.clear();
        break;
      }
    }
  }
}

}  // namespace dusim::gdb::rsp
