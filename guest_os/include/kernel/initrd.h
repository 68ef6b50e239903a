// The initial image: a read-only cpio "newc" archive the host places in RAM
// at boot (sim/loader/initrd.h writes it; the boot-information block gives
// where). The kernel reads programs and their files from it; nothing writes
// it. Its pages lie outside the page allocator's memory.
#pragma once

#include "kernel/types.h"

namespace initrd {

struct File {
  const char* name;  // NUL-terminated, inside the archive
  const u8* data;
  u64 size;
  u32 mode;
};

void init(uval base, u64 size);  // boot, CPU 0
bool present();
// The file named `path` (a leading '/' is ignored): false when the archive
// has no such file or is malformed there.
bool find(const char* path, File* out);

}  // namespace initrd
