// ELF64 as the module loader reads it: the few constants it needs and
// accessors over the raw bytes. Facts from the System V gABI and the 64-bit
// PowerPC ELF ABI (ELFv1, version 1.9). Fields are read through byte copies
// so an image at any address works, and in big-endian order so the same code
// runs in the guest (big-endian ppc64) and in host unit tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace dusim::loader::elf {

// ---- byte order -------------------------------------------------------------
template <typename T>
inline T from_be(T v) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if constexpr (sizeof(T) == 2) return T(__builtin_bswap16(v));
  if constexpr (sizeof(T) == 4) return T(__builtin_bswap32(v));
  if constexpr (sizeof(T) == 8) return T(__builtin_bswap64(v));
#endif
  return v;
}
template <typename T>
inline T load(const uint8_t* p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return from_be(v);
}
template <typename T>
inline void store(uint8_t* p, T v) {
  v = from_be(v);  // the swap is its own inverse
  __builtin_memcpy(p, &v, sizeof v);
}
inline uint16_t load16(const uint8_t* p) { return load<uint16_t>(p); }
inline uint32_t load32(const uint8_t* p) { return load<uint32_t>(p); }
inline uint64_t load64(const uint8_t* p) { return load<uint64_t>(p); }

// ---- constants ----------------------------------------------------------------
constexpr uint8_t kClass32 = 1, kClass64 = 2;
constexpr uint8_t kDataLsb = 1, kDataMsb = 2;
constexpr uint16_t kTypeRel = 1, kTypeExec = 2, kTypeDyn = 3, kTypeCore = 4;
constexpr uint16_t kMachinePpc64 = 21;
constexpr uint32_t kFlagsAbiMask = 3;  // e_flags: 0 or 1 = ELFv1, 2 = ELFv2

constexpr size_t kEhdrSize = 64, kShdrSize = 64, kSymSize = 24, kRelaSize = 24;

constexpr uint32_t kShtNull = 0, kShtProgbits = 1, kShtSymtab = 2, kShtStrtab = 3, kShtRela = 4,
                   kShtNobits = 8, kShtRel = 9, kShtInitArray = 14, kShtPreinitArray = 16;
constexpr uint64_t kShfWrite = 1, kShfAlloc = 2, kShfExec = 4, kShfTls = 0x400;

constexpr uint16_t kShnUndef = 0, kShnLoReserve = 0xff00, kShnAbs = 0xfff1, kShnCommon = 0xfff2;
constexpr uint8_t kStbLocal = 0, kStbGlobal = 1, kStbWeak = 2;
constexpr uint8_t kSttSection = 3;

// ---- views over the raw structures --------------------------------------------
// Each holds a pointer to the structure's first byte; the caller has checked
// that the whole structure lies inside the image.
struct Ehdr {
  const uint8_t* p;
  uint8_t ident(int i) const { return p[i]; }
  uint16_t type() const { return load16(p + 16); }
  uint16_t machine() const { return load16(p + 18); }
  uint32_t version() const { return load32(p + 20); }
  uint64_t shoff() const { return load64(p + 40); }
  uint32_t flags() const { return load32(p + 48); }
  uint16_t shentsize() const { return load16(p + 58); }
  uint16_t shnum() const { return load16(p + 60); }
  uint16_t shstrndx() const { return load16(p + 62); }
};

struct Shdr {
  const uint8_t* p;
  uint32_t name() const { return load32(p + 0); }
  uint32_t type() const { return load32(p + 4); }
  uint64_t flags() const { return load64(p + 8); }
  uint64_t offset() const { return load64(p + 24); }
  uint64_t size() const { return load64(p + 32); }
  uint32_t link() const { return load32(p + 40); }
  uint32_t info() const { return load32(p + 44); }
  uint64_t addralign() const { return load64(p + 48); }
  uint64_t entsize() const { return load64(p + 56); }
  bool alloc() const { return flags() & kShfAlloc; }
};

struct Sym {
  const uint8_t* p;
  uint32_t name() const { return load32(p + 0); }
  uint8_t bind() const { return p[4] >> 4; }
  uint8_t type() const { return p[4] & 0xf; }
  uint16_t shndx() const { return load16(p + 6); }
  uint64_t value() const { return load64(p + 8); }
  uint64_t size() const { return load64(p + 16); }
};

struct Rela {
  const uint8_t* p;
  uint64_t offset() const { return load64(p + 0); }
  uint32_t sym() const { return uint32_t(load64(p + 8) >> 32); }
  uint32_t type() const { return uint32_t(load64(p + 8)); }
  int64_t addend() const { return int64_t(load64(p + 16)); }
};

}  // namespace dusim::loader::elf
