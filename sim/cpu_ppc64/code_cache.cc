#include "cpu_ppc64/code_cache.h"

namespace dusim::ppc {

static void reset(CodeCache::Page& p, unsigned first, unsigned count) {
  for (unsigned k = first; k < first + count; ++k) p.slot[k] = Insn{exec_decode_stub, 0, kNoDef, 0, 0};
}

CodeCache::Page* CodeCache::add_page(uint64_t vpn) {
  auto page = std::make_unique<Page>();
  reset(*page, 0, kSlots);
  Page* p = page.get();
  pages_.emplace(vpn, std::move(page));
  if (on_new_page_) on_new_page_(vpn << kPageShift);
  return p;
}

void CodeCache::invalidate(uint64_t addr, uint64_t len) {
  uint64_t end = addr + len;
  for (uint64_t a = addr & ~uint64_t(3); a < end;) {
    uint64_t vpn = a >> kPageShift;
    uint64_t page_end = (vpn + 1) << kPageShift;
    uint64_t stop = end < page_end ? end : page_end;
    auto it = pages_.find(vpn);
    if (it != pages_.end()) {
      unsigned first = (a & ((1u << kPageShift) - 1)) >> 2;
      unsigned last = ((stop - 1) & ((1u << kPageShift) - 1)) >> 2;
      reset(*it->second, first, last - first + 1);
      invalidations += last - first + 1;
    }
    a = stop;
  }
}

}  // namespace dusim::ppc
