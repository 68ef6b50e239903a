// Making freshly written code visible to instruction fetch (Power ISA Book II,
// "Instruction Storage"): write the data cache blocks back (dcbst), wait
// (sync), invalidate the instruction cache blocks (icbi, sync), and discard
// prefetched instructions (isync). icbi is broadcast to every CPU; another
// CPU that will run the code needs its own isync (or any context-synchronizing
// event, such as an interrupt) after it learns of the code through memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace dusim::loader {

void flush_icache(const uint8_t* begin, size_t size, uint32_t line_bytes);

}  // namespace dusim::loader
