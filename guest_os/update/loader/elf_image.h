// A checked view of a module image. check_image() accepts an image only when
// everything later phases read is inside it: the ELF header, the section
// header table, the section-name table, every section's bytes, the one symbol
// table and its string table (names NUL-terminated inside it), every symbol's
// section, every relocation section's symbol table, target section, symbol
// indexes and offsets. After that, the other phases index freely.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "elf64.h"
#include "reason.h"

namespace dusim::loader {

struct ElfImage {
  const uint8_t* data;
  size_t size;
  uint32_t shnum;
  const uint8_t* shdrs;
  const char* shstrtab;
  uint32_t symtab;  // section index of the symbol table
  uint32_t nsyms;
  const uint8_t* syms;
  const char* strtab;

  elf::Shdr section(uint32_t i) const { return {shdrs + size_t(i) * elf::kShdrSize}; }
  const char* section_name(uint32_t i) const { return shstrtab + section(i).name(); }
  const uint8_t* section_bytes(uint32_t i) const { return data + section(i).offset(); }
  elf::Sym symbol(uint32_t i) const { return {syms + size_t(i) * elf::kSymSize}; }
  const char* symbol_name(uint32_t i) const { return strtab + symbol(i).name(); }
  uint64_t relocation_count(uint32_t rela_section) const { return section(rela_section).size() / elf::kRelaSize; }
  elf::Rela relocation(uint32_t rela_section, uint64_t k) const {
    return {section_bytes(rela_section) + k * elf::kRelaSize};
  }
  // The first section with this name, or 0.
  uint32_t find_section(const char* name) const;
};

// Largest section alignment the loader honours.
inline constexpr uint64_t kMaxSectionAlign = 64 * 1024;

bool check_image(const uint8_t* data, size_t size, ElfImage* out, Reason& why);

// Small string helpers (the loader links against no libc).
bool str_eq(const char* a, const char* b);
bool str_starts(const char* s, const char* prefix);

}  // namespace dusim::loader
