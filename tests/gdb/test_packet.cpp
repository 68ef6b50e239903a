// The framing layer of the remote protocol: checksums, escaping, hex, and
// the byte-stream reader with malformed input.
#include <gtest/gtest.h>

#include "gdb/packet.h"
#include "gdb/power_registers.h"

namespace dusim::gdb {
namespace {

using Kind = rsp::PacketReader::Event::Kind;

std::vector<rsp::PacketReader::Event> feed(rsp::PacketReader& r, std::string_view bytes) {
  std::vector<rsp::PacketReader::Event> out;
  r.feed(bytes, out);
  return out;
}

TEST(Packet, ChecksumIsTheByteSumModulo256) {
  EXPECT_EQ(rsp::checksum(""), 0);
  EXPECT_EQ(rsp::checksum("OK"), 0x9a);
  EXPECT_EQ(rsp::checksum(std::string(300, '\xff')), uint8_t(300 * 0xff));
  EXPECT_EQ(rsp::frame("OK"), "$OK#9a");
  EXPECT_EQ(rsp::frame(""), "$#00");
  EXPECT_EQ(rsp::frame("qSupported"), "$qSupported#37");
}

TEST(Packet, EscapingRoundTripsEverySpecialByte) {
  std::string raw = std::string("a#b$c}d*e") + '\0' + "\x7d\x03";
  std::string esc = rsp::escape_binary(raw);
  EXPECT_EQ(esc.find_first_of("#$*"), std::string::npos);
  EXPECT_EQ(rsp::escape_binary("#$}*"), "}\x03}\x04}]}\x0a");
  auto back = rsp::unescape_binary(esc);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, raw);
}

TEST(Packet, UnescapeRejectsATrailingEscape) {
  EXPECT_FALSE(rsp::unescape_binary("abc}"));
  EXPECT_EQ(rsp::unescape_binary("}]"), std::string("}"));
}

TEST(Packet, Hex) {
  uint8_t b[] = {0x00, 0xab, 0xff};
  EXPECT_EQ(rsp::to_hex(b, 3), "00abff");
  EXPECT_EQ(rsp::from_hex("00ABff"), (std::vector<uint8_t>{0x00, 0xab, 0xff}));
  EXPECT_FALSE(rsp::from_hex("abc"));
  EXPECT_FALSE(rsp::from_hex("zz"));
  EXPECT_EQ(rsp::parse_hex("10000000"), 0x10000000u);
  EXPECT_EQ(rsp::parse_hex("ffffffffffffffff"), ~uint64_t(0));
  EXPECT_FALSE(rsp::parse_hex(""));
  EXPECT_FALSE(rsp::parse_hex("10000000000000000"));  // 17 digits
  EXPECT_FALSE(rsp::parse_hex("12g"));
  EXPECT_FALSE(rsp::parse_hex("-1"));
  EXPECT_EQ(rsp::hex_be(0x1234, 4), "00001234");
}

TEST(PacketReader, FramesAcksAndInterrupts) {
  rsp::PacketReader r(64);
  auto ev = feed(r, "+$OK#9a-\x03");
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].kind, Kind::Ack);
  EXPECT_EQ(ev[1].kind, Kind::Packet);
  EXPECT_EQ(ev[1].payload, "OK");
  EXPECT_EQ(ev[2].kind, Kind::Nack);
  EXPECT_EQ(ev[3].kind, Kind::Interrupt);
}

TEST(PacketReader, PacketsMaySpanReads) {
  rsp::PacketReader r(64);
  EXPECT_TRUE(feed(r, "$O").empty());
  EXPECT_TRUE(feed(r, "K#").empty());
  EXPECT_TRUE(feed(r, "9").empty());
  auto ev = feed(r, "A");  // upper-case checksum digits are fine
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Kind::Packet);
  EXPECT_EQ(ev[0].payload, "OK");
}

TEST(PacketReader, MalformedInput) {
  rsp::PacketReader r(8);
  auto ev = feed(r, "junk$OK#00$OK#zz$0123456789#00$g#67");
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].kind, Kind::BadChecksum);
  EXPECT_EQ(ev[1].kind, Kind::BadChecksum);
  EXPECT_EQ(ev[2].kind, Kind::TooLong);
  EXPECT_EQ(ev[3].kind, Kind::Packet);  // the reader recovers
  EXPECT_EQ(ev[3].payload, "g");
}

