// The initial image: a read-only cpio "newc" archive the host places in RAM
// at boot (sim/loader/initrd.h writes it; the boot-information block gives
// where). The kernel reads programs and their files from it; nothing writes
// it. Its pages lie outside the page allocator's memory.
#pragma once

#include "kernel/types.h"

namespace initrd {

struct File {
  const char* name;  // NUL-terminated, inside the archive
  const u8* data;
  u64 size;
  u32 mode;
};

// Entries are files, directories and symbolic links (their data: the
// link's text), by their mode's type bits; a name is the entry's path
// from the root without a leading '/'. The root directory is implicit
// (root(): name "").
constexpr u32 kTypeMask = 0170000, kDirectory = 0040000, kRegular = 0100000, kSymlink = 0120000;
inline bool is_dir(const File& f) { return (f.mode & kTypeMask) == kDirectory; }
inline bool is_link(const File& f) { return (f.mode & kTypeMask) == kSymlink; }

void init(uval base, u64 size);  // boot, CPU 0
bool present();
// The file named `path` (a leading '/' is ignored): false when the archive
// has no such file or is malformed there.
bool find(const char* path, File* out);
File root();
// The index-th entry directly inside directory `dir` (archive order):
// false past the last.
bool child(const File& dir, u64 index, File* out);
// What `path` names, looked up from directory `from` (or from the root
// when it starts with '/'), as Linux walks a path: "." and "..", ".." of
// the root is the root, every symbolic link on the way followed (the last
// one only with `follow`: else *out is the link), at most 40 of them. 0,
// or -ENOENT (a part is missing), -ENOTDIR (a part before the last, or
// one followed by '/', is not a directory), -ELOOP, -ENAMETOOLONG (4096
// bytes or more), -ENOMEM.
s64 resolve(const File& from, const char* path, bool follow, File* out);
// The directory holding `f` (the root for the root and its entries).
File parent(const File& f);

}  // namespace initrd
