// State transfer between an object and its replacement (seed: "transfer
// negotiation protocol"; claims 3-5, 16).
//
// Each object declares the formats it can export and import as bit vectors.
// Before a hot swap disturbs anything, the old object's export vector is
// ANDed with the new object's import vector and the highest set bit is the
// format used (a higher bit is a more desirable format); no common bit
// aborts the swap cleanly. After quiescence the old object exports into a
// StateBuffer and the new one imports from it.
//
//   kXferSharedBackEnd  the state lives in a back end both classes use: the
//                       buffer carries only the back end's address; the new
//                       object re-points at it, nothing is copied, and the old
//                       object is destroyed without its back end (claims 4, 5).
//   kXferCopy*          the exporter writes a class-specific struct that the
//                       importer reads (claim 3: copy through a common format).
#pragma once

#include "kernel/heap.h"
#include "kernel/types.h"

namespace obj {

enum : u64 {
  kXferCopyV0 = 1ull << 0,         // a class's original state struct
  kXferSharedBackEnd = 1ull << 16, // re-point a shared back end (no copy)
};

// A copy format's buffer lives in the swapping thread's frame when it fits
// (kInlineBytes): the transfer runs while calls are held, and a kmalloc
// there may have to grow the heap (carve a fresh 64 KiB slab: ~75 us of
// cache misses on the POWER5 config, the whole blocked window of the
// allocator's fix). Larger states are kmalloc'd.
struct StateBuffer {
  static constexpr uval kInlineBytes = 2048;
  void* data = nullptr;  // the exporter's copy (inline or kmalloc'd), or the back end (shared)
  uval bytes = 0;        // bytes copied (0 for a shared back end)
  bool owned = false;    // data is kmalloc'd and freed by the swap
  alignas(16) u8 inline_data[kInlineBytes];
  void* alloc(uval n) {
    bytes = n;
    owned = n > kInlineBytes;
    data = owned ? kmalloc(n) : inline_data;
    return data;
  }
};

// The highest common bit of export & import, or 0.
inline u64 negotiate_format(u64 export_bits, u64 import_bits) {
  u64 common = export_bits & import_bits;
  if (!common) return 0;
  return 1ull << (63 - __builtin_clzll(common));
}

}  // namespace obj
