// load_module: check → resolve → lay out → relocate → flush. Each phase can
// reject; whatever was allocated is freed on the way out, and nothing outside
// the module's own allocation is ever written.
#include "module_loader.h"

#include "cache_flush.h"
#include "call_stub.h"
#include "elf_image.h"
#include "reloc_ppc64.h"
#include "save_restore.h"

namespace dusim::loader {

using namespace elf;

namespace {

// Keeps REL24 branches inside the module always in reach (±32 MiB).
constexpr uint64_t kMaxModuleBytes = 16u << 20;
constexpr uint64_t kTocBias = 0x8000;

// How an undefined symbol was resolved; kCalled marks one that a `bl`
// reaches, so it gets a stub.
enum : uint8_t {
  kUnseen,
  kKernel,         // the kernel's symbol table has it
  kWeakAbsent,     // weak, and nobody defines it: 0
  kLoaderToc,      // .TOC.
  kLoaderBase,     // __dso_handle
  kLoaderRoutine,  // a register save/restore routine (save_restore.h)
  kStateMask = 0x7f,
  kCalled = 0x80,
};

uint64_t align_up(uint64_t v, uint64_t a) { return a > 1 ? (v + a - 1) & ~(a - 1) : v; }

uint8_t* ptr(uint64_t addr) { return reinterpret_cast<uint8_t*>(uintptr_t(addr)); }
uint64_t addr(const void* p) { return uint64_t(uintptr_t(p)); }

// .init_array.NNNNN runs in ascending NNNNN, plain .init_array last (as ld's
// SORT_BY_INIT_PRIORITY places them).
uint32_t init_priority(const char* name) {
  const char* p = name + 11;  // after ".init_array"
  if (*p != '.') return 65536;
  uint32_t v = 0;
  for (++p; *p >= '0' && *p <= '9' && v < 65536; ++p) v = v * 10 + uint32_t(*p - '0');
  return *p ? 65536 : v;
}

class Loader {
 public:
  Loader(const ElfImage& im, const ModuleEnv& env, Reason& why) : im_(im), env_(env), why_(why) {}
  ~Loader() {
    if (temp_) env_.free(env_.ctx, temp_);
    if (base_) env_.free(env_.ctx, base_);
  }

  bool run(Module* out) {
    if (!prepare() || !scan() || !lay_out() || !relocate() || !finish(out)) return false;
    base_ = nullptr;  // the caller owns it now
    return true;
  }

 private:
  // ---- temporaries and the sections with a role --------------------------------
  bool prepare() {
    toc_section_ = im_.find_section(".got");
    if (!toc_section_ || !im_.section(toc_section_).alloc()) toc_section_ = im_.find_section(".toc");
    if (toc_section_ && !im_.section(toc_section_).alloc()) toc_section_ = 0;
    uint64_t bytes = uint64_t(im_.shnum) * 8 + uint64_t(im_.nsyms) * 9;
    temp_ = static_cast<uint8_t*>(env_.alloc(env_.ctx, bytes, 8));
    if (!temp_) {
      why_ << "out of memory: " << bytes << " bytes of loader bookkeeping";
      return false;
    }
    section_addr_ = reinterpret_cast<uint64_t*>(temp_);
    symbol_value_ = section_addr_ + im_.shnum;
    symbol_state_ = reinterpret_cast<uint8_t*>(symbol_value_ + im_.nsyms);
    for (uint32_t i = 0; i < im_.shnum; ++i) section_addr_[i] = 0;
    for (uint32_t k = 0; k < im_.nsyms; ++k) symbol_value_[k] = 0, symbol_state_[k] = kUnseen;
    return true;
  }

  // ---- phase: resolve symbols, count stubs, know every relocation type ----------
  // Runs before any module memory exists, so most rejections cost nothing.
  bool scan() {
    for (uint32_t i = 1; i < im_.shnum; ++i) {
      if (!relocates_loaded_section(i)) continue;
      uint32_t target = im_.section(i).info();
      for (uint64_t k = 0; k < im_.relocation_count(i); ++k) {
        Rela r = im_.relocation(i, k);
        const reloc::Kind* kind = reloc::find_kind(r.type());
        if (!kind) {
          if (const char* family = reloc::unsupported_family(r.type()))
            why_ << "unsupported relocation type " << r.type() << " (" << family << ")";
          else
            why_ << "unknown relocation type " << r.type();
          return fail_at(target, r.offset());
        }
        uint64_t end = r.offset() + reloc::field_bytes(kind->field);
        if (end > im_.section(target).size()) {
          why_ << kind->name << " runs past the end of its section";
          return fail_at(target, r.offset());
        }
        if (!scan_symbol(r.sym(), kind->type == reloc::kRel24)) return fail_at(target, r.offset());
      }
    }
    init_symbol_ = find_init_symbol();
    return init_symbol_ != 0;
  }

