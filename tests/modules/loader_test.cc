// Guest test of the module loader (ctest label `update`). A bare-metal image
// that plays the kernel: a bump allocator that accounts for every byte, a
// table of "kernel" symbols, and module objects compiled by the cross
// compiler at build time and embedded in the image (module_images.S). Each
// good module is loaded, its constructors and init run, and its effects on
// the kernel checked; each bad one must be rejected with the expected reason,
// with nothing leaked and nothing in the kernel changed; and the good module
// must still load afterwards. Results go to sim-control's TEST_RESULT; the
// machine powers off with 0 only if every test passed.
extern "C" {
#include "bare.h"
}
#include "elf64.h"
#include "module_images.h"
#include "module_loader.h"
#include "reason.h"
#include "test_kernel.h"

using dusim::loader::Hex;
using dusim::loader::LoadResult;
using dusim::loader::Module;
using dusim::loader::ModuleEnv;
using dusim::loader::Reason;
namespace elf = dusim::loader::elf;

typedef unsigned long size_t;

// ---- what GCC-compiled freestanding code may call -------------------------------
extern "C" __attribute__((optimize("no-tree-loop-distribute-patterns"))) void* memset(void* d, int c, size_t n) {
  unsigned char* p = static_cast<unsigned char*>(d);
  while (n--) *p++ = static_cast<unsigned char>(c);
  return d;
}
extern "C" __attribute__((optimize("no-tree-loop-distribute-patterns"))) void* memcpy(void* d, const void* s,
                                                                                      size_t n) {
  unsigned char* p = static_cast<unsigned char*>(d);
  const unsigned char* q = static_cast<const unsigned char*>(s);
  while (n--) *p++ = *q++;
  return d;
}

