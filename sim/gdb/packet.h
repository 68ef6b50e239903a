// The framing layer of the GDB remote serial protocol: packets are
// `$payload#cc` with cc the modulo-256 sum of the payload bytes in two hex
// digits; the receiver answers `+` (good) or `-` (resend) until both sides
// agree to stop acknowledging (QStartNoAckMode). A lone 0x03 byte between
// packets is an interrupt (Ctrl-C). Binary payloads escape `#`, `$`, `}` and
// `*` as `}` followed by the byte XOR 0x20 (`*` would otherwise start a
// run-length encoding in replies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dusim::gdb::rsp {

uint8_t checksum(std::string_view payload);
// `$payload#cc`. The payload must already be escaped where it carries binary data.
std::string frame(std::string_view payload);

std::string escape_binary(std::string_view raw);
// Nothing if the data ends in the middle of an escape.
std::optional<std::string> unescape_binary(std::string_view escaped);

std::string to_hex(const uint8_t* data, size_t len);
inline std::string to_hex(std::string_view s) { return to_hex(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
// Pairs of hex digits to bytes; nothing on an odd count or a non-hex digit.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
// A whole field of 1..16 hex digits; nothing otherwise.
std::optional<uint64_t> parse_hex(std::string_view field);
// A big-endian value of `bytes` bytes as hex, and back.
std::string hex_be(uint64_t value, unsigned bytes);

// Turns the byte stream from GDB into events. Bytes outside packets other
// than `+`, `-`, `$` and 0x03 are ignored, as is a packet cut short by a new
// `$` (GDB resends after a timeout).
class PacketReader {
 public:
  struct Event {
    enum class Kind : uint8_t {
      Packet,       // a well-formed packet: payload (still escaped where binary)
      BadChecksum,  // framed, but the checksum is wrong or not hex: ask for a resend
      TooLong,      // longer than the limit: dropped, ask for a resend
      Interrupt,    // 0x03
      Ack,          // +
      Nack,         // -
    };
    Kind kind;
    std::string payload;
  };

  explicit PacketReader(size_t max_payload) : max_payload_(max_payload) {}
  // Appends the events that `data` completes to `out`.
  void feed(std::string_view data, std::vector<Event>& out);

 private:
  enum class State : uint8_t { Between, Payload, Sum1, Sum2 };
  size_t max_payload_;
  State state_ = State::Between;
  std::string payload_;
  bool overflow_ = false;
  char sum_hi_ = 0;
};

}  // namespace dusim::gdb::rsp
