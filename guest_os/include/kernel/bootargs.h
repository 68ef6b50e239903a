// Boot arguments: "KEY=VALUE" strings from the boot-information block's
// argument area (dusim run-bare --arg KEY=VALUE). Scenarios and tests set
// them without rebuilding the kernel.
#pragma once

#include "kernel/types.h"

namespace bootargs {
void init(uval area, uval size);
// The value of KEY, or nullptr.
const char* get(const char* key);
// Decimal or 0x-hex; `def` when absent or malformed.
u64 get_u64(const char* key, u64 def);
// The same rule for any value string (nullptr: absent).
u64 parse_u64(const char* value, u64 def);
bool get_bool(const char* key, bool def);
}  // namespace bootargs