  bool scan_symbol(uint32_t k, bool called) {
    if (k == 0) return true;
    Sym s = im_.symbol(k);
    uint16_t shndx = s.shndx();
    if (shndx == kShnUndef) {
      if ((symbol_state_[k] & kStateMask) == kUnseen && !resolve_undefined(k)) return false;
      if (called && (symbol_state_[k] & kStateMask) == kKernel && !(symbol_state_[k] & kCalled)) {
        symbol_state_[k] |= kCalled;
        ++stubs_needed_;
      }
      return true;
    }
    if (shndx < kShnLoReserve && !im_.section(shndx).alloc()) {
      why_ << "reference to " << im_.symbol_name(k) << " in " << im_.section_name(shndx) << ", which is not loaded";
      return false;
    }
    return true;
  }

  bool resolve_undefined(uint32_t k) {
    const char* name = im_.symbol_name(k);
    uint64_t value = 0;
    if (!*name) {
      why_ << "undefined symbol without a name";
      return false;
    }
    uint32_t routine = 0;
    if (save_restore_entry(name, &routine)) {
      symbol_state_[k] = kLoaderRoutine;  // what a linker would synthesize
      symbol_value_[k] = routine;
      needs_save_restore_ = true;
    } else if (str_eq(name, ".TOC.")) {
      symbol_state_[k] = kLoaderToc;  // the module's own TOC base
    } else if (str_eq(name, "__dso_handle")) {
      symbol_state_[k] = kLoaderBase;  // the module's identity for __cxa_atexit
    } else if (env_.lookup(env_.ctx, name, &value)) {
      symbol_state_[k] = kKernel;
      symbol_value_[k] = value;
    } else if (im_.symbol(k).bind() == kStbWeak) {
      symbol_state_[k] = kWeakAbsent;  // a weak reference nobody defines is 0
    } else {
      why_ << "unresolved symbol " << name;
      return false;
    }
    return true;
  }

  uint32_t find_init_symbol() {
    for (uint32_t k = 1; k < im_.nsyms; ++k) {
      Sym s = im_.symbol(k);
      if (s.bind() == kStbLocal || s.shndx() == kShnUndef || !str_eq(im_.symbol_name(k), kModuleInitSymbol))
        continue;
      if (!is_opd(s.shndx()) || s.value() + 24 > im_.section(s.shndx()).size()) {
        why_ << kModuleInitSymbol << " is not a function with a descriptor in .opd";
        return 0;
      }
      return k;
    }
    why_ << "no " << kModuleInitSymbol << " symbol: the module has no entry point";
    return 0;
  }

