// Host-side tests of the module loader (ctest label `update`), under
// AddressSanitizer and UBSan: the same loader sources, compiled for the host,
// fed the real module objects the guest build made. The loader's checks must
// keep every read inside the image and every write inside its allocation,
// whatever the bytes say: thousands of corrupted and truncated images are
// loaded, each must be rejected or loaded cleanly, and nothing may leak. The
// guest test (loader_test.cc) is the one that runs the loaded code.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "elf64.h"
#include "module_loader.h"

namespace {

namespace L = dusim::loader;
namespace elf = dusim::loader::elf;

// Module memory comes from the heap (so ASan sees every write), or, with
// `low`, from the first 2 GiB of the address space, as in the guest: there the
// 32-bit PC-relative and absolute relocations between module and "kernel"
// fit, as they do in the guest.
struct HostKernel {
  explicit HostKernel(bool low = false) : low(low) {}
  bool low;
  std::map<void*, size_t> live;

  static uint8_t* low_arena() {
    static uint8_t* arena = static_cast<uint8_t*>(
        mmap(nullptr, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0));
    return arena;
  }
  static void* alloc(void* ctx, size_t size, size_t align) {
    auto* k = static_cast<HostKernel*>(ctx);
    size_t rounded = (size + align - 1) / align * align;
    void* p;
    if (k->low) {
      static size_t used = 0;
      used = (used + align - 1) / align * align;
      if (low_arena() == MAP_FAILED || used + rounded > (16u << 20)) return nullptr;
      p = low_arena() + used;
      used += rounded;
    } else {
      p = std::aligned_alloc(align, rounded ? rounded : align);
    }
    if (p) k->live[p] = size;
    return p;
  }
  static void free(void* ctx, void* p) {
    auto* k = static_cast<HostKernel*>(ctx);
    EXPECT_EQ(k->live.erase(p), 1u) << "free of a block the loader does not own";
    if (!k->low) std::free(p);
  }
  // Kernel addresses stand in for the guest's: small, so 32- and 16-bit
  // absolute relocations against them fit, as they do in the guest.
  static bool lookup(void*, const char* name, uint64_t* addr) {
    static const std::map<std::string, uint64_t> symbols = {
        {"kernel_add", 0x10000},   {"kernel_print", 0x10018}, {"kernel_call_back", 0x10030},
        {"kernel_counter", 0x11000}, {"kernel_table", 0x11008}, {"__cxa_atexit", 0x10048},
        {"_Znwm", 0x10060},        {"_ZdlPvm", 0x10078},      {"memcpy", 0x10090},
        {"memset", 0x100a8},       {"kernel_small", 1234},    {"kernel_small_ds", 1232},
        {"kernel_leaf", 0x4000}};
    auto it = symbols.find(name);
    if (it == symbols.end()) return false;
    *addr = it->second;
    return true;
  }
  L::ModuleEnv env() { return {alloc, free, lookup, this, 0}; }
};

std::vector<uint8_t> module_bytes(const std::string& name) {
  std::ifstream f(std::string(DUSIM_TEST_MODULES) + "/" + name + ".o", std::ios::binary);
  EXPECT_TRUE(f) << name << ".o not found in " << DUSIM_TEST_MODULES << " (build the guest side first)";
  return {std::istreambuf_iterator<char>(f), {}};
}

const char* const kGoodModules[] = {"good_O2",           "good_O0",          "good_Os",  "good_sections",
                                    "good_cmodel_small", "good_cmodel_large", "good_minimal_toc", "good_pic", "good_debug",
                                    "two_units",         "asm_relocs"};

bool inside(const L::Module& m, uint64_t a, uint64_t n) {
  uint64_t base = uint64_t(uintptr_t(m.base));
  return a >= base && a + n <= base + m.size;
}

TEST(ModuleLoaderHost, GoodModulesLoadWithConsistentDescriptors) {
  for (const char* name : kGoodModules) {
    SCOPED_TRACE(name);
    HostKernel k(/*low=*/true);
    L::ModuleEnv env = k.env();
    std::vector<uint8_t> image = module_bytes(name);
    L::LoadResult r = L::load_module(image.data(), image.size(), env);
    ASSERT_TRUE(r.ok) << r.reason;
    EXPECT_STREQ(r.reason, "");
    const L::Module& m = r.module;
    // init is a descriptor in the module: entry in the module, TOC = the module's.
    EXPECT_TRUE(inside(m, m.init, 24));
    if (inside(m, m.init, 24)) {
      EXPECT_TRUE(inside(m, elf::load64(reinterpret_cast<uint8_t*>(m.init)), 4));
      EXPECT_EQ(elf::load64(reinterpret_cast<uint8_t*>(m.init) + 8), m.toc);
    }
    for (size_t c = 0; c < m.nctors; ++c) {
      uint64_t ctor = elf::load64(reinterpret_cast<const uint8_t*>(&m.ctors[c]));  // guest byte order
      EXPECT_TRUE(inside(m, ctor, 24));
      if (inside(m, ctor, 24)) {
        EXPECT_EQ(elf::load64(reinterpret_cast<uint8_t*>(ctor) + 8), m.toc);
      }
    }
    EXPECT_GT(m.stubs, 0u);
    L::Module copy = m;
    L::unload_module(copy, env);
    EXPECT_TRUE(k.live.empty());
  }
}

// The image may sit at any address: fields are read byte-wise.
TEST(ModuleLoaderHost, MisalignedImage) {
  HostKernel k;
  L::ModuleEnv env = k.env();
  std::vector<uint8_t> image = module_bytes("good_O2");
  std::vector<uint8_t> shifted(image.size() + 3);
  std::memcpy(shifted.data() + 3, image.data(), image.size());
  L::LoadResult r = L::load_module(shifted.data() + 3, image.size(), env);
  ASSERT_TRUE(r.ok) << r.reason;
  L::unload_module(r.module, env);
  EXPECT_TRUE(k.live.empty());
}

TEST(ModuleLoaderHost, EveryTruncationRejected) {
  HostKernel k;
  L::ModuleEnv env = k.env();
  std::vector<uint8_t> image = module_bytes("good_O2");
  for (size_t n = 0; n < image.size(); ++n) {
    std::vector<uint8_t> cut(image.begin(), image.begin() + n);  // exactly n bytes: ASan sees any overread
    L::LoadResult r = L::load_module(cut.data(), cut.size(), env);
    ASSERT_FALSE(r.ok) << n << " bytes accepted";
    ASSERT_NE(r.reason[0], 0);
    ASSERT_TRUE(k.live.empty());
  }
}

// Random corruption of headers, tables and contents: reject or load, never
// crash, never leak.
TEST(ModuleLoaderHost, CorruptedImagesNeverCrashOrLeak) {
  const uint64_t interesting[] = {0, 1, 3, 7, 8, 24, 63, 64, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
                                  0x80000000u, 0xffffffffu, 0x100000000ull, 1ull << 40, ~0ull >> 1, ~0ull};
  std::mt19937_64 rng(20240611);
  size_t loaded = 0, rejected = 0;
  for (const char* name : {"good_O2", "good_O0", "good_sections", "asm_relocs", "two_units"}) {
    SCOPED_TRACE(name);
    std::vector<uint8_t> image = module_bytes(name);
    elf::Ehdr eh{image.data()};
    uint64_t shoff = eh.shoff();
    uint32_t shnum = eh.shnum();
    for (int iter = 0; iter < 8000; ++iter) {
      std::vector<uint8_t> bad = image;
      int mutations = 1 + int(rng() % 3);
      for (int m = 0; m < mutations; ++m) {
        uint64_t v = rng() % 2 ? interesting[rng() % std::size(interesting)] : rng();
        switch (rng() % 4) {
          case 0:  // any byte
            bad[rng() % bad.size()] = uint8_t(rng());
            break;
          case 1: {  // a section header field
            uint8_t* sh = bad.data() + shoff + (rng() % shnum) * 64;
            static const int fields[] = {0, 4, 24, 32, 40, 44, 48, 56};
            int f = fields[rng() % std::size(fields)];
            if (f == 4 || f == 0 || f == 40 || f == 44) elf::store<uint32_t>(sh + f, uint32_t(v));
            else elf::store<uint64_t>(sh + f, v);
            break;
          }
          case 2: {  // a word inside some section's contents (symbols, relocations, code)
            uint8_t* sh = bad.data() + shoff + (1 + rng() % (shnum - 1)) * 64;
            uint64_t off = elf::load64(sh + 24), size = elf::load64(sh + 32);
            if (size >= 8 && off <= bad.size() && size <= bad.size() - off) {  // headers may be mutated already
              uint64_t at = off + (rng() % (size - 7)) / 8 * 8;
              elf::store<uint64_t>(bad.data() + at, v);
            }
            break;
          }
          case 3:  // an ELF header field
            elf::store<uint16_t>(bad.data() + 16 + 2 * (rng() % 24), uint16_t(v));
            break;
        }
      }
      HostKernel k;
      L::ModuleEnv env = k.env();
      L::LoadResult r = L::load_module(bad.data(), bad.size(), env);
      if (r.ok) {
        ++loaded;
        EXPECT_STREQ(r.reason, "");
        L::unload_module(r.module, env);
      } else {
        ++rejected;
        EXPECT_NE(r.reason[0], 0);
      }
      ASSERT_TRUE(k.live.empty()) << "leak after: " << (r.ok ? "load" : r.reason);
    }
  }
  EXPECT_GT(rejected, 1000u);
  EXPECT_GT(loaded, 100u);  // many corruptions hit bytes that do not matter
}

TEST(ModuleLoaderHost, BadModulesRejectedWithReasons) {
  struct Case {
    const char* module;
    const char* reason;
  } cases[] = {
      {"x86_object", "wrong machine: e_machine 62 (x86-64), expected 21 (PowerPC64)"},
      {"ppc32", "32-bit ELF (ELFCLASS32); modules must be ELF64"},
      {"executable", "not a relocatable object: e_type 2 (an executable)"},
      {"elfv2", "ELFv2 object"},
      {"bad_unresolved", "unresolved symbol kernel_does_not_exist at .text+0x"},
      {"bad_no_nop", "call to kernel_add is not followed by a nop to restore the TOC"},
      {"bad_tail_call", "branch to kernel_add outside the module is not a call (bl)"},
      {"bad_no_init", "no dusim_module_init symbol"},
      {"bad_tls", "section .tbss: thread-local storage is not supported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.module);
    HostKernel k;
    L::ModuleEnv env = k.env();
    std::vector<uint8_t> image = module_bytes(c.module);
    L::LoadResult r = L::load_module(image.data(), image.size(), env);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(std::strstr(r.reason, c.reason), nullptr) << r.reason;
    EXPECT_TRUE(k.live.empty());
  }
}

}  // namespace
