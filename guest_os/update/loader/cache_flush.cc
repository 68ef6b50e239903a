#include "cache_flush.h"

namespace dusim::loader {

void flush_icache(const uint8_t* begin, size_t size, uint32_t line_bytes) {
#if defined(__powerpc64__)
  uint64_t line = line_bytes ? line_bytes : 32;
  uint64_t first = uint64_t(uintptr_t(begin)) & ~(line - 1), end = uint64_t(uintptr_t(begin)) + size;
  for (uint64_t p = first; p < end; p += line) __asm__ volatile("dcbst 0,%0" ::"r"(p) : "memory");
  __asm__ volatile("sync" ::: "memory");
  for (uint64_t p = first; p < end; p += line) __asm__ volatile("icbi 0,%0" ::"r"(p) : "memory");
  __asm__ volatile("sync" ::: "memory");  // the icbis are done everywhere before we go on
  __asm__ volatile("isync" ::: "memory");
#else
  (void)begin, (void)size, (void)line_bytes;  // host unit tests never run module code
#endif
}

}  // namespace dusim::loader