  // ---- phase: place the sections, common symbols and stubs; allocate; copy ------
  bool lay_out() {
    uint64_t off = 0, align = 8;
    auto place = [&](uint32_t i, uint64_t a) {
      Shdr s = im_.section(i);
      if (s.size() > kMaxModuleBytes) return false;  // NOBITS sizes are not bounded by the image
      if (a > align) align = a;
      off = align_up(off, a);
      section_addr_[i] = off;  // an offset until the base is known
      off += s.size();
      return off <= kMaxModuleBytes;
    };
    for (uint32_t i = 1; i < im_.shnum; ++i) {
      Shdr s = im_.section(i);
      if (!s.alloc() || s.type() == kShtInitArray) continue;
      uint64_t a = s.addralign() ? s.addralign() : 1;
      if ((i == toc_section_ || is_opd(i)) && a < 8) a = 8;  // .TOC. and the stubs' r2 offsets need it
      if (!place(i, a)) return too_large();
    }
    // Every constructor list back to back: one array of descriptor pointers.
    off = align_up(off, 8);
    ctors_offset_ = off;
    // In (priority, section index) order: pick the next one after the last.
    for (uint64_t last = 0;;) {
      uint32_t best = 0;
      uint64_t best_key = ~uint64_t(0);
      for (uint32_t i = 1; i < im_.shnum; ++i) {
        Shdr s = im_.section(i);
        if (s.type() != kShtInitArray || !s.alloc()) continue;
        uint64_t key = uint64_t(init_priority(im_.section_name(i))) << 32 | i;
        if (key > last && key < best_key) best = i, best_key = key;
      }
      if (!best) break;
      if (!place(best, 8)) return too_large();
      last = best_key;
    }
    nctors_ = (off - ctors_offset_) / 8;
    for (uint32_t k = 1; k < im_.nsyms; ++k) {
      Sym s = im_.symbol(k);
      if (s.shndx() != kShnCommon) continue;
      uint64_t a = s.value() ? s.value() : 1;
      if (a > align) align = a;
      off = align_up(off, a);
      symbol_value_[k] = off;
      off += s.size();
      if (off > kMaxModuleBytes) return too_large();
    }
    off = align_up(off, 8);
    stubs_offset_ = off;
    off += stubs_needed_ * kStubBytes;
    save_restore_offset_ = off;
    if (needs_save_restore_) off += kSaveRestoreBytes;
    if (off > kMaxModuleBytes) return too_large();
    size_ = off ? off : 8;
    base_ = static_cast<uint8_t*>(env_.alloc(env_.ctx, size_, align));
    if (!base_) {
      why_ << "out of memory: the module needs " << uint64_t(size_) << " bytes";
      return false;
    }
    for (size_t b = 0; b < size_; ++b) base_[b] = 0;  // NOBITS, COMMON and padding read as zero
    if (needs_save_restore_) write_save_restore(base_ + save_restore_offset_);
    for (uint32_t i = 1; i < im_.shnum; ++i) {
      Shdr s = im_.section(i);
      if (!s.alloc()) continue;
      section_addr_[i] += addr(base_);
      if (s.type() == kShtNobits) continue;
      const uint8_t* from = im_.section_bytes(i);
      uint8_t* to = ptr(section_addr_[i]);
      for (uint64_t b = 0; b < s.size(); ++b) to[b] = from[b];
    }
    toc_ = (toc_section_ ? section_addr_[toc_section_] : addr(base_)) + kTocBias;
    for (uint32_t k = 1; k < im_.nsyms; ++k) {
      uint8_t state = symbol_state_[k] & kStateMask;
      if (im_.symbol(k).shndx() == kShnCommon) symbol_value_[k] += addr(base_);
      else if (state == kLoaderToc) symbol_value_[k] = toc_;
      else if (state == kLoaderBase) symbol_value_[k] = addr(base_);
      else if (state == kLoaderRoutine) symbol_value_[k] += addr(base_) + save_restore_offset_;
    }
    return true;
  }

  bool too_large() {
    why_ << "module too large: more than " << kMaxModuleBytes << " bytes to load";
    return false;
  }

  // ---- phase: relocate ------------------------------------------------------------
  // The descriptors in .opd first: a local call reads its callee's entry point
  // from there.
  bool relocate() {
    CallStubs stubs(base_ + stubs_offset_, stubs_needed_, toc_);
    stubs_ = &stubs;
    for (int pass = 0; pass < 2; ++pass)
      for (uint32_t i = 1; i < im_.shnum; ++i) {
        if (!relocates_loaded_section(i)) continue;
        bool descriptors = is_opd(im_.section(i).info());
        if ((pass == 0) == descriptors && !relocate_section(i)) return false;
      }
    stubs_made_ = stubs.count();
    stubs_ = nullptr;
    return true;
  }

  bool relocate_section(uint32_t rela) {
    uint32_t target = im_.section(rela).info();
    for (uint64_t k = 0; k < im_.relocation_count(rela); ++k) {
      Rela r = im_.relocation(rela, k);
      const reloc::Kind& kind = *reloc::find_kind(r.type());  // scan() vouched for it
      uint64_t place = section_addr_[target] + r.offset();
      uint64_t s = symbol_address(r.sym()), a = uint64_t(r.addend()), v = 0;
      switch (kind.value) {
        case reloc::Value::Nothing: continue;
        case reloc::Value::Abs: v = s + a; break;
        case reloc::Value::Rel: v = s + a - place; break;
        case reloc::Value::Toc: v = s + a - toc_; break;
        case reloc::Value::TocBase: v = toc_ + a; break;
        case reloc::Value::Call: {
          uint64_t to = call_target(r, target, place);
          if (!to) return fail_at(target, r.offset());
          v = to - place;
          break;
        }
      }
      if (!reloc::insert(kind, v, ptr(place), why_)) return fail_at(target, r.offset());
    }
    return true;
  }

  uint64_t symbol_address(uint32_t k) {
    if (k == 0) return 0;
    Sym s = im_.symbol(k);
    uint16_t shndx = s.shndx();
    if (shndx == kShnUndef || shndx == kShnCommon) return symbol_value_[k];
    if (shndx == kShnAbs) return s.value();
    return section_addr_[shndx] + s.value();
  }

