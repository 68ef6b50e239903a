// ELF64 big-endian PowerPC executables (ELFv1 ABI): validation with one-line
// reasons, loadable segments, the entry function descriptor, and the
// function symbols (resolved through .opd to their code addresses).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "loader/symbols.h"

namespace dusim {

class PhysMemory;

// A file that is not a usable ELF image; what() is "FILE: reason".
struct BadElf : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ElfImage {
 public:
  struct Segment {
    uint64_t vaddr, paddr, memsz;
    std::vector<uint8_t> bytes;  // file contents (filesz bytes); the rest is zero
    bool exec, write;
  };

  // Images larger than this on disk are refused before they are read.
  static constexpr uint64_t kMaxFileBytes = uint64_t(1) << 30;
  // Reads and validates `path` (a regular file of at most kMaxFileBytes);
  // throws BadElf.
  static ElfImage load(const std::string& path);

  // Copies the segments' file bytes into memory (at vaddr, or paddr when
  // `physical`), which must be fresh, zero-filled memory: the zero tails
  // (memsz beyond the file's bytes) are left as they are, so a huge .bss
  // costs the host nothing until the guest touches it.
  // Throws BadElf if a segment does not fit in mapped memory.
  void place(PhysMemory& mem, bool physical) const;

  const std::string& path() const { return path_; }
  uint64_t entry_descriptor() const { return entry_; }  // e_entry: address of a function descriptor
  uint16_t type() const { return type_; }
  const std::vector<Segment>& segments() const { return segments_; }
  uint64_t phdr_vaddr() const { return phdr_vaddr_; }
  uint16_t phnum() const { return phnum_; }
  uint64_t lowest() const;   // lowest loaded address
  uint64_t highest() const;  // end of the highest loaded segment
  const SymbolTable& symbols() const { return symbols_; }
  // Reads a big-endian doubleword from the image's segments (for descriptors).
  bool read64(uint64_t vaddr, uint64_t& out) const;

 private:
  BadElf bad(const std::string& why) const { return BadElf(path_ + ": " + why); }
  void read_segments(const std::vector<uint8_t>& d, uint64_t phoff, uint16_t phentsize, uint16_t phnum);
  void read_symbols(const std::vector<uint8_t>& d, uint64_t shoff, uint16_t shentsize, uint16_t shnum,
                    uint16_t shstrndx);

  std::string path_;
  uint64_t entry_ = 0;
  uint16_t type_ = 0;
  uint64_t phdr_vaddr_ = 0;
  uint16_t phnum_ = 0;
  std::vector<Segment> segments_;
  SymbolTable symbols_;
};

}  // namespace dusim
