// Predecoded-instruction cache: each 4 KiB page of code that has executed
// owns an array of 1024 Insn slots. A slot starts as a decode stub; the stub
// decodes the word once and patches the slot, so each address is decoded
// once until a store to the page or an icbi sends its slots back to stubs.
// Pages are never freed while the machine runs, so a CPU may keep a pointer
// to the page it is executing across an invalidation.
//
// Locking and synchronization: none. All CPUs of a machine run in SystemC
// threads of one host thread, so at most one touches the cache at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "cpu_ppc64/insn.h"

namespace dusim::ppc {

class CodeCache {
 public:
  static constexpr unsigned kPageShift = 12;
  static constexpr unsigned kSlots = 1u << (kPageShift - 2);
  struct Page {
    Insn slot[kSlots];
  };

  // `on_new_page(page_addr)` runs when a page first holds decoded code, so
  // that the memory side stops granting fast-path writes to it.
  explicit CodeCache(std::function<void(uint64_t)> on_new_page = {}) : on_new_page_(std::move(on_new_page)) {}

  Page* page(uint64_t pc) {
    uint64_t vpn = pc >> kPageShift;
    auto it = pages_.find(vpn);
    if (it != pages_.end()) return it->second.get();
    return add_page(vpn);
  }
  bool holds_code(uint64_t addr) const { return pages_.count(addr >> kPageShift) != 0; }

  // Sends the slots of [addr, addr+len) back to decode stubs.
  void invalidate(uint64_t addr, uint64_t len);

  uint64_t decodes = 0;        // words decoded (statistics)
  uint64_t invalidations = 0;  // slots reset by stores or icbi

 private:
  Page* add_page(uint64_t vpn);
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
  std::function<void(uint64_t)> on_new_page_;
};

// The body every fresh slot starts with: decode, patch the slot, execute.
void exec_decode_stub(Cpu& c, const Insn& i);

}  // namespace dusim::ppc
