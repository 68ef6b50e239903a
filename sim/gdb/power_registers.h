// The registers as GDB sees them: a target description (target.xml) with the
// `org.gnu.gdb.power.core` feature only, for architecture powerpc:common64,
// and the matching layout of `g` packets and register numbers of `p`/`P`.
//
// Numbering follows GDB's own powerpc64 descriptions, where f0-f31 take
// numbers 32-63: r0-r31 are 0-31, then pc 64, msr 65, cr 66, lr 67, ctr 68,
// xer 69. Registers absent from the description are absent from `g` packets,
// which therefore hold r0-r31, pc, msr, cr, lr, ctr, xer back to back:
// 64-bit values except cr and xer (32-bit), big-endian, 296 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cpu_ppc64/cpu.h"
#include "gdb/debug_target.h"

namespace dusim::gdb {

const std::string& power_target_xml();

constexpr unsigned kRegPc = 64, kRegMsr = 65, kRegCr = 66, kRegLr = 67, kRegCtr = 68, kRegXer = 69;
constexpr size_t kGPacketBytes = 32 * 8 + 8 + 8 + 4 + 8 + 8 + 4;

// `g` reply body (hex) and `G` payload back to registers (nothing if malformed).
std::string encode_g(const CoreRegisters& r);
std::optional<CoreRegisters> decode_g(std::string_view hex);

// One register by GDB number, as hex of its size; nothing for an unknown number.
std::optional<std::string> encode_register(const CoreRegisters& r, unsigned regno);
// Sets one register from hex of exactly its size; false if unknown or malformed.
bool decode_register(CoreRegisters& r, unsigned regno, std::string_view hex);

// Between the CPU model and the debugger's view of it.
CoreRegisters core_registers(const ppc::Cpu& c);
void set_core_registers(ppc::Cpu& c, const CoreRegisters& r);

}  // namespace dusim::gdb