TEST(PacketReader, ADollarRestartsACutShortPacket) {
  rsp::PacketReader r(64);
  auto ev = feed(r, "$m10$g#67");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "g");
}

TEST(PacketReader, BinaryPayloadsStayEscaped) {
  rsp::PacketReader r(64);
  std::string payload = "X0,1:}]";  // one byte, '}'
  auto ev = feed(r, rsp::frame(payload));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, payload);
}

TEST(PowerRegisters, GPacketLayoutMatchesTheDescription) {
  CoreRegisters r;
  for (unsigned n = 0; n < 32; ++n) r.gpr[n] = 0x0101010101010101ull * n;
  r.pc = 0x10000100;
  r.msr = 0x8000000000000000ull;
  r.cr = 0x24000000;
  r.lr = 0x10000200;
  r.ctr = 7;
  r.xer = 0x20000000;
  for (unsigned n = 0; n < 32; ++n) r.fpr[n] = 0x3ff0000000000000ull + n;
  r.fpscr = 0x82004000;
  std::string g = encode_g(r);
  ASSERT_EQ(g.size(), 2 * kGPacketBytes);
  EXPECT_EQ(g.substr(16, 16), "0101010101010101");      // r1
  EXPECT_EQ(g.substr(32 * 16, 16), "3ff0000000000000");  // f0 follows r31
  EXPECT_EQ(g.substr(63 * 16, 16), "3ff000000000001f");  // f31
  EXPECT_EQ(g.substr(64 * 16, 16), "0000000010000100");  // pc follows f31
  EXPECT_EQ(g.substr(66 * 16, 8), "24000000");           // cr: 32 bits
  EXPECT_EQ(g.substr(g.size() - 16, 8), "20000000");     // xer: 32 bits
  EXPECT_EQ(g.substr(g.size() - 8), "82004000");         // fpscr last: 32 bits
  auto back = decode_g(g);
  ASSERT_TRUE(back);
  EXPECT_EQ(encode_g(*back), g);
  EXPECT_FALSE(decode_g(g.substr(2)));
  EXPECT_EQ(encode_register(r, kRegCr), "24000000");
  EXPECT_EQ(encode_register(r, kRegPc), "0000000010000100");
  EXPECT_EQ(encode_register(r, kRegF0 + 2), "3ff0000000000002");
  EXPECT_EQ(encode_register(r, kRegFpscr), "82004000");
  EXPECT_FALSE(encode_register(r, 71));
  EXPECT_TRUE(decode_register(r, kRegF0 + 5, "4009000000000000"));
  EXPECT_EQ(r.fpr[5], 0x4009000000000000ull);
  EXPECT_FALSE(decode_register(r, kRegF0, "3ff00000"));  // wrong width
  EXPECT_TRUE(decode_register(r, kRegFpscr, "00000003"));
  EXPECT_EQ(r.fpscr, 3u);
  EXPECT_TRUE(decode_register(r, kRegLr, "0000000000001234"));
  EXPECT_EQ(r.lr, 0x1234u);
  EXPECT_FALSE(decode_register(r, kRegCr, "0000000000001234"));  // wrong width
}

TEST(PowerRegisters, TargetXmlNamesTheRegisters) {
  const std::string& xml = power_target_xml();
  EXPECT_NE(xml.find("<architecture>powerpc:common64</architecture>"), std::string::npos);
  EXPECT_NE(xml.find("org.gnu.gdb.power.core"), std::string::npos);
  EXPECT_NE(xml.find("org.gnu.gdb.power.fpu"), std::string::npos);
  for (const char* name : {"\"r0\"", "\"r31\"", "\"pc\"", "\"msr\"", "\"cr\"", "\"lr\"", "\"ctr\"", "\"xer\"",
                           "\"f0\"", "\"f31\"", "\"fpscr\""})
    EXPECT_NE(xml.find(name), std::string::npos) << name;
  EXPECT_EQ(xml.find_first_of("#$*}"), std::string::npos);
}

}  // namespace
}  // namespace dusim::gdb
