// Memory: the page allocator hands out disjoint, aligned blocks and takes
// them back (free space returns to where it was); the heap serves every size
// class and large blocks, from every CPU at once.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/ktest.h"
#include "kernel/page_allocator.h"
#include "kernel/percpu.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

KTEST(pages_and_heap, "1,4") {
  uval free0 = page_allocator().freeBytes();
  void* blocks[64];
  uval sizes[64];
  for (unsigned i = 0; i < 64; ++i) {
    sizes[i] = 1 + (i * 7) % 9;  // 1..9 pages
    blocks[i] = alloc_pages(sizes[i]);
    KREQUIRE(blocks[i], "allocation %u failed", i);
    KEXPECT((uval(blocks[i]) & (kPageSize - 1)) == 0, "block %p not page-aligned", blocks[i]);
    memset(blocks[i], int(i), sizes[i] * kPageSize);
  }
  for (unsigned i = 0; i < 64; ++i) {
    const u8* p = static_cast<const u8*>(blocks[i]);
    bool intact = true;
    for (uval k = 0; k < sizes[i] * kPageSize; k += 512) intact &= p[k] == u8(i);
    KEXPECT(intact, "block %u overlaps another", i);
  }
  for (unsigned i = 0; i < 64; ++i) free_pages(blocks[i], sizes[i]);
  KEXPECT(page_allocator().freeBytes() == free0, "free bytes %lu after freeing everything, %lu before",
          page_allocator().freeBytes(), free0);
  uval a = 0;
  KEXPECT(page_allocator().allocPages(a, uval(1) << 40) == kErrNoMemory, "a 1 TiB allocation succeeded");

  // Heap: every class and a large block.
  for (uval size = 1; size <= 40000; size = size * 3 + 1) {
    u8* p = static_cast<u8*>(kmalloc(size));
    KREQUIRE(p, "kmalloc(%lu) failed", size);
    KEXPECT((uval(p) & 15) == 0, "kmalloc(%lu) = %p not 16-byte aligned", size, p);
    KEXPECT(kmalloc_usable_size(p) >= size, "kmalloc(%lu) usable size %lu", size, kmalloc_usable_size(p));
    memset(p, 0xab, size);
    kfree(p);
  }
}

namespace {
struct HeapStress {
  u64 rounds;
  volatile u64 corrupt;
  Latch done;
};
void heap_stress(void* a) {
  HeapStress* h = static_cast<HeapStress*>(a);
  void* live[32] = {};
  u64 tag = (u64(cpu_id()) << 32) | 1;
  for (u64 r = 0; r < h->rounds; ++r) {
    unsigned slot = unsigned(r % 32);
    if (live[slot]) {
      u64* p = static_cast<u64*>(live[slot]);
      if (p[0] != p[1] || (p[0] >> 32) != cpu_id()) atomic_fetch_add(&h->corrupt, 1);
      kfree(p);
    }
    u64* p = static_cast<u64*>(kmalloc(16 + (r * 40) % 3000));
    p[0] = p[1] = tag++;
    live[slot] = p;
  }
  for (void* p : live) kfree(p);
  h->done.count_down();
}
}  // namespace

KTEST(heap_all_cpus, "4,16") {
  HeapStats before = heap_stats();
  HeapStress h{ktest::arg("rounds", 2000), 0, Latch(ncpus())};
  KREQUIRE(ktest::start_threads(ncpus(), heap_stress, &h), "no memory");
  h.done.wait();
  HeapStats after = heap_stats();
  KEXPECT(h.corrupt == 0, "%lu heap blocks were handed out twice or overwritten", h.corrupt);
  KEXPECT(after.allocs - before.allocs >= h.rounds * ncpus(), "only %lu allocations counted",
          after.allocs - before.allocs);
}

