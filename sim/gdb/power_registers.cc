#include "gdb/power_registers.h"

#include <fmt/format.h>

#include "cpu_ppc64/fpu.h"
#include "gdb/packet.h"

namespace dusim::gdb {

namespace {
// Where each register lives in CoreRegisters, in `g` packet order.
struct RegisterSlot {
  unsigned regno;
  unsigned bytes;
  uint64_t CoreRegisters::* wide;    // 64-bit registers
  uint32_t CoreRegisters::* narrow;  // 32-bit registers
};

constexpr RegisterSlot kSpecials[] = {
    {kRegPc, 8, &CoreRegisters::pc, nullptr},   {kRegMsr, 8, &CoreRegisters::msr, nullptr},
    {kRegCr, 4, nullptr, &CoreRegisters::cr},   {kRegLr, 8, &CoreRegisters::lr, nullptr},
    {kRegCtr, 8, &CoreRegisters::ctr, nullptr}, {kRegXer, 4, nullptr, &CoreRegisters::xer},
    {kRegFpscr, 4, nullptr, &CoreRegisters::fpscr},
};

uint64_t get(const CoreRegisters& r, const RegisterSlot& s) { return s.wide ? r.*s.wide : r.*s.narrow; }
void put(CoreRegisters& r, const RegisterSlot& s, uint64_t v) {
  if (s.wide) r.*s.wide = v;
  else r.*s.narrow = uint32_t(v);
}
const RegisterSlot* special(unsigned regno) {
  for (const RegisterSlot& s : kSpecials)
    if (s.regno == regno) return &s;
  return nullptr;
}
uint64_t be_value(const std::vector<uint8_t>& b, size_t at, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned k = 0; k < bytes; ++k) v = v << 8 | b[at + k];
  return v;
}

std::string build_xml() {
  std::string regs;
  for (unsigned n = 0; n < 32; ++n) regs += fmt::format("    <reg name=\"r{}\" bitsize=\"64\" type=\"uint64\"/>\n", n);
  regs +=
      "    <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"64\"/>\n"
      "    <reg name=\"msr\" bitsize=\"64\" type=\"uint64\"/>\n"
      "    <reg name=\"cr\" bitsize=\"32\" type=\"uint32\"/>\n"
      "    <reg name=\"lr\" bitsize=\"64\" type=\"code_ptr\"/>\n"
      "    <reg name=\"ctr\" bitsize=\"64\" type=\"uint64\"/>\n"
      "    <reg name=\"xer\" bitsize=\"32\" type=\"uint32\"/>\n";
  std::string fprs;
  for (unsigned n = 0; n < 32; ++n)
    fprs += fmt::format("    <reg name=\"f{}\" bitsize=\"64\" type=\"ieee_double\" regnum=\"{}\"/>\n", n, kRegF0 + n);
  fprs += "    <reg name=\"fpscr\" bitsize=\"32\" group=\"float\" regnum=\"70\"/>\n";
  return "<?xml version=\"1.0\"?>\n"
         "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
         "<target version=\"1.0\">\n"
         "  <architecture>powerpc:common64</architecture>\n"
         "  <feature name=\"org.gnu.gdb.power.core\">\n" +
         regs +
         "  </feature>\n"
         "  <feature name=\"org.gnu.gdb.power.fpu\">\n" +
         fprs +
         "  </feature>\n"
         "</target>\n";
}
}  // namespace

const std::string& power_target_xml() {
  static const std::string xml = build_xml();
  return xml;
}

std::string encode_g(const CoreRegisters& r) {
  std::string out;
  out.reserve(2 * kGPacketBytes);
  for (uint64_t v : r.gpr) out += rsp::hex_be(v, 8);
  for (uint64_t v : r.fpr) out += rsp::hex_be(v, 8);
  for (const RegisterSlot& s : kSpecials) out += rsp::hex_be(get(r, s), s.bytes);
  return out;
}

std::optional<CoreRegisters> decode_g(std::string_view hex) {
  auto bytes = rsp::from_hex(hex);
  if (!bytes || bytes->size() != kGPacketBytes) return std::nullopt;
  CoreRegisters r;
  size_t at = 0;
  for (uint64_t& v : r.gpr) {
    v = be_value(*bytes, at, 8);
    at += 8;
  }
  for (uint64_t& v : r.fpr) {
    v = be_value(*bytes, at, 8);
    at += 8;
  }
  for (const RegisterSlot& s : kSpecials) {
    put(r, s, be_value(*bytes, at, s.bytes));
    at += s.bytes;
  }
  return r;
}

std::optional<std::string> encode_register(const CoreRegisters& r, unsigned regno) {
  if (regno < 32) return rsp::hex_be(r.gpr[regno], 8);
  if (regno < kRegPc) return rsp::hex_be(r.fpr[regno - kRegF0], 8);
  if (const RegisterSlot* s = special(regno)) return rsp::hex_be(get(r, *s), s->bytes);
  return std::nullopt;
}

bool decode_register(CoreRegisters& r, unsigned regno, std::string_view hex) {
  auto bytes = rsp::from_hex(hex);
  if (!bytes) return false;
  if (regno < kRegPc) {
    if (bytes->size() != 8) return false;
    (regno < 32 ? r.gpr[regno] : r.fpr[regno - kRegF0]) = be_value(*bytes, 0, 8);
    return true;
  }
  const RegisterSlot* s = special(regno);
  if (!s || bytes->size() != s->bytes) return false;
  put(r, *s, be_value(*bytes, 0, s->bytes));
  return true;
}

CoreRegisters core_registers(const ppc::Cpu& c) {
  CoreRegisters r;
  for (unsigned n = 0; n < 32; ++n) r.gpr[n] = c.gpr[n];
  r.pc = c.pc;
  r.msr = c.msr;
  r.cr = c.cr;
  r.lr = c.lr;
  r.ctr = c.ctr;
  r.xer = uint32_t(c.xer());
  for (unsigned n = 0; n < 32; ++n) r.fpr[n] = c.fpr[n];
  r.fpscr = uint32_t(c.fpscr);
  return r;
}

void set_core_registers(ppc::Cpu& c, const CoreRegisters& r) {
  for (unsigned n = 0; n < 32; ++n) c.gpr[n] = r.gpr[n];
  c.pc = r.pc & ~uint64_t(3);  // instructions are word-aligned
  c.msr = r.msr;
  c.cr = r.cr;
  c.lr = r.lr;
  c.ctr = r.ctr;
  c.set_xer(r.xer);
  for (unsigned n = 0; n < 32; ++n) c.fpr[n] = r.fpr[n];
  // As mtfsf would write it: FEX and VX are recomputed; DRN (upper word) is kept.
  c.fpscr = ppc::fpu::fpscr_written((c.fpscr & ~uint64_t(0xffffffff)) | r.fpscr);
}

}  // namespace dusim::gdb
