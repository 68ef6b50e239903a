// The registers as GDB sees them: a target description (target.xml) for
// architecture powerpc:common64 and the matching layout of `g` packets and
// register numbers of `p`/`P`.
//
// Features: `org.gnu.gdb.power.core` (r0-r31, pc, msr, cr, lr, ctr, xer) and
// `org.gnu.gdb.power.fpu` (f0-f31, fpscr): the CPU's floating-point
// registers, read and written as they are (fpscr is its 32-bit low word, as
// in GDB's own power-fpu description; the upper word holds only DRN).
//
// Numbering follows GDB's own powerpc64 descriptions: r0-r31 are 0-31,
// f0-f31 32-63, pc 64, msr 65, cr 66, lr 67, ctr 68, xer 69, fpscr 70. A `g`
// packet holds them in that order, big-endian: 64-bit values except cr, xer
// and fpscr (32-bit), 556 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cpu_ppc64/cpu.h"
#include "gdb/debug_target.h"

namespace dusim::gdb {

const std::string& power_target_xml();

constexpr unsigned kRegF0 = 32, kRegPc = 64, kRegMsr = 65, kRegCr = 66, kRegLr = 67, kRegCtr = 68, kRegXer = 69,
                   kRegFpscr = 70;
constexpr size_t kGPacketBytes = 32 * 8 + 32 * 8 + 8 + 8 + 4 + 8 + 8 + 4 + 4;

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