// memset(p, 0, n) zeroes whole cache lines with dcbz: every start offset and
// length around the line boundaries must clear exactly [p, p+n) — not a byte
// of the guard bytes on either side — and memset with other values must not
// take that path.
KTEST(memset_zero_lines, "1") {
  const uval line = g_zero_line_bytes;
  KREQUIRE(line >= 16, "boot did not set the line size (%lu)", line);
  const uval span = 6 * line;
  u8* buf = static_cast<u8*>(alloc_pages(round_up<uval>(span, kPageSize) / kPageSize));
  KREQUIRE(buf, "no memory");
  unsigned bad = 0, cases = 0;
  const uval lens[] = {0, 1, line - 1, line, line + 1, 2 * line - 1, 2 * line, 2 * line + 1, 3 * line + 5, 4 * line};
  for (uval off = 0; off <= line + 8; off += (off < 9 || off > line - 9) ? 1 : 16) {
    for (uval n : lens) {
      if (off + n > span) continue;
      for (uval k = 0; k < span; ++k) buf[k] = 0xa5;
      memset(buf + off, 0, n);
      ++cases;
      for (uval k = 0; k < span; ++k) {
        u8 want = (k >= off && k < off + n) ? 0 : 0xa5;
        if (buf[k] != want) {
          if (bad++ < 4) kprintf("memset(buf+%lu, 0, %lu): byte %lu is 0x%x\n", off, n, k, buf[k]);
          break;
        }
      }
    }
  }
  for (uval k = 0; k < span; ++k) buf[k] = 0;
  memset(buf + 3, 0x5a, 3 * line);
  KEXPECT(buf[2] == 0 && buf[3] == 0x5a && buf[3 * line + 2] == 0x5a && buf[3 * line + 3] == 0, "memset(0x5a)");
  KEXPECT(bad == 0, "%u of %u memset(0) cases wrong", bad, cases);
  free_pages(buf, round_up<uval>(span, kPageSize) / kPageSize);
}

// memcpy, memmove and memset at every alignment of source and
// destination and every length around the doubleword paths (memset's
// cache-line path too), against byte loops; the bytes around each copy untouched (memcpy's aligned loads of a
// misaligned source must not show up as stores past the end).
KTEST(string_functions, "1") {
  static u8 src[96], dst[1024], want[1024];
  for (unsigned i = 0; i < sizeof src; ++i) src[i] = u8(i * 37 + 11);
  unsigned bad = 0;
  for (unsigned so = 0; so < 16; ++so)
    for (unsigned dof = 0; dof < 16; ++dof)
      for (unsigned n = 0; n <= 64; ++n) {
        for (unsigned i = 0; i < sizeof dst; ++i) dst[i] = want[i] = 0xee;
        for (unsigned i = 0; i < n; ++i) want[dof + i] = src[so + i];
        memcpy(dst + dof, src + so, n);
        if (memcmp(dst, want, sizeof dst) != 0 && bad++ < 4)
          kprintf("memcpy(dst+%u, src+%u, %u) wrong\n", dof, so, n);
      }
  KEXPECT(bad == 0, "%u memcpy cases wrong", bad);
  bad = 0;
  for (unsigned from = 0; from < 16; ++from)
    for (unsigned to = 0; to < 16; ++to)
      for (unsigned n = 0; n <= 64; ++n) {  // overlapping both ways
        for (unsigned i = 0; i < sizeof dst; ++i) dst[i] = want[i] = u8(i);
        for (unsigned i = 0; i < n; ++i) want[to + i] = u8(from + i);
        memmove(dst + to, dst + from, n);
        if (memcmp(dst, want, sizeof dst) != 0 && bad++ < 4)
          kprintf("memmove(dst+%u, dst+%u, %u) wrong\n", to, from, n);
      }
  KEXPECT(bad == 0, "%u memmove cases wrong", bad);
  bad = 0;
  static const unsigned lines[] = {255, 256, 257, 300, 383, 511, 512, 600, 900};  // dcbz for whole cache lines
  for (unsigned at = 0; at < 16; ++at)
    for (unsigned n = 0; n <= 80 + 9; ++n)
      for (int c = 0; c < 2; ++c) {
        const unsigned len = n <= 80 ? n : lines[n - 81];
        if (at + len > sizeof dst) continue;
        for (unsigned i = 0; i < sizeof dst; ++i) dst[i] = want[i] = 0xee;
        for (unsigned i = 0; i < len; ++i) want[at + i] = u8(c * 0x5a);
        memset(dst + at, c * 0x5a, len);
        if (memcmp(dst, want, sizeof dst) != 0) ++bad;
      }
  KEXPECT(bad == 0, "%u memset cases wrong", bad);
}
