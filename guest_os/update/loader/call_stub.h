// ELFv1 TOC-switching call stubs, for `bl` from the module to a function
// outside it (the kernel). The module's code calls with r2 = the module's TOC;
// the callee needs its own. A stub, reached by the `bl`,
//
//     addis r11,r2,(slot - .TOC.)@ha    r11 = the descriptor's address, read
//     ld    r11,(slot - .TOC.)@l(r11)     from the stub's data slot
//     std   r2,40(r1)                   save the caller's TOC in its frame
//     ld    r12,0(r11)                  entry point
//     ld    r2,8(r11)                   callee's TOC
//     mtctr r12
//     ld    r11,16(r11)                 environment pointer
//     bctr
//   slot: .quad descriptor address
//
// and the `nop` the compiler left after the `bl` becomes `ld r2,40(r1)`, so
// the caller has its TOC back when the callee returns. The stub reads the
// descriptor at call time, not a copy, so a kernel that rewrites one of its
// descriptors is followed. Stubs are found by r2, so the module's TOC must be
// within ±2 GiB (it is: same allocation).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "reason.h"

namespace dusim::loader {

inline constexpr size_t kStubBytes = 40;
inline constexpr uint32_t kNop = 0x60000000;        // ori 0,0,0
inline constexpr uint32_t kRestoreToc = 0xe8410028;  // ld r2,40(r1)

// The stubs of one module: `capacity` slots of kStubBytes from `area`.
class CallStubs {
 public:
  CallStubs(uint8_t* area, size_t capacity, uint64_t toc) : area_(area), capacity_(capacity), toc_(toc) {}
  // The stub calling through the descriptor at `descriptor`, made on first
  // use. Returns its address, or 0 (with a reason) if none can be made.
  uint64_t stub_for(uint64_t descriptor, Reason& why);
  size_t count() const { return used_; }

 private:
  uint8_t* area_;
  size_t capacity_;
  size_t used_ = 0;
  uint64_t toc_;
};

// Checks the call at `call` (an I-form branch with the link bit) and that the
// instruction after it is the nop to patch; patches it to ld r2,40(r1).
// `what` names the callee for the reason.
bool patch_toc_restore(uint8_t* call, const char* what, Reason& why);

}  // namespace dusim::loader
