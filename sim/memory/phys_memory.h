// The machine's functional memory: every byte of guest RAM lives here exactly
// once, in guest (big-endian) byte order. Caches model only tags and timing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim {

class PhysMemory {
 public:
  struct Region {
    std::string name;
    uint64_t base;
    uint64_t size;
    uint8_t* host;
  };

  PhysMemory() = default;
  PhysMemory(const PhysMemory&) = delete;
  PhysMemory& operator=(const PhysMemory&) = delete;
  ~PhysMemory();

  // Maps zero-filled RAM at [base, base+size). Pages are allocated lazily by
  // the host, so a large, sparsely used region costs little. Regions must not
  // overlap; base and size must be 4 KiB aligned.
  void add_region(std::string name, uint64_t base, uint64_t size);

  // Host pointer for [addr, addr+len) if it lies inside one region, else null.
  uint8_t* host(uint64_t addr, uint64_t len) const {
    for (const Region& r : regions_) {
      if (addr - r.base < r.size && len <= r.size - (addr - r.base)) return r.host + (addr - r.base);
    }
    return nullptr;
  }

  bool read(uint64_t addr, void* dst, uint64_t len) const;
  bool write(uint64_t addr, const void* src, uint64_t len);
  const std::vector<Region>& regions() const { return regions_; }

 private:
  std::vector<Region> regions_;
};

}  // namespace dusim
