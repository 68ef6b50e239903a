// Phase 1 of loading: check the image before anything else reads it. Every
// rejection is one line saying what is wrong and where.
#include "elf_image.h"

namespace dusim::loader {

using namespace elf;

bool str_eq(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

bool str_starts(const char* s, const char* prefix) {
  while (*prefix && *s == *prefix) ++s, ++prefix;
  return *prefix == 0;
}

uint32_t ElfImage::find_section(const char* name) const {
  for (uint32_t i = 1; i < shnum; ++i)
    if (str_eq(section_name(i), name)) return i;
  return 0;
}

namespace {

const char* machine_name(uint16_t m) {
  switch (m) {
    case 2: return "SPARC";
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "PowerPC (32-bit)";
    case 21: return "PowerPC64";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return "unknown";
  }
}

const char* type_name(uint16_t t) {
  switch (t) {
    case 0: return "no file type";
    case kTypeExec: return "an executable";
    case kTypeDyn: return "a shared object or PIE";
    case kTypeCore: return "a core file";
    default: return "unknown type";
  }
}

// [offset, offset + size) inside [0, limit), without overflow.
bool inside(uint64_t offset, uint64_t size, uint64_t limit) { return offset <= limit && size <= limit - offset; }

bool power_of_two_or_zero(uint64_t v) { return (v & (v - 1)) == 0; }

// A string table whose last byte is NUL: any index inside it names a
// terminated string.
bool terminated(const uint8_t* bytes, uint64_t size) { return size > 0 && bytes[size - 1] == 0; }

bool check_header(const uint8_t* data, size_t size, Reason& why) {
  if (size < kEhdrSize) {
    why << "truncated: " << uint64_t(size) << " bytes, shorter than an ELF header";
    return false;
  }
  Ehdr eh{data};
  if (eh.ident(0) != 0x7f || eh.ident(1) != 'E' || eh.ident(2) != 'L' || eh.ident(3) != 'F') {
    why << "not an ELF file (bad magic)";
    return false;
  }
  if (eh.ident(4) != kClass64) {
    if (eh.ident(4) == kClass32) why << "32-bit ELF (ELFCLASS32); modules must be ELF64";
    else why << "bad ELF class " << uint32_t(eh.ident(4));
    return false;
  }
  // The machine first, read in the file's own byte order, so an x86-64
  // object is named for what it is rather than for being little-endian.
  uint16_t machine = eh.ident(5) == kDataLsb ? uint16_t(data[18] | data[19] << 8) : eh.machine();
  if (machine != kMachinePpc64) {
    why << "wrong machine: e_machine " << uint32_t(machine) << " (" << machine_name(machine)
        << "), expected 21 (PowerPC64)";
    return false;
  }
  if (eh.ident(5) != kDataMsb) {
    why << "not big-endian (EI_DATA " << uint32_t(eh.ident(5)) << "); this machine is big-endian ppc64";
    return false;
  }
  if (eh.ident(6) != 1 || eh.version() != 1) {
    why << "bad ELF version " << uint32_t(eh.ident(6));
    return false;
  }
  if (eh.type() != kTypeRel) {
    why << "not a relocatable object: e_type " << uint32_t(eh.type()) << " (" << type_name(eh.type()) << ")";
    return false;
  }
  if ((eh.flags() & kFlagsAbiMask) == 2) {
    why << "ELFv2 object (e_flags 2); the kernel uses the ELFv1 ABI with function descriptors";
    return false;
  }
  if ((eh.flags() & kFlagsAbiMask) == 3) {
    why << "unknown ABI version 3 in e_flags";
    return false;
  }
  if (eh.shentsize() != kShdrSize) {
    why << "bad section header size " << uint32_t(eh.shentsize());
    return false;
  }
  if (eh.shnum() == 0) {
    why << "no section headers (or extended section numbering, which is not supported)";
    return false;
  }
  if (eh.shoff() % 8 != 0 || !inside(eh.shoff(), uint64_t(eh.shnum()) * kShdrSize, size)) {
    why << "truncated: section headers at " << Hex{eh.shoff()} << " (" << uint32_t(eh.shnum())
        << " x 64 bytes) run past the end of the " << uint64_t(size) << "-byte image";
    return false;
  }
  if (eh.shstrndx() == 0 || eh.shstrndx() >= eh.shnum()) {
    why << "bad section name table index " << uint32_t(eh.shstrndx());
    return false;
  }
  return true;
}

bool check_sections(ElfImage& im, Reason& why) {
  Shdr names = im.section(Ehdr{im.data}.shstrndx());
  if (names.type() != kShtStrtab || !inside(names.offset(), names.size(), im.size) ||
      !terminated(im.data + names.offset(), names.size())) {
    why << "truncated or bad section name table";
    return false;
  }
  im.shstrtab = reinterpret_cast<const char*>(im.data + names.offset());
  if (im.section(0).type() != kShtNull) {
    why << "section 0 is not SHT_NULL";
    return false;
  }
  for (uint32_t i = 1; i < im.shnum; ++i) {
    Shdr s = im.section(i);
    if (s.name() >= names.size()) {
      why << "section " << i << ": name offset " << s.name() << " outside the name table";
      return false;
    }
    const char* name = im.section_name(i);
    if (s.type() != kShtNobits && !inside(s.offset(), s.size(), im.size)) {
      why << "truncated: section " << name << " (" << s.size() << " bytes at " << Hex{s.offset()}
          << ") runs past the end of the " << uint64_t(im.size) << "-byte image";
      return false;
    }
    if (!power_of_two_or_zero(s.addralign()) || s.addralign() > kMaxSectionAlign) {
      why << "section " << name << ": bad alignment " << s.addralign();
      return false;
    }
    if (s.alloc() && (s.flags() & kShfTls)) {
      why << "section " << name << ": thread-local storage is not supported";
      return false;
    }
    if (s.alloc() && (str_eq(name, ".ctors") || str_starts(name, ".ctors."))) {
      why << "section " << name << ": old-style constructors are not supported (use .init_array)";
      return false;
    }
    if (s.type() == kShtPreinitArray) {
      why << "section " << name << ": .preinit_array is not supported";
      return false;
    }
    if (s.type() == kShtInitArray && s.size() % 8 != 0) {
      why << "section " << name << ": size " << s.size() << " is not a whole number of pointers";
      return false;
    }
    if (s.type() == kShtSymtab) {
      if (im.symtab) {
        why << "more than one symbol table";
        return false;
      }
      im.symtab = i;
    }
  }
  return true;
}

bool check_symbols(ElfImage& im, Reason& why) {
  if (!im.symtab) {
    why << "no symbol table";
    return false;
  }
  Shdr st = im.section(im.symtab);
  if (st.entsize() != kSymSize || st.size() % kSymSize != 0 || st.size() / kSymSize > 0xffffffu) {
    why << "bad symbol table (entry size " << st.entsize() << ", size " << st.size() << ")";
    return false;
  }
  if (st.link() == 0 || st.link() >= im.shnum) {
    why << "symbol table links to no string table";
    return false;
  }
  Shdr str = im.section(st.link());
  if (str.type() != kShtStrtab || !terminated(im.data + str.offset(), str.size())) {
    why << "bad symbol string table " << im.section_name(st.link());
    return false;
  }
  im.syms = im.section_bytes(im.symtab);
  im.nsyms = uint32_t(st.size() / kSymSize);
  im.strtab = reinterpret_cast<const char*>(im.section_bytes(st.link()));
  for (uint32_t k = 1; k < im.nsyms; ++k) {
    Sym s = im.symbol(k);
    if (s.name() >= str.size()) {
      why << "symbol " << k << ": name offset " << s.name() << " outside the string table";
      return false;
    }
    uint16_t shndx = s.shndx();
    if (shndx == kShnUndef || shndx == kShnAbs) continue;
    if (shndx == kShnCommon) {
      if (!power_of_two_or_zero(s.value()) || s.value() > kMaxSectionAlign || s.size() > (64u << 20)) {
        why << "common symbol " << im.symbol_name(k) << ": bad alignment or size";
        return false;
      }
      continue;
    }
    if (shndx >= im.shnum) {
      why << "symbol " << im.symbol_name(k) << ": section index " << uint32_t(shndx) << " out of range";
      return false;
    }
    if (s.value() > im.section(shndx).size()) {
      why << "symbol " << im.symbol_name(k) << ": value " << Hex{s.value()} << " beyond section "
          << im.section_name(shndx);
      return false;
    }
  }
  return true;
}

bool check_relocation_sections(const ElfImage& im, Reason& why) {
  for (uint32_t i = 1; i < im.shnum; ++i) {
    Shdr s = im.section(i);
    if (s.type() == kShtRel) {
      if (s.info() < im.shnum && im.section(s.info()).alloc()) {
        why << "section " << im.section_name(i) << ": SHT_REL relocations; PowerPC64 uses SHT_RELA";
        return false;
      }
      continue;
    }
    if (s.type() != kShtRela) continue;
    const char* name = im.section_name(i);
    if (s.entsize() != kRelaSize || s.size() % kRelaSize != 0) {
      why << "section " << name << ": bad relocation entry size " << s.entsize();
      return false;
    }
    if (s.link() != im.symtab) {
      why << "section " << name << ": relocations against a symbol table other than the module's";
      return false;
    }
    if (s.info() == 0 || s.info() >= im.shnum) {
      why << "section " << name << ": relocates section " << s.info() << ", which does not exist";
      return false;
    }
    Shdr target = im.section(s.info());
    if (!target.alloc()) continue;  // debugging information: not loaded, not relocated
    if (target.type() == kShtNobits) {
      why << "section " << name << ": relocates " << im.section_name(s.info()) << ", which has no contents";
      return false;
    }
    for (uint64_t k = 0; k < im.relocation_count(i); ++k) {
      Rela r = im.relocation(i, k);
      if (r.sym() >= im.nsyms) {
        why << "section " << name << ": relocation " << k << " names symbol " << r.sym() << " of "
            << im.nsyms;
        return false;
      }
      if (r.offset() >= target.size()) {
        why << "section " << name << ": relocation " << k << " at " << Hex{r.offset()} << " beyond "
            << im.section_name(s.info());
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool check_image(const uint8_t* data, size_t size, ElfImage* out, Reason& why) {
  ElfImage im{};
  im.data = data;
  im.size = size;
  if (!data || !check_header(data, size, why)) {
    if (!data) why << "no image";
    return false;
  }
  Ehdr eh{data};
  im.shnum = eh.shnum();
  im.shdrs = data + eh.shoff();
  if (!check_sections(im, why) || !check_symbols(im, why) || !check_relocation_sections(im, why)) return false;
  *out = im;
  return true;
}

}  // namespace dusim::loader
