// The kernel's embedded symbol table (generated at build time by
// guest_os/build/gen_ksymtab.py into the .ksymtab section, which sits at the
// end of the image so adding it moves no other address; see
// guest_os/CMakeLists.txt for the two-pass link and its check).
//
// Entries: every defined function (its code entry and its ELFv1 function
// descriptor), and every data object, with address and size.
#pragma once

#include "kernel/types.h"

namespace ksym {

enum Kind : u32 { kCode = 1, kDescriptor = 2, kData = 3 };

struct Symbol {
  uval addr;
  uval size;
  const char* name;
  Kind kind;
};

bool present();          // false in the first link pass
u64 count();
// By exact (mangled) name: the descriptor of a function, or a data object.
bool lookup(const char* name, Symbol* out);
// The code or data symbol containing addr; sets *offset from its start.
bool find(uval addr, Symbol* out, uval* offset);
bool at(u64 index, Symbol* out);

}  // namespace ksym
