// Fuzz target: the guest's module loader (guest_os/update/loader/), compiled
// for the host: its ELF checks, symbol resolution, layout and relocation, on
// any bytes. Module memory comes from an arena in the low 2 GiB (so 32-bit
// relocations against the stand-in kernel's addresses fit, as in the guest),
// poisoned for AddressSanitizer outside the blocks handed out, so a write
// outside the module's own allocation is caught. What must hold (the loader's
// own contract, module_loader.h): a rejected module says why and leaves
// nothing allocated; a loaded one has its init descriptor inside it, and
// unloading frees everything.
#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "module_loader.h"

namespace L = dusim::loader;

namespace {

constexpr size_t kArena = 16u << 20;

struct Kernel {
  uint8_t* arena = nullptr;
  size_t used = 0;
  std::map<void*, size_t> live;

  static void* alloc(void* ctx, size_t size, size_t align) {
    auto* k = static_cast<Kernel*>(ctx);
    if (align == 0 || (align & (align - 1))) dusim::fuzz::broken("alloc with alignment " + std::to_string(align));
    size_t at = (k->used + align - 1) / align * align;
    if (size > kArena || at + size > kArena) return nullptr;
    uint8_t* p = k->arena + at;
    k->used = at + size;
    ASAN_UNPOISON_MEMORY_REGION(p, size);
    k->live[p] = size;
    return p;
  }
  static void free(void* ctx, void* p) {
    auto* k = static_cast<Kernel*>(ctx);
    auto it = k->live.find(p);
    if (it == k->live.end()) dusim::fuzz::broken("free of a block the loader does not own");
    ASAN_POISON_MEMORY_REGION(p, it->second);
    k->live.erase(it);
  }
  // A few kernel functions and data, at small addresses like the guest's.
  static bool lookup(void*, const char* name, uint64_t* addr) {
    static const std::map<std::string, uint64_t> symbols = {
        {"kernel_add", 0x10000}, {"kernel_print", 0x10018}, {"kernel_call_back", 0x10030},
        {"kernel_counter", 0x11000}, {"kernel_table", 0x11008}, {"__cxa_atexit", 0x10048},
        {"_Znwm", 0x10060}, {"_ZdlPvm", 0x10078}, {"memcpy", 0x10090}, {"memset", 0x100a8},
        {"kernel_small", 1234}, {"kernel_leaf", 0x4000}};
    auto it = symbols.find(name);
    if (it == symbols.end()) return false;
    *addr = it->second;
    return true;
  }
};

bool inside(const L::Module& m, uint64_t a, uint64_t n) {
  uint64_t base = uint64_t(uintptr_t(m.base));
  return a >= base && a + n <= base + m.size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint8_t* arena = [] {
    void* p = mmap(nullptr, kArena, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) dusim::fuzz::broken("no low arena");
    return static_cast<uint8_t*>(p);
  }();
  ASAN_POISON_MEMORY_REGION(arena, kArena);
  Kernel k;
  k.arena = arena;
  L::ModuleEnv env{Kernel::alloc, Kernel::free, Kernel::lookup, &k, 0};
  // The image in a block of its own size, so a read past its end is caught.
  std::unique_ptr<uint8_t[]> image(new uint8_t[size ? size : 1]);
  std::memcpy(image.get(), data, size);
  L::LoadResult r = L::load_module(image.get(), size, env);
  if (!std::memchr(r.reason, 0, sizeof r.reason)) dusim::fuzz::broken("the reason is not NUL-terminated");
  if (!r.ok) {
    if (!r.reason[0]) dusim::fuzz::broken("a module rejected without a reason");
    if (!k.live.empty()) dusim::fuzz::broken(std::string("a rejected module left memory allocated: ") + r.reason);
    return 0;
  }
  if (r.reason[0]) dusim::fuzz::broken(std::string("a loaded module with a reason: ") + r.reason);
  if (!inside(r.module, r.module.init, 24)) dusim::fuzz::broken("the init descriptor is outside the module");
  if (k.live.size() != 1) dusim::fuzz::broken("a loaded module holds " + std::to_string(k.live.size()) + " blocks, not 1");
  L::unload_module(r.module, env);
  if (!k.live.empty()) dusim::fuzz::broken("unload_module left memory allocated");
  return 0;
}
