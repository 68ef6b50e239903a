#include "memory/phys_memory.h"

#include <sys/mman.h>

#include <cstring>
#include <stdexcept>

namespace dusim {

PhysMemory::~PhysMemory() {
  for (Region& r : regions_) munmap(r.host, r.size);
}

void PhysMemory::add_region(std::string name, uint64_t base, uint64_t size) {
  if ((base | size) & 0xfff) throw std::invalid_argument("memory region " + name + " is not 4 KiB aligned");
  for (const Region& r : regions_) {
    if (base < r.base + r.size && r.base < base + size)
      throw std::invalid_argument("memory region " + name + " overlaps " + r.name);
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map " + std::to_string(size) + " bytes for " + name);
  regions_.push_back({std::move(name), base, size, static_cast<uint8_t*>(p)});
}

bool PhysMemory::read(uint64_t addr, void* dst, uint64_t len) const {
  const uint8_t* p = host(addr, len);
  if (!p) return false;
  std::memcpy(dst, p, len);
  return true;
}

bool PhysMemory::write(uint64_t addr, const void* src, uint64_t len) {
  uint8_t* p = host(addr, len);
  if (!p) return false;
  std::memcpy(p, src, len);
  return true;
}

}  // namespace dusim
