// The guest's module loader: takes the bytes of an update module — an ELF64
// big-endian relocatable object (ET_REL, EM_PPC64, ELFv1) straight out of
// powerpc64-linux-gnu-g++ -c — and turns it into code the kernel can call.
//
//   check     every header, section, symbol and relocation is inside the image
//             and makes sense (elf_image.cc)
//   resolve   undefined symbols against the kernel through ModuleEnv::lookup;
//             the module's own definitions are used before anything else
//   lay out   one allocation for the SHF_ALLOC sections (alignment honoured,
//             NOBITS zeroed), .init_array in priority order, COMMON symbols,
//             the TOC-switching call stubs, and the register save/restore
//             routines a linker would synthesize (save_restore.cc)
//   relocate  every relocation type GCC emits for such modules (reloc_ppc64.cc);
//             calls out of the module go through ELFv1 stubs (call_stub.cc)
//   flush     dcbst/sync/icbi/isync over the new code
//
// A rejected module leaves nothing behind: the loader writes only into memory
// it allocated itself, frees all of it before returning, and never writes
// kernel memory (it only reads the kernel through `lookup`). Running the
// module's constructors and init is the caller's step, after load_module
// succeeded.
//
// Who may call: any kernel thread, one load at a time per ModuleEnv unless
// its callbacks are thread-safe. The loader keeps no global state.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace dusim::loader {

// What the loader needs from the kernel, and nothing more.
struct ModuleEnv {
  // `size` bytes aligned to `align` (a power of two, at least 8), or nullptr.
  void* (*alloc)(void* ctx, size_t size, size_t align);
  void (*free)(void* ctx, void* p);
  // The kernel's address of `name`. For a function it is the address of its
  // ELFv1 function descriptor {entry, TOC, environment}, exactly what a C
  // function pointer to it holds; for data, the object's address.
  bool (*lookup)(void* ctx, const char* name, uint64_t* addr);
  void* ctx;
  // Stride of the cache flush before the code runs; 0 means 32 bytes, the
  // smallest block size of any 64-bit PowerPC (safe whatever the real size).
  uint32_t cache_line_bytes;
};

// By convention the module's entry point: extern "C" long dusim_module_init(void* arg).
inline constexpr const char* kModuleInitSymbol = "dusim_module_init";

// A loaded module. All of it lives in [base, base + size), one allocation
// from ModuleEnv::alloc.
struct Module {
  uint8_t* base;
  size_t size;
  uint64_t toc;          // the module's r2: its .toc section + 0x8000
  uint64_t init;         // address of dusim_module_init's function descriptor
  const uint64_t* ctors; // .init_array: function descriptor addresses, in run order (guest byte order)
  size_t nctors;
  size_t stubs;          // TOC-switching stubs created for calls out of the module
};

struct LoadResult {
  bool ok;
  char reason[160];  // why the module was rejected (one line); "" when ok
  Module module;     // valid only when ok
};

// Loads a module. `image` may sit at any address; it is only read, and not
// needed after the call.
LoadResult load_module(const uint8_t* image, size_t size, const ModuleEnv& env);

// Runs the module's static constructors, in order. Call once, before init.
void run_module_constructors(const Module& m);
// Calls dusim_module_init(arg) and returns its result.
long call_module_init(const Module& m, void* arg);

// Frees a module's memory. The caller guarantees that nothing runs in it, and
// that nothing will call or read it any more.
void unload_module(Module& m, const ModuleEnv& env);

}  // namespace dusim::loader