namespace {

bool contains(const char* s, const char* part) {
  for (; *s; ++s) {
    const char *a = s, *b = part;
    while (*b && *a == *b) ++a, ++b;
    if (!*b) return true;
  }
  return !*part;
}
bool same(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

// ---- the loader's memory: a bump arena that accounts for every allocation --------
// Each block is preceded by a header; free() checks it and poisons the block,
// so a loader that used memory after freeing it would read garbage. The arena
// starts over whenever nothing is live.
struct Arena {
  static constexpr u64 kMagic = 0x6d6f64756c65ull;  // "module"
  unsigned char* start;
  u64 capacity, used, live_blocks, live_bytes, allocations, fail_at;  // fail_at: the n-th allocation fails (1-based)
};
alignas(65536) unsigned char arena_bytes[4 << 20];
Arena arena{arena_bytes, sizeof arena_bytes, 0, 0, 0, 0, 0};

void* arena_alloc(void* ctx, size_t size, size_t align) {
  Arena& a = *static_cast<Arena*>(ctx);
  ++a.allocations;
  if (a.fail_at && a.allocations == a.fail_at) return nullptr;
  if (align < 16) align = 16;
  if (align & (align - 1)) return nullptr;
  u64 at = (a.used + 16 + align - 1) & ~(u64)(align - 1);
  if (at + size > a.capacity) return nullptr;
  u64* header = reinterpret_cast<u64*>(a.start + at - 16);
  header[0] = Arena::kMagic;
  header[1] = size;
  a.used = at + size;
  ++a.live_blocks;
  a.live_bytes += size;
  return a.start + at;
}

void arena_free(void* ctx, void* p) {
  Arena& a = *static_cast<Arena*>(ctx);
  u64* header = static_cast<u64*>(p) - 2;
  if (header[0] != Arena::kMagic) {
    printf_("arena: free of %x, which is not a live block\n", (u64)p);
    power_off(3);
  }
  header[0] = 0;
  memset(p, 0xdb, header[1]);
  --a.live_blocks;
  a.live_bytes -= header[1];
  if (a.live_blocks == 0) a.used = 0;
}

}  // namespace

// ---- the "kernel" the modules link against ----------------------------------------
extern "C" {
long kernel_counter;
const long kernel_table[4] = {10, 20, 30, 40};
extern const char kernel_leaf_entry[];  // kernel_leaf.S
static const char* last_printed;
static u64 prints, call_backs, atexits, heap_live;
static u64 last_dso_handle;

long kernel_add(long a, long b) { return a + b; }
void kernel_print(const char* s) {
  ++prints;
  last_printed = s;
  printf_("module says: %s\n", s);
}
long kernel_call_back(long (*fn)(long), long arg) {
  ++call_backs;
  return fn(arg);
}
int __cxa_atexit(void (*)(void*), void*, void* dso) {
  ++atexits;
  last_dso_handle = (u64)dso;
  return 0;
}
}

// The kernel heap behind modules' new and delete.
void* operator new(size_t n) {
  ++heap_live;
  return arena_alloc(&arena, n, 16);
}
void operator delete(void* p, size_t) noexcept {
  --heap_live;
  arena_free(&arena, p);
}

namespace {

struct KernelSymbol {
  const char* name;
  u64 address;
};
// Functions are their descriptors' addresses (what a function pointer holds).
const KernelSymbol kernel_symbols[] = {
    {"kernel_add", (u64)&kernel_add},
    {"kernel_print", (u64)&kernel_print},
    {"kernel_call_back", (u64)&kernel_call_back},
    {"kernel_counter", (u64)&kernel_counter},
    {"kernel_table", (u64)&kernel_table},
    {"__cxa_atexit", (u64)&__cxa_atexit},
    {"_Znwm", (u64) static_cast<void* (*)(size_t)>(&operator new)},
    {"_ZdlPvm", (u64) static_cast<void (*)(void*, size_t) noexcept>(&operator delete)},
    {"memcpy", (u64)&memcpy},
    {"memset", (u64)&memset},
    {"kernel_small", 1234},
    {"kernel_small_ds", 1232},
    {"kernel_leaf", (u64)kernel_leaf_entry},
};
u64 lookups;

bool lookup(void*, const char* name, uint64_t* addr) {
  ++lookups;
  for (const KernelSymbol& s : kernel_symbols)
    if (same(s.name, name)) {
      *addr = s.address;
      return true;
    }
  return false;
}

ModuleEnv env{arena_alloc, arena_free, lookup, &arena, 0};

// ---- reporting ------------------------------------------------------------------
u64 failures, passes;
char message[256];

void report(const char* name, bool ok) {
  MMIO(SIMCTL_BASE + 0x08) = ok ? 0 : 1;
  MMIO(SIMCTL_BASE + 0x10) = message[0] ? (u64)message : 0;
  MMIO(SIMCTL_BASE + 0x60) = (u64)name;
  if (ok) {
    ++passes;
  } else {
    ++failures;
    printf_("FAIL %s: %s\n", name, message);  // also on the console, for a run without a host log
  }
}

// ---- the module images ----------------------------------------------------------
struct Image {
  const unsigned char* bytes;
  size_t size;
};
// Functions, not constants: the image runs no static constructors.
#define MODULE_IMAGE(n)                                              \
  extern "C" const unsigned char module_##n[], module_##n##_end[]; \
  Image n() { return {module_##n, (size_t)(module_##n##_end - module_##n)}; }
MODULE_IMAGES
#undef MODULE_IMAGE

// A writable copy, to patch.
alignas(8) unsigned char scratch[256 << 10];
Image copy_of(Image im) {
  if (im.size > sizeof scratch) power_off(4);
  memcpy(scratch, im.bytes, im.size);
  return {scratch, im.size};
}
unsigned char* section_header(unsigned char* image, const char* name) {
  elf::Ehdr eh{image};
  unsigned char* shdrs = image + eh.shoff();
  const char* names = reinterpret_cast<const char*>(image) + elf::Shdr{shdrs + eh.shstrndx() * 64}.offset();
  for (unsigned i = 1; i < eh.shnum(); ++i)
    if (same(names + elf::Shdr{shdrs + i * 64}.name(), name)) return shdrs + i * 64;
  return nullptr;
}

// ---- good modules -----------------------------------------------------------------
struct KernelState {
  long counter;
  u64 prints, call_backs, atexits, heap_live;
};
KernelState kernel_state() { return {kernel_counter, prints, call_backs, atexits, heap_live}; }

// Loads `im`, runs its constructors and init(&arg), checks what it returned
// and did, unloads it, and checks nothing leaked.
bool run_good(Image im, bool full_effects, Reason& why) {
  u64 before_blocks = arena.live_blocks;
  KernelState k0 = kernel_state();
  LoadResult r = dusim::loader::load_module(im.bytes, im.size, env);
  if (!r.ok) {
    why << "rejected: " << r.reason;
    return false;
  }
  Module m = r.module;
  dusim::loader::run_module_constructors(m);
  long arg = 7;
  long got = dusim::loader::call_module_init(m, &arg);
  KernelState k1 = kernel_state();
  bool ok = true;
  if (got != 4242 + arg) {
    why << "init returned " << (int64_t)got << ", expected " << (uint64_t)(4242 + arg) << "; ";
    ok = false;
  }
  if (full_effects) {
    if (k1.counter - k0.counter != 101) why << "kernel_counter moved by " << (int64_t)(k1.counter - k0.counter) << "; ", ok = false;
    if (k1.prints != k0.prints + 1 || !last_printed || !same(last_printed, "hello from the good module"))
      why << "kernel_print not called with the greeting; ", ok = false;
    if (k1.call_backs != k0.call_backs + 1) why << "kernel_call_back not called once; ", ok = false;
    if (k1.atexits != k0.atexits + 1 || last_dso_handle != (u64)m.base)
      why << "__cxa_atexit not given the module's __dso_handle; ", ok = false;
    if (k1.heap_live != k0.heap_live) why << "operator new/delete unbalanced; ", ok = false;
    if (m.nctors != 2) why << m.nctors << " constructors, expected 2; ", ok = false;
  }
  if (ok)
    why << (uint64_t)m.size << " bytes at " << Hex{(u64)m.base} << ", " << (uint64_t)m.stubs << " stubs, "
        << (uint64_t)m.nctors << " constructors, init returned " << (int64_t)got;
  dusim::loader::unload_module(m, env);
  if (arena.live_blocks != before_blocks) {
    why << "; " << arena.live_blocks - before_blocks << " blocks leaked";
    ok = false;
  }
  return ok;
}

void test_good(const char* name, Image im, bool full_effects) {
  Reason why(message, sizeof message);
  report(name, run_good(im, full_effects, why));
}

// Two instances of one module at once: each has its own data.
void test_two_instances() {
  Reason why(message, sizeof message);
  LoadResult a = dusim::loader::load_module(good_O2().bytes, good_O2().size, env);
  LoadResult b = dusim::loader::load_module(good_O2().bytes, good_O2().size, env);
  bool ok = a.ok && b.ok;
  if (ok) {
    long arg = 1;
    dusim::loader::run_module_constructors(a.module);
    dusim::loader::run_module_constructors(b.module);
    long ra = dusim::loader::call_module_init(a.module, &arg);  // sets its module_data to 6
    long rb = dusim::loader::call_module_init(b.module, &arg);  // must still see 5
    ok = ra == 4243 && rb == 4243 && a.module.base != b.module.base;
    why << "returned " << (int64_t)ra << " and " << (int64_t)rb;
  } else {
    why << "rejected: " << a.reason << b.reason;
  }
  if (a.ok) dusim::loader::unload_module(a.module, env);
  if (b.ok) dusim::loader::unload_module(b.module, env);
  if (arena.live_blocks) why << "; leaked", ok = false;
  report("loader.good.two_instances", ok);
}

// ---- bad modules --------------------------------------------------------------------
// Must be rejected, the reason must contain `expect`, nothing may leak, and
// nothing in the kernel may change.
bool check_rejected(Image im, const char* expect, Reason& why) {
  KernelState k0 = kernel_state();
  u64 blocks = arena.live_blocks;
  LoadResult r = dusim::loader::load_module(im.bytes, im.size, env);
  KernelState k1 = kernel_state();
  bool ok = !r.ok && contains(r.reason, expect);
  if (r.ok) {
    why << "accepted";
    dusim::loader::unload_module(r.module, env);
  } else {
    why << r.reason;
    if (!ok) why << " (expected \"" << expect << "\")";
  }
  if (arena.live_blocks != blocks) why << "; " << arena.live_blocks - blocks << " blocks leaked", ok = false;
  if (k1.counter != k0.counter || k1.prints != k0.prints || k1.call_backs != k0.call_backs ||
      k1.atexits != k0.atexits || k1.heap_live != k0.heap_live)
    why << "; the kernel changed", ok = false;
  return ok;
}

void test_bad(const char* name, Image im, const char* expect) {
  Reason why(message, sizeof message);
  report(name, check_rejected(im, expect, why));
}

// Every truncation of a good image is rejected, leak-free.
void test_every_truncation() {
  Reason why(message, sizeof message);
  bool ok = true;
  u64 rejected = 0;
  static char one_reason[200];
  for (size_t n = 0; n < good_O2().size && ok; ++n) {
    Reason one(one_reason, sizeof one_reason);
    ok = check_rejected({good_O2().bytes, n}, "", one);
    rejected += ok;
    if (!ok) why << "a " << (uint64_t)n << "-byte prefix: " << one_reason;
  }
  if (ok) {
    why.clear();
    why << "all " << rejected << " prefixes rejected";
  }
  report("loader.bad.every_truncation", ok);
}

// Patches relocation 0 of .rela.text: its type, or its symbol.
Image with_relocation(Image good, u64 type, u64 sym) {
  Image im = copy_of(good);
  unsigned char* sh = section_header(scratch, ".rela.text");
  if (!sh) power_off(5);
  unsigned char* rela = scratch + elf::Shdr{sh}.offset();
  u64 info = elf::load64(rela + 8);
  if (type != ~0ul) info = (info & ~0xfffffffful) | type;
  if (sym != ~0ul) info = (info & 0xfffffffful) | sym << 32;
  elf::store<uint64_t>(rela + 8, info);
  return im;
}

Image with_section_size(Image good, const char* section, u64 size) {
  Image im = copy_of(good);
  unsigned char* sh = section_header(scratch, section);
  if (!sh) power_off(5);
  elf::store<uint64_t>(sh + 32, size);
  return im;
}

void test_out_of_memory(const char* name, u64 fail_at) {
  arena.allocations = 0;
  arena.fail_at = fail_at;
  test_bad(name, good_O2(), "out of memory");
  arena.fail_at = 0;
}

}  // namespace

void bare_main(u64 cpu, u64 ncpus, const struct bootinfo* bi) {
  (void)ncpus;
  if (cpu != 0)
    for (;;) {
    }
  env.cache_line_bytes = (uint32_t)bi->line_size;
  if ((u64)kernel_leaf_entry >= 0x8000) {  // see kernel_leaf.S
    printf_("kernel_leaf_entry at %x: out of ADDR14 reach\n", (u64)kernel_leaf_entry);
    power_off(2);
  }

  test_good("loader.good.O2", good_O2(), true);
  test_good("loader.good.O0", good_O0(), true);
  test_good("loader.good.Os", good_Os(), true);
  test_good("loader.good.sections", good_sections(), true);
  test_good("loader.good.cmodel_small", good_cmodel_small(), true);
  test_good("loader.good.cmodel_large", good_cmodel_large(), true);
  test_good("loader.good.minimal_toc", good_minimal_toc(), true);
  test_good("loader.good.pic", good_pic(), true);
  test_good("loader.good.debug_info", good_debug(), true);
  test_good("loader.good.two_units", two_units(), false);
  test_good("loader.good.asm_relocations", asm_relocs(), false);
  test_two_instances();

  test_every_truncation();
  test_bad("loader.bad.truncated_header", {good_O2().bytes, 40}, "truncated: 40 bytes");
  test_bad("loader.bad.truncated_tail", {good_O2().bytes, good_O2().size - 1}, "truncated: section headers");
  test_bad("loader.bad.section_past_end", with_section_size(good_O2(), ".text", 1ul << 40),
           "truncated: section .text");
  test_bad("loader.bad.not_elf", {(const unsigned char*)kernel_leaf_entry, 64}, "bad magic");
  test_bad("loader.bad.wrong_machine", x86_object(), "wrong machine: e_machine 62 (x86-64)");
  test_bad("loader.bad.elf32", ppc32(), "32-bit ELF");
  test_bad("loader.bad.executable", executable(), "not a relocatable object: e_type 2");
  test_bad("loader.bad.elfv2", elfv2(), "ELFv2");
  test_bad("loader.bad.unknown_relocation", with_relocation(good_O2(), 200, ~0ul),
           "unknown relocation type 200 at .text+0x");
  test_bad("loader.bad.unsupported_relocation", with_relocation(good_O2(), 72, ~0ul),
           "unsupported relocation type 72 (a thread-local-storage relocation)");
  test_bad("loader.bad.symbol_index", with_relocation(good_O2(), ~0ul, 0xfffff), "names symbol 1048575");
  test_bad("loader.bad.unresolved_symbol", bad_unresolved(), "unresolved symbol kernel_does_not_exist at .text+0x");
  test_bad("loader.bad.no_nop_after_call", bad_no_nop(), "call to kernel_add is not followed by a nop");
  test_bad("loader.bad.tail_call", bad_tail_call(), "branch to kernel_add outside the module is not a call");
  test_bad("loader.bad.no_init", bad_no_init(), "no dusim_module_init symbol");
  test_bad("loader.bad.tls", bad_tls(), "thread-local storage is not supported");
  test_out_of_memory("loader.bad.out_of_memory_bookkeeping", 1);
  test_out_of_memory("loader.bad.out_of_memory_module", 2);

  // After all that, the kernel is as it was: the good module loads and runs.
  test_good("loader.good.after_bad", good_O2(), true);

  Reason why(message, sizeof message);
  why << passes << " passed, " << failures << " failed, " << lookups << " symbol lookups";
  report("loader.summary", failures == 0);
  printf_("module loader: %lu passed, %lu failed\n", passes, failures);
  power_off(failures ? 1 : 0);
}
