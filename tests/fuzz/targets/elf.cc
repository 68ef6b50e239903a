// Fuzz target: the host ELF loader (sim/loader/elf_image.cc), as run-elf and
// run-bare use it: read and validate the image, place its segments into
// memory (a 64 MiB RAM at 0, lazily backed, as a small machine has), read the
// entry descriptor and look up its symbols.
#include <cstdint>

#include "fuzz_common.h"
#include "loader/elf_image.h"
#include "memory/phys_memory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = dusim::fuzz::write_input("fuzz.elf", data, size);
  try {
    dusim::ElfImage im = dusim::ElfImage::load(path);
    uint64_t lo = im.lowest(), hi = im.highest();
    if (!im.segments().empty() && lo > hi) dusim::fuzz::broken("lowest() above highest()");
    for (const auto& seg : im.segments())
      if (seg.bytes.size() > seg.memsz) dusim::fuzz::broken("a segment holds more bytes than its memsz");
    uint64_t entry = 0;
    (void)im.read64(im.entry_descriptor(), entry);
    for (uint64_t a : {entry, im.entry_descriptor(), lo}) (void)im.symbols().describe(a);
    for (const auto& sym : im.symbols().all()) (void)im.symbols().by_name(sym.name);
    for (bool physical : {false, true}) {
      dusim::PhysMemory mem;
      mem.add_region("ram", 0, 64ull << 20);
      try {
        im.place(mem, physical);
      } catch (const dusim::BadElf&) {
      }
    }
  } catch (const dusim::BadElf&) {
  } catch (const std::exception& e) {
    dusim::fuzz::unclear(e);
  }
  return 0;
}
