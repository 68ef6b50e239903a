#include "loader/elf_image.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "memory/phys_memory.h"

namespace dusim {

namespace {

// ELF constants used here (System V gABI, 64-bit PowerPC ELFv1 supplement).
constexpr uint8_t kClass64 = 2, kDataMsb = 2;
constexpr uint16_t kTypeExec = 2, kTypeDyn = 3, kMachinePpc64 = 21, kMachinePpc = 20;
constexpr uint32_t kPtLoad = 1, kPtInterp = 3, kPtPhdr = 6;
constexpr uint32_t kPfX = 1, kPfW = 2;
constexpr uint32_t kShtSymtab = 2;
constexpr uint64_t kShfExec = 4;
constexpr unsigned kSttNotype = 0, kSttFunc = 2;

uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) { return uint32_t(be16(p)) << 16 | be16(p + 2); }
uint64_t be64(const uint8_t* p) { return uint64_t(be32(p)) << 32 | be32(p + 4); }

const char* machine_name(uint16_t m) {
  switch (m) {
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "32-bit PowerPC";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return "unknown";
  }
}

struct Section {
  std::string name;
  uint32_t type;
  uint64_t flags, addr, offset, size;
  uint32_t link;
  uint64_t entsize;
};

}  // namespace

ElfImage ElfImage::load(const std::string& path) {
  ElfImage img;
  img.path_ = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw img.bad("is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw img.bad(std::string("cannot open: ") + std::strerror(errno));
  // Only a regular file of bounded size is read (not /dev/zero, a FIFO or a
  // directory): its whole size is known before a byte is read.
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (!std::filesystem::is_regular_file(st)) throw img.bad("not a regular file");
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) throw img.bad("cannot read its size: " + ec.message());
  if (size > kMaxFileBytes)
    throw img.bad("the file is " + std::to_string(size >> 20) + " MiB; dusim loads images of at most " +
                  std::to_string(kMaxFileBytes >> 20) + " MiB");
  std::vector<uint8_t> d(size);
  if (size && !f.read(reinterpret_cast<char*>(d.data()), std::streamsize(size)))
    throw img.bad("cannot read: " + std::string(std::strerror(errno)));
  if (d.size() < 4 || std::memcmp(d.data(), "\177ELF", 4) != 0) throw img.bad("not an ELF file");
  if (d.size() < 64) throw img.bad("truncated ELF header");
  uint16_t machine = d[5] == kDataMsb ? be16(&d[18]) : uint16_t(d[18] | d[19] << 8);
  if (machine != kMachinePpc64 && machine != kMachinePpc)
    throw img.bad("wrong machine: " + std::string(machine_name(machine)) + " (e_machine " + std::to_string(machine) +
                  "), expected 64-bit PowerPC (21)");
  if (d[4] != kClass64) throw img.bad("32-bit ELF; dusim runs 64-bit PowerPC (ppc64) images");
  if (d[5] != kDataMsb) throw img.bad("little-endian ELF (ppc64le); dusim runs big-endian PowerPC (ELFv1) images");
  if (machine != kMachinePpc64) throw img.bad("32-bit PowerPC machine; dusim runs 64-bit PowerPC (ppc64) images");
  img.type_ = be16(&d[16]);
  if (img.type_ != kTypeExec && img.type_ != kTypeDyn)
    throw img.bad("not an executable (e_type " + std::to_string(img.type_) + ")");
  if ((be32(&d[48]) & 3) == 2) throw img.bad("ELFv2 ABI image; dusim runs ELFv1 (big-endian ppc64) images");
  img.entry_ = be64(&d[24]);
  img.read_segments(d, be64(&d[32]), be16(&d[54]), be16(&d[56]));
  // Sections: only for symbols; a stripped image simply has none.
  uint64_t shoff = be64(&d[40]);
  uint16_t shnum = be16(&d[60]);
  if (shoff && shnum) img.read_symbols(d, shoff, be16(&d[58]), shnum, be16(&d[62]));
  img.symbols_.finish();
  return img;
}

void ElfImage::read_segments(const std::vector<uint8_t>& d, uint64_t phoff, uint16_t phentsize, uint16_t phnum) {
  if (phnum == 0) throw bad("no program headers");
  if (phentsize < 56 || phoff > d.size() || uint64_t(phnum) * phentsize > d.size() - phoff)
    throw bad("truncated program headers");
  phnum_ = phnum;
  for (unsigned k = 0; k < phnum; ++k) {
    const uint8_t* ph = &d[phoff + uint64_t(k) * phentsize];
    uint32_t type = be32(ph), flags = be32(ph + 4);
    uint64_t off = be64(ph + 8), vaddr = be64(ph + 16), paddr = be64(ph + 24), filesz = be64(ph + 32),
             memsz = be64(ph + 40);
    if (type == kPtInterp) throw bad("dynamically linked (has an interpreter); build it with -static");
    if (type == kPtPhdr) phdr_vaddr_ = vaddr;
    if (type != kPtLoad) continue;
    if (filesz > memsz) throw bad("segment " + std::to_string(k) + " has file size larger than memory size");
    if (off > d.size() || filesz > d.size() - off) throw bad("truncated: segment " + std::to_string(k) + " extends past the end of the file");
    if (memsz > (uint64_t(1) << 34)) throw bad("segment " + std::to_string(k) + " is implausibly large");
    if (memsz > ~uint64_t(0) - vaddr || memsz > ~uint64_t(0) - paddr)
      throw bad("segment " + std::to_string(k) + " wraps around the end of the address space");
    Segment s{vaddr, paddr, memsz, std::vector<uint8_t>(d.begin() + off, d.begin() + off + filesz), bool(flags & kPfX),
              bool(flags & kPfW)};
    if (!phdr_vaddr_ && phoff >= off && phoff < off + filesz) phdr_vaddr_ = vaddr + (phoff - off);
    segments_.push_back(std::move(s));
  }
  if (segments_.empty()) throw bad("no loadable segments");
}

