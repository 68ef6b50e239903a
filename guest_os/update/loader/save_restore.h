// The register save and restore routines that GCC calls at -Os (and when a
// function saves many registers) instead of inlining the stores:
// _savegpr0_N / _restgpr0_N (through r1, saving or restoring LR via r0) and
// _savegpr1_N / _restgpr1_N (through r12), for N = 14..31. On PowerPC64 they
// come from no library: the linker synthesizes them (64-bit PowerPC ELF ABI,
// "Save and Restore Routines"). The loader plays the linker's part and puts
// one copy of all of them into each module that needs them. They are local
// code: reached by bl or b without a TOC switch.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace dusim::loader {

// 18 entries per family plus the tails: 20 + 21 + 19 + 19 instructions.
inline constexpr size_t kSaveRestoreBytes = 79 * 4;

// If `name` is one of the routines, its entry's offset in the block.
bool save_restore_entry(const char* name, uint32_t* offset);
// Writes the block (kSaveRestoreBytes, word-aligned) at `at`.
void write_save_restore(uint8_t* at);

}  // namespace dusim::loader
