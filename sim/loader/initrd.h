// The initial image: a read-only archive of files the host hands the guest
// kernel at boot (the programs a scenario runs, their data files), placed in
// RAM below the boot stacks; the boot-information block gives its address
// and size (platform/machine.h). The format is cpio "newc" (SVR4 with no
// CRC), what Linux's initramfs uses, so `cpio -t` lists one: per file a
// 110-byte ASCII header of hexadecimal fields, the NUL-terminated name, the
// data, each padded to 4 bytes; "TRAILER!!!" ends the archive. The guest's
// reader is guest_os/kernel/initrd.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dusim {

struct InitrdFile {
  std::string name;           // path inside the archive, without a leading '/'
  std::vector<uint8_t> data;
  uint32_t mode = 0100555;    // a regular file, r-x for everyone
};

// Throws std::runtime_error for a name the archive cannot hold (empty, a
// leading '/', a NUL, "..") or the same name twice.
std::vector<uint8_t> make_initrd(const std::vector<InitrdFile>& files);

// `--file NAME=HOST_PATH` (or HOST_PATH alone: the name is its base name):
// reads the host file; throws std::runtime_error naming the path.
InitrdFile initrd_file_from_spec(const std::string& spec);

// `--tree NAME=HOST_DIR`: the directory NAME in the archive (/: the root)
// and everything below HOST_DIR under it, as it is: directories (mode 040555), regular
// files (their permission bits, made read-only), symbolic links (mode
// 0120777, the link's text as their data; never followed), in name order
// so the archive is the same on every run. Throws std::runtime_error for
// a directory that cannot be read or an entry of another kind (a device,
// a socket).
std::vector<InitrdFile> initrd_tree_from_spec(const std::string& spec);

}  // namespace dusim