// Function symbols (through .opd to their code) and untyped symbols in code.
void ElfImage::read_symbols(const std::vector<uint8_t>& d, uint64_t shoff, uint16_t shentsize, uint16_t shnum,
                            uint16_t shstrndx) {
  if (shentsize < 64 || shoff > d.size() || uint64_t(shnum) * shentsize > d.size() - shoff)
    throw bad("truncated section headers");
  std::vector<Section> secs(shnum);
  for (unsigned k = 0; k < shnum; ++k) {
    const uint8_t* sh = &d[shoff + uint64_t(k) * shentsize];
    secs[k] = {std::to_string(be32(sh)), be32(sh + 4), be64(sh + 8), be64(sh + 16), be64(sh + 24), be64(sh + 32),
               be32(sh + 40), be64(sh + 56)};
  }
  auto in_file = [&](const Section& s) { return s.type == 8 /*NOBITS*/ || (s.offset <= d.size() && s.size <= d.size() - s.offset); };
  for (const Section& s : secs)
    if (!in_file(s)) throw bad("truncated: a section extends past the end of the file");
  auto cstr = [&](const Section& strtab, uint64_t off) -> std::string {
    if (off >= strtab.size) return "";
    const char* p = reinterpret_cast<const char*>(&d[strtab.offset + off]);
    return std::string(p, strnlen(p, strtab.size - off));
  };
  if (shstrndx < shnum)
    for (Section& s : secs) s.name = cstr(secs[shstrndx], std::stoul(s.name));
  const Section* opd = nullptr;
  for (const Section& s : secs)
    if (s.name == ".opd") opd = &s;
  for (const Section& st : secs) {
    if (st.type != kShtSymtab || st.link >= shnum || st.entsize < 24) continue;
    const Section& strs = secs[st.link];
    for (uint64_t off = st.offset; off + 24 <= st.offset + st.size; off += st.entsize) {
      const uint8_t* sym = &d[off];
      unsigned stype = sym[4] & 0xf;
      uint16_t shndx = be16(sym + 6);
      uint64_t value = be64(sym + 8), size = be64(sym + 16);
      std::string name = cstr(strs, be32(sym));
      if (name.empty() || name[0] == '$' || name.rfind(".L", 0) == 0) continue;
      if (stype == kSttFunc) {
        if (opd && value >= opd->addr && value + 8 <= opd->addr + opd->size && opd->type != 8)
          value = be64(&d[opd->offset + (value - opd->addr)]);
        symbols_.add(value, size, name);
      } else if (stype == kSttNotype && shndx < shnum && (secs[shndx].flags & kShfExec)) {
        symbols_.add(value, size, name);
      }
    }
  }
}

void ElfImage::place(PhysMemory& mem, bool physical) const {
  for (const Segment& s : segments_) {
    uint64_t at = physical ? s.paddr : s.vaddr;
    uint8_t* p = mem.host(at, s.memsz);
    if (!p) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "segment at 0x%llx (0x%llx bytes) does not fit in memory", (unsigned long long)at,
                    (unsigned long long)s.memsz);
      throw BadElf(path_ + ": " + buf);
    }
    // The tail beyond the file's bytes (.bss) is already zero: fresh memory
    // (written, it would cost host memory for all of p_memsz at once).
    if (!s.bytes.empty()) std::memcpy(p, s.bytes.data(), s.bytes.size());  // a segment with no file bytes: data() may be null
  }
}

uint64_t ElfImage::lowest() const {
  uint64_t lo = ~uint64_t(0);
  for (const Segment& s : segments_) lo = std::min(lo, s.vaddr);
  return lo;
}
uint64_t ElfImage::highest() const {
  uint64_t hi = 0;
  for (const Segment& s : segments_) hi = std::max(hi, s.vaddr + s.memsz);
  return hi;
}

bool ElfImage::read64(uint64_t vaddr, uint64_t& out) const {
  for (const Segment& s : segments_) {
    if (vaddr >= s.vaddr && vaddr + 8 <= s.vaddr + s.memsz) {
      uint64_t off = vaddr - s.vaddr;
      uint8_t b[8] = {};
      for (unsigned k = 0; k < 8; ++k) b[k] = off + k < s.bytes.size() ? s.bytes[off + k] : 0;
      out = be64(b);
      return true;
    }
  }
  return false;
}

}  // namespace dusim
