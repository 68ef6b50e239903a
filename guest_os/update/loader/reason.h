// A one-line rejection reason, built into a fixed buffer (no heap, no libc):
//   why << "unknown relocation type " << type << " at " << section << "+" << Hex{offset};
// Text that does not fit is cut; the buffer is always NUL-terminated.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace dusim::loader {

struct Hex {
  uint64_t v;
};

class Reason {
 public:
  Reason(char* buf, size_t cap) : buf_(buf), cap_(cap) { clear(); }
  void clear() {
    len_ = 0;
    if (cap_) buf_[0] = 0;
  }
  bool empty() const { return len_ == 0; }
  const char* c_str() const { return buf_; }

  Reason& operator<<(const char* s);
  Reason& operator<<(uint64_t v);
  Reason& operator<<(uint32_t v) { return *this << uint64_t(v); }
  Reason& operator<<(int64_t v);
  Reason& operator<<(Hex h);

 private:
  void put(char c) {
    if (len_ + 1 < cap_) {
      buf_[len_++] = c;
      buf_[len_] = 0;
    }
  }
  char* buf_;
  size_t cap_;
  size_t len_;
};

}  // namespace dusim::loader