  // Where a `bl` lands: the callee's code inside the module, or a stub that
  // switches to the callee's TOC. 0 (with a reason) if the call cannot work.
  uint64_t call_target(Rela r, uint32_t target_section, uint64_t place) {
    uint32_t k = r.sym();
    Sym s = im_.symbol(k);
    const char* name = k ? im_.symbol_name(k) : "address 0";
    uint32_t insn = load32(ptr(place));
    if ((insn >> 26) != 18) {
      why_ << "R_PPC64_REL24 to " << name << " is not on a branch instruction";
      return 0;
    }
    uint8_t state = symbol_state_[k] & kStateMask;
    if (k && s.shndx() == kShnUndef && state != kLoaderRoutine) {
      if (state != kKernel) {
        why_ << "call to " << name << ", which is not a kernel function";
        return 0;
      }
      if (r.addend() != 0) {
        why_ << "call to " << name << " with an addend";
        return 0;
      }
      if (r.offset() + 8 > im_.section(target_section).size()) {
        why_ << "call to " << name << " is its section's last instruction: no nop to restore the TOC";
        return 0;
      }
      if (!patch_toc_restore(ptr(place), name, why_)) return 0;
      return stubs_->stub_for(symbol_value_[k], why_);
    }
    uint64_t to = symbol_address(k) + uint64_t(r.addend());
    if (k && is_opd(s.shndx())) {
      // ELFv1: the symbol of a function is its descriptor; branch to its entry.
      uint64_t opd = section_addr_[s.shndx()], opd_end = opd + im_.section(s.shndx()).size();
      if (to < opd || to + 8 > opd_end) {
        why_ << "call to " << name << " lands outside the descriptors in .opd";
        return 0;
      }
      to = load64(ptr(to));
    }
    if (to < addr(base_) || to >= addr(base_) + size_) {
      why_ << "call to " << name << " leaves the module without a stub";
      return 0;
    }
    return to;
  }

  // ---- phase: entry points, cache flush -------------------------------------------
  bool finish(Module* out) {
    out->base = base_;
    out->size = size_;
    out->toc = toc_;
    out->init = symbol_address(init_symbol_);
    out->ctors = reinterpret_cast<const uint64_t*>(base_ + ctors_offset_);
    out->nctors = nctors_;
    out->stubs = stubs_made_;
    for (size_t c = 0; c < nctors_; ++c)
      if (load64(base_ + ctors_offset_ + 8 * c) == 0) {
        why_ << "constructor " << uint64_t(c) << " in .init_array is a null pointer";
        return false;
      }
    flush_icache(base_, size_, env_.cache_line_bytes);
    return true;
  }

  // A loaded section of function descriptors (ELFv1 .opd; there may be several).
  bool is_opd(uint32_t i) const {
    return i > 0 && i < im_.shnum && im_.section(i).alloc() && str_eq(im_.section_name(i), ".opd");
  }

  bool relocates_loaded_section(uint32_t i) const {
    Shdr s = im_.section(i);
    return s.type() == kShtRela && im_.section(s.info()).alloc();
  }

  bool fail_at(uint32_t section, uint64_t offset) {
    why_ << " at " << im_.section_name(section) << "+" << Hex{offset};
    return false;
  }

  const ElfImage& im_;
  const ModuleEnv& env_;
  Reason& why_;
  uint8_t* temp_ = nullptr;
  uint64_t* section_addr_ = nullptr;  // [shnum] where each SHF_ALLOC section was loaded
  uint64_t* symbol_value_ = nullptr;  // [nsyms] values of undefined and common symbols
  uint8_t* symbol_state_ = nullptr;   // [nsyms] how undefined symbols were resolved
  uint32_t toc_section_ = 0, init_symbol_ = 0;
  size_t stubs_needed_ = 0, stubs_made_ = 0;
  bool needs_save_restore_ = false;
  CallStubs* stubs_ = nullptr;
  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  uint64_t toc_ = 0, ctors_offset_ = 0, stubs_offset_ = 0, save_restore_offset_ = 0, nctors_ = 0;
};

}  // namespace

LoadResult load_module(const uint8_t* image, size_t size, const ModuleEnv& env) {
  LoadResult res{};
  Reason why(res.reason, sizeof res.reason);
  ElfImage im;
  if (!check_image(image, size, &im, why)) return res;
  Loader loader(im, env, why);
  res.ok = loader.run(&res.module);
  if (!res.ok && why.empty()) why << "rejected";
  if (res.ok) why.clear();
  return res;
}

void run_module_constructors(const Module& m) {
  for (size_t c = 0; c < m.nctors; ++c) reinterpret_cast<void (*)()>(uintptr_t(m.ctors[c]))();
}

long call_module_init(const Module& m, void* arg) {
  return reinterpret_cast<long (*)(void*)>(uintptr_t(m.init))(arg);
}

void unload_module(Module& m, const ModuleEnv& env) {
  if (m.base) env.free(env.ctx, m.base);
  m = Module{};
}

}  // namespace dusim::loader
