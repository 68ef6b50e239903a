#include "call_stub.h"

#include "elf64.h"

namespace dusim::loader {

namespace {

// The stub's instructions; the first two get the slot's TOC offset.
constexpr uint32_t kStubCode[8] = {
    0x3d620000,  // addis r11,r2,0
    0xe96b0000,  // ld    r11,0(r11)
    0xf8410028,  // std   r2,40(r1)
    0xe98b0000,  // ld    r12,0(r11)
    0xe84b0008,  // ld    r2,8(r11)
    0x7d8903a6,  // mtctr r12
    0xe96b0010,  // ld    r11,16(r11)
    0x4e800420,  // bctr
};
constexpr size_t kSlotOffset = sizeof kStubCode;
static_assert(kSlotOffset + 8 == kStubBytes);

}  // namespace

uint64_t CallStubs::stub_for(uint64_t descriptor, Reason& why) {
  for (size_t i = 0; i < used_; ++i) {
    uint8_t* s = area_ + i * kStubBytes;
    if (elf::load64(s + kSlotOffset) == descriptor) return uint64_t(uintptr_t(s));
  }
  if (used_ == capacity_) {
    why << "internal error: more call stubs needed than counted";
    return 0;
  }
  uint8_t* s = area_ + used_ * kStubBytes;
  int64_t off = int64_t(uint64_t(uintptr_t(s + kSlotOffset)) - toc_);
  if (off < -(int64_t(1) << 31) || off >= (int64_t(1) << 31) - 0x8000) {
    why << "call stub out of reach of the module's TOC";
    return 0;
  }
  uint16_t ha = uint16_t((uint64_t(off) + 0x8000) >> 16), lo = uint16_t(off);
  for (size_t i = 0; i < 8; ++i) elf::store<uint32_t>(s + 4 * i, kStubCode[i]);
  elf::store<uint32_t>(s + 0, kStubCode[0] | ha);
  elf::store<uint32_t>(s + 4, kStubCode[1] | (lo & 0xfffc));  // the slot is 8-aligned, as is .TOC.
  elf::store<uint64_t>(s + kSlotOffset, descriptor);
  ++used_;
  return uint64_t(uintptr_t(s));
}

bool patch_toc_restore(uint8_t* call, const char* what, Reason& why) {
  uint32_t insn = elf::load32(call);
  if ((insn >> 26) != 18 || (insn & 3) != 1) {
    why << "branch to " << what << " outside the module is not a call (bl): its TOC cannot be restored";
    return false;
  }
  uint32_t next = elf::load32(call + 4);
  if (next != kNop) {
    why << "call to " << what << " is not followed by a nop to restore the TOC (found " << Hex{next} << ")";
    return false;
  }
  elf::store<uint32_t>(call + 4, kRestoreToc);
  return true;
}

}  // namespace dusim::loader
