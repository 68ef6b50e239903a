#include "loader/initrd.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <set>
#include <stdexcept>

namespace dusim {

namespace {

void pad4(std::vector<uint8_t>& out) {
  while (out.size() % 4) out.push_back(0);
}

void append(std::vector<uint8_t>& out, const std::string& name, uint32_t mode, uint32_t ino, const uint8_t* data,
            size_t size) {
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
  // rdevmajor, rdevminor, namesize, check: 6 + 13 * 8 = 110 characters.
  std::string h = fmt::format("070701{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}", ino,
                              mode, 0, 0, 1, 0, uint32_t(size), 0, 0, 0, 0, uint32_t(name.size() + 1), 0);
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), name.begin(), name.end());
  out.push_back(0);
  pad4(out);
  out.insert(out.end(), data, data + size);
  pad4(out);
}

}  // namespace

std::vector<uint8_t> make_initrd(const std::vector<InitrdFile>& files) {
  std::vector<uint8_t> out;
  std::set<std::string> seen;
  uint32_t ino = 1;
  for (const InitrdFile& f : files) {
    if (f.name.empty() || f.name[0] == '/' || f.name.find('\0') != std::string::npos || f.name == ".." ||
        f.name.find("../") != std::string::npos || f.name.size() > 255)
      throw std::runtime_error(fmt::format("initial image: {:?} cannot be a file's name there (a relative path, no '..')", f.name));
    if (!seen.insert(f.name).second) throw std::runtime_error(fmt::format("initial image: {} is given twice", f.name));
    if (f.data.size() > 0xffffffffu) throw std::runtime_error(fmt::format("initial image: {} is larger than 4 GiB", f.name));
    append(out, f.name, f.mode, ino++, f.data.data(), f.data.size());
  }
  append(out, "TRAILER!!!", 0, 0, nullptr, 0);
  return out;
}

InitrdFile initrd_file_from_spec(const std::string& spec) {
  InitrdFile f;
  std::string path = spec;
  size_t eq = spec.find('=');
  if (eq != std::string::npos) {
    f.name = spec.substr(0, eq);
    path = spec.substr(eq + 1);
  } else {
    size_t slash = spec.find_last_of('/');
    f.name = slash == std::string::npos ? spec : spec.substr(slash + 1);
  }
  while (!f.name.empty() && f.name[0] == '/') f.name.erase(0, 1);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  f.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return f;
}

std::vector<InitrdFile> initrd_tree_from_spec(const std::string& spec) {
  namespace fs = std::filesystem;
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw std::runtime_error(fmt::format("--tree {}: expected NAME=HOST_DIR (NAME / for the image's root)", spec));
  std::string name = spec.substr(0, eq);
  while (!name.empty() && name[0] == '/') name.erase(0, 1);
  while (!name.empty() && name.back() == '/') name.pop_back();
  const fs::path dir = spec.substr(eq + 1);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(fmt::format("--tree {}: {} is not a directory", spec, dir.string()));
  std::vector<InitrdFile> out;
  if (!name.empty()) {  // (the root is implicit)
    InitrdFile top;
    top.name = name;
    top.mode = 040555;
    out.push_back(top);
  }
  std::vector<fs::path> entries;
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    entries.push_back(it->path());
  }
  if (ec) throw std::runtime_error(fmt::format("--tree {}: cannot read {}: {}", spec, dir.string(), ec.message()));
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    InitrdFile f;
    f.name = (name.empty() ? "" : name + "/") + p.lexically_relative(dir).generic_string();
    const fs::file_status st = fs::symlink_status(p);
    if (fs::is_symlink(st)) {
      const std::string target = fs::read_symlink(p).string();
      f.data.assign(target.begin(), target.end());
      f.mode = 0120777;
    } else if (fs::is_directory(st)) {
      f.mode = 040555;
    } else if (fs::is_regular_file(st)) {
      f = initrd_file_from_spec(f.name + "=" + p.string());
      f.mode = 0100000 | (uint32_t(st.permissions()) & 0555);
    } else {
      throw std::runtime_error(fmt::format("--tree {}: {} is neither a file, a directory nor a symbolic link", spec, p.string()));
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace dusim
