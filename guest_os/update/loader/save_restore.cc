#include "save_restore.h"

#include "elf64.h"
#include "elf_image.h"

namespace dusim::loader {

namespace {

constexpr uint32_t kStd = 0xf8000000, kLd = 0xe8000000;  // DS-form: rS/rT << 21 | rA << 16 | d
constexpr uint32_t kStdR0Lr = 0xf8010010;                // std r0,16(r1)
constexpr uint32_t kLdR0Lr = 0xe8010010;                 // ld r0,16(r1)
constexpr uint32_t kMtlrR0 = 0x7c0803a6, kBlr = 0x4e800020;

struct Family {
  const char* prefix;
  uint32_t op, base;  // std or ld, through r1 or r12
  uint32_t offset;    // of its first entry (N = 14) in the block
};
constexpr Family kFamilies[] = {
    {"_savegpr0_", kStd, 1, 0},
    {"_restgpr0_", kLd, 1, 20 * 4},
    {"_savegpr1_", kStd, 12, 41 * 4},
    {"_restgpr1_", kLd, 12, 60 * 4},
};

uint32_t save_slot(uint32_t op, uint32_t r, uint32_t base) {
  int32_t d = -8 * int32_t(32 - r);  // the save area ends where the base register points
  return op | r << 21 | base << 16 | (uint32_t(d) & 0xfffc);
}

}  // namespace

bool save_restore_entry(const char* name, uint32_t* offset) {
  for (const Family& f : kFamilies) {
    if (!str_starts(name, f.prefix)) continue;
    const char* p = name + 10;  // every prefix is 10 characters
    if (p[0] < '1' || p[0] > '3' || p[1] < '0' || p[1] > '9' || p[2]) return false;
    uint32_t n = uint32_t(p[0] - '0') * 10 + uint32_t(p[1] - '0');
    if (n < 14 || n > 31) return false;
    *offset = f.offset + (n - 14) * 4;
    return true;
  }
  return false;
}

void write_save_restore(uint8_t* at) {
  for (const Family& f : kFamilies) {
    uint8_t* p = at + f.offset;
    for (uint32_t r = 14; r <= 31; ++r, p += 4) elf::store<uint32_t>(p, save_slot(f.op, r, f.base));
    if (f.base == 1 && f.op == kStd) elf::store<uint32_t>(p, kStdR0Lr), p += 4;
    if (f.base == 1 && f.op == kLd) {
      elf::store<uint32_t>(p, kLdR0Lr), p += 4;
      elf::store<uint32_t>(p, kMtlrR0), p += 4;
    }
    elf::store<uint32_t>(p, kBlr);
  }
}

}  // namespace dusim::loader
